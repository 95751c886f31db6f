// Equivalent commands: what the launcher's settings mean without Hood.
#pragma once

#include "equivalent.h"

#include <QWidget>

class QPlainTextEdit;

namespace hood::gui {

class CommandsPage : public QWidget {
    Q_OBJECT

public:
    explicit CommandsPage(QWidget *parent = nullptr);
    void showCommands(const EquivalentCommands &commands);
    // "hoodctl", "shell", "config", "docker"
    bool highlight(const QString &key);

private:
    QWidget *section(const QString &title, const QString &key, QPlainTextEdit **edit);

    QPlainTextEdit *m_hoodctl = nullptr;
    QPlainTextEdit *m_shell = nullptr;
    QPlainTextEdit *m_config = nullptr;
    QPlainTextEdit *m_docker = nullptr;
};

} // namespace hood::gui
