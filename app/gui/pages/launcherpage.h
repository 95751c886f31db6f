// The launcher: image, command, a toggle per namespace with its explanation,
// limits with units, hostname, chroot or pivot_root, rootless; Launch.
#pragma once

#include "launchsettings.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace hood::gui {

class LauncherPage : public QWidget {
    Q_OBJECT

public:
    explicit LauncherPage(QWidget *parent = nullptr);

    LaunchSettings settings() const;
    void setSettings(const LaunchSettings &settings);
    void setRecent(const QVector<LaunchSettings> &recent);
    void setBusy(bool busy);
    // Draws attention to one control: a namespace ("net"), "memory", "cpus", "pids",
    // "image", "command", "hostname", "chroot", "rootless" or "launch".
    bool highlight(const QString &key);
    QPushButton *launchButton() const { return m_launch; }

signals:
    void settingsChanged();
    void launchRequested(const hood::gui::LaunchSettings &settings);

private:
    QWidget *buildNamespaces();
    QWidget *buildProgram();
    QWidget *buildLimits();
    QWidget *buildRoot();
    QWidget *buildFooter();
    void setNamespaces(const QStringList &names);
    void connectChanges();

    QVector<QCheckBox *> m_ns; // in kNamespaces order
    QComboBox *m_image = nullptr;
    QLineEdit *m_command = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_hostname = nullptr;
    QCheckBox *m_terminal = nullptr;
    QSpinBox *m_memory = nullptr;
    QDoubleSpinBox *m_cpus = nullptr;
    QSpinBox *m_pids = nullptr;
    QRadioButton *m_pivotRoot = nullptr;
    QRadioButton *m_chroot = nullptr;
    QCheckBox *m_rootless = nullptr;
    QCheckBox *m_seccomp = nullptr;
    QComboBox *m_recent = nullptr;
    QPushButton *m_launch = nullptr;
    QVector<LaunchSettings> m_recentList;
    bool m_loading = false;
};

// Flashes a widget's background for a moment (a lesson's "highlight" action).
void flashWidget(QWidget *widget);

} // namespace hood::gui
