// Console: the container's terminal (or its log), and a line saying which.
#pragma once

#include <QWidget>

class QLabel;

namespace hood::gui {

class TerminalWidget;

class ConsolePage : public QWidget {
    Q_OBJECT

public:
    explicit ConsolePage(QWidget *parent = nullptr);
    TerminalWidget *terminal() const { return m_terminal; }
    void setStatus(const QString &sentence);

signals:
    void reconnectRequested();

private:
    TerminalWidget *m_terminal;
    QLabel *m_status;
};

} // namespace hood::gui
