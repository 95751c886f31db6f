// The Console's connection to one container. With a terminal (hoodctl run -t -d) the
// monitor listens on <state dir>/attach.sock: what we write goes to the container's
// terminal, what the container writes comes back to every client (and to
// container.log). Without a terminal there is only container.log, which is tailed.
// Keys and the terminal's size go to the monitor in frames (core/runtime/attachframe.h):
// the size on attach and on every change, so the container's pty is as wide as the
// widget that shows it.
#pragma once

#include <QFile>
#include <QLocalSocket>
#include <QObject>
#include <QTimer>

namespace hood::gui {

class ConsoleSession : public QObject {
    Q_OBJECT

public:
    explicit ConsoleSession(QObject *parent = nullptr);

    // Ends any previous session. The log so far is emitted first, so the console
    // shows what happened before it was opened.
    void open(const QString &containerDir, const QString &id, bool terminal, bool running);
    void close();
    bool interactive() const { return m_socket.state() == QLocalSocket::ConnectedState; }
    QString id() const { return m_id; }

public slots:
    void write(const QByteArray &bytes);
    // The console's rows and columns; sent now if attached, and on every attach.
    void setWindowSize(int rows, int cols);

signals:
    void output(const QByteArray &bytes);
    void statusChanged(const QString &sentence);
    void reset(); // a new session starts: clear the screen
    void attached(const QString &id); // the terminal socket is connected

private:
    void tailLog();
    void sendWindowSize();

    QLocalSocket m_socket;
    QFile m_log;
    QTimer m_tail;
    QTimer m_retry;
    int m_attempts = 0;
    QString m_id;
    QString m_dir;
    bool m_terminal = false;
    int m_rows = 0;
    int m_cols = 0;
};

} // namespace hood::gui
