// Security: what confines the selected container. Its capabilities decoded (each
// with what it allows, the dropped ones greyed), seccomp's mode and a summary of
// the filter (how many syscalls it lets through and blocks, the notable blocked
// ones), no_new_privs, the masked and read-only paths and the uid and gid maps,
// each with what it prevents; and a button that makes a blocked syscall inside
// (`hoodctl exec ID -- hood-demo syscall NAME`) and shows the kernel's answer.
// The page draws SecuritySnapshots (engine/securityinspector.h reads them on a
// pool thread); it follows the window's selection through the getter it is given.
#pragma once

#include "securityinspector.h"

#include <QTimer>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QProcess;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace hood::gui {

class ContainerController;

class SecurityPage : public QWidget {
    Q_OBJECT
    // True while a read is under way (the window's screenshot waits for it).
    Q_PROPERTY(bool reading READ reading)

public:
    SecurityPage(ContainerController *controller, std::function<QString()> currentContainer,
                 QWidget *parent = nullptr);

    void showSnapshot(const SecuritySnapshot &snapshot);
    // hood-demo syscall's output (and hoodctl exec's status) as one sentence.
    void showProbeAnswer(int exitCode, const QString &output);
    void showNothing(const QString &why);
    bool reading() const { return m_inspector->busy(); }
    QString shownId() const { return m_shown; }

    QLabel *summary() const { return m_summary; }
    QTableWidget *capabilities() const { return m_caps; }
    QTreeWidget *details() const { return m_details; }
    QComboBox *probeChoice() const { return m_probe; }
    QPushButton *probeButton() const { return m_try; }
    QLabel *probeResult() const { return m_result; }

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    QWidget *buildProbeRow();
    void follow();
    void fillCapabilities(const inspect::ProcSecurity &proc, bool running);
    void fillDetails(const SecuritySnapshot &s);
    void fitDetailColumns();
    void runProbe();

    ContainerController *m_controller;
    std::function<QString()> m_current;
    SecurityInspector *m_inspector;
    QTimer m_follow;
    QString m_followKey; // id/pid/status last read
    QString m_shown;
    bool m_seccompOn = false;
    QLabel *m_summary;
    QTableWidget *m_caps;
    QTreeWidget *m_details;
    QComboBox *m_probe = nullptr;
    QPushButton *m_try = nullptr;
    QLabel *m_result = nullptr;
    QProcess *m_probeProcess = nullptr;
};

} // namespace hood::gui
