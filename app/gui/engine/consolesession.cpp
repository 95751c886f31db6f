#include "consolesession.h"

#include "runtime/attachframe.h"

#include <algorithm>

namespace hood::gui {

ConsoleSession::ConsoleSession(QObject *parent) : QObject(parent)
{
    m_tail.setInterval(250);
    connect(&m_tail, &QTimer::timeout, this, &ConsoleSession::tailLog);
    connect(&m_socket, &QLocalSocket::readyRead, this, [this] { emit output(m_socket.readAll()); });
    connect(&m_socket, &QLocalSocket::connected, this, [this] {
        emit statusChanged(tr("Attached to %1's terminal (%2/attach.sock). Type here; Ctrl+C and Ctrl+D go to "
                              "the container.")
                               .arg(m_id, m_dir));
        sendWindowSize();
        emit attached(m_id);
    });
    connect(&m_socket, &QLocalSocket::disconnected, this, [this] {
        if (!m_id.isEmpty())
            emit statusChanged(tr("%1's terminal closed: the container has ended.").arg(m_id));
    });
    // The list can show a container as running a moment before its monitor has
    // made attach.sock: try again for a few seconds before falling back to the log.
    m_retry.setSingleShot(true);
    m_retry.setInterval(200);
    connect(&m_retry, &QTimer::timeout, this, [this] {
        if (!m_id.isEmpty())
            m_socket.connectToServer(m_dir + "/attach.sock");
    });
    connect(&m_socket, &QLocalSocket::errorOccurred, this, [this](QLocalSocket::LocalSocketError e) {
        if (e == QLocalSocket::PeerClosedError)
            return;
        if ((e == QLocalSocket::ServerNotFoundError || e == QLocalSocket::ConnectionRefusedError) && ++m_attempts < 25) {
            m_retry.start();
            return;
        }
        emit statusChanged(tr("Cannot attach to %1/attach.sock: %2. Showing container.log instead.")
                               .arg(m_dir, m_socket.errorString()));
        m_tail.start();
    });
}

void ConsoleSession::close()
{
    m_tail.stop();
    m_retry.stop();
    m_attempts = 0;
    m_socket.abort();
    m_log.close();
    m_id.clear();
}

void ConsoleSession::open(const QString &containerDir, const QString &id, bool terminal, bool running)
{
    close();
    emit reset();
    m_id = id;
    m_dir = containerDir;
    m_terminal = terminal;
    m_log.setFileName(containerDir + "/container.log");
    if (!m_log.open(QIODevice::ReadOnly) && !running)
        emit statusChanged(tr("No output of %1 (%2: %3).").arg(id, m_log.fileName(), m_log.errorString()));
    // The history first; connecting right after loses nothing but the bytes that
    // arrive in between, and never shows a byte twice.
    tailLog();
    if (terminal && running) {
        m_socket.connectToServer(containerDir + "/attach.sock");
        return;
    }
    emit statusChanged(running ? tr("%1 has no terminal: its output (stdout and stderr, from container.log) "
                                    "appears here as it is written.")
                                     .arg(id)
                               : tr("%1 is not running: this is what it wrote.").arg(id));
    if (running)
        m_tail.start();
}

void ConsoleSession::tailLog()
{
    if (!m_log.isOpen() && !m_log.open(QIODevice::ReadOnly))
        return; // not written yet
    const QByteArray bytes = m_log.readAll();
    if (!bytes.isEmpty())
        emit output(bytes);
}

void ConsoleSession::write(const QByteArray &bytes)
{
    if (!interactive())
        return;
    const std::string frame = hood::attach::encodeInput(std::string_view(bytes.constData(), size_t(bytes.size())));
    m_socket.write(frame.data(), qint64(frame.size()));
}

void ConsoleSession::setWindowSize(int rows, int cols)
{
    m_rows = rows;
    m_cols = cols;
    sendWindowSize();
}

void ConsoleSession::sendWindowSize()
{
    if (!interactive() || m_rows <= 0 || m_cols <= 0)
        return;
    const auto clamp = [](int n) { return std::uint16_t(std::min(n, 0xffff)); };
    const std::string frame = hood::attach::encodeWindowSize({clamp(m_rows), clamp(m_cols)});
    m_socket.write(frame.data(), qint64(frame.size()));
}

} // namespace hood::gui
