// hoodctl attach: share the terminal of a container run with -t -d, through the
// monitor's attach.sock. ^P^Q detaches (docker's keys); the container goes on.
#include "cli.h"

#include "error.h"
#include "runtime/attachframe.h"
#include "runtime/runtime.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

namespace hoodctl {

using hood::Error;

namespace {

int connectTo(const std::string &path, const std::string &id)
{
    sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
        throw Error("attach " + path + ": path too long for a unix socket");
    memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        if (err == ENOENT)
            throw Error("container \"" + id + "\" has no terminal to attach to (run it with -t -d)");
        throw Error::sys("attach", path, err);
    }
    return fd;
}

// Copies stdin to the socket; false when ^P^Q was typed or stdin ended.
bool forwardKeys(int sock, bool &sawCtrlP)
{
    char buf[1024];
    ssize_t n = read(0, buf, sizeof buf);
    if (n <= 0)
        return false;
    for (ssize_t i = 0; i < n; ++i) {
        if (sawCtrlP && buf[i] == 0x11)
            return false;
        sawCtrlP = buf[i] == 0x10;
    }
    const std::string frame = hood::attach::encodeInput(std::string_view(buf, static_cast<size_t>(n)));
    return send(sock, frame.data(), frame.size(), MSG_NOSIGNAL) == ssize_t(frame.size());
}

volatile sig_atomic_t g_resized = 0;

// Our terminal's size, to the monitor: the container's pty takes it (TIOCSWINSZ).
void sendWindowSize(int sock)
{
    winsize ws {};
    if (ioctl(0, TIOCGWINSZ, &ws) < 0)
        return;
    const std::string frame = hood::attach::encodeWindowSize({ws.ws_row, ws.ws_col});
    send(sock, frame.data(), frame.size(), MSG_NOSIGNAL);
}

// SIGWINCH interrupts poll (no SA_RESTART), and the loop sends the new size.
void watchWindowSize()
{
    struct sigaction sa {};
    sa.sa_handler = [](int) { g_resized = 1; };
    sigaction(SIGWINCH, &sa, nullptr);
}

} // namespace

int cmdAttach(Context &ctx, const Words &words)
{
    Options o(words, {}, {});
    if (o.positional().size() != 1)
        throw Error("give exactly one container ID (hoodctl attach ID)");
    const std::string id = o.positional().front();
    if (ctx.runtime.info(id).status != hood::Status::Running)
        throw Error("container \"" + id + "\" is not running");
    int sock = connectTo(ctx.runtime.containerDir(id) + "/attach.sock", id);
    termios saved {};
    bool raw = isatty(0) && tcgetattr(0, &saved) == 0;
    if (raw) {
        termios t = saved;
        cfmakeraw(&t);
        tcsetattr(0, TCSANOW, &t);
    }
    bool sawCtrlP = false;
    bool stdinOpen = true;
    watchWindowSize();
    sendWindowSize(sock);
    for (;;) {
        if (g_resized) {
            g_resized = 0;
            sendWindowSize(sock);
        }
        pollfd fds[2] = {{sock, POLLIN, 0}, {stdinOpen ? 0 : -1, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if (fds[0].revents) {
            char buf[8192];
            ssize_t n = read(sock, buf, sizeof buf);
            if (n <= 0 || write(1, buf, static_cast<size_t>(n)) != n)
                break;
        }
        if (fds[1].revents && !forwardKeys(sock, sawCtrlP)) {
            if (isatty(0))
                break; // ^P^Q: detach
            stdinOpen = false;
        }
    }
    if (raw)
        tcsetattr(0, TCSANOW, &saved);
    close(sock);
    return 0;
}

} // namespace hoodctl
