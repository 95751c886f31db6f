// execInContainer: an ExecProcess in the foreground, the way hoodctl runs it:
// the user's terminal relayed to the pty (as the monitor relays a container's),
// signals passed on, the command's status returned.
#include "exec.h"
#include "terminal.h"
#include "error.h"
#include "sys/fd.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

namespace hood {

namespace {

// Passed on to the command, as docker's --sig-proxy does; SIGWINCH resizes the pty.
const int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

// Blocks the forwarded signals and reads them from a signalfd while alive.
class SignalRelay {
public:
    SignalRelay()
    {
        sigemptyset(&m_set);
        for (int sig : kForwarded)
            sigaddset(&m_set, sig);
        check(sigprocmask(SIG_BLOCK, &m_set, &m_saved), "block signals", "hoodctl exec");
        // Without it the relay would wait for ever on signals it cannot see.
        m_fd.reset(signalfd(-1, &m_set, SFD_CLOEXEC | SFD_NONBLOCK));
        if (!m_fd) {
            int err = errno;
            sigprocmask(SIG_SETMASK, &m_saved, nullptr);
            throw Error::sys("signalfd", "hoodctl exec", err);
        }
    }
    ~SignalRelay()
    {
        next(); // drop what is pending, or unblocking would deliver it to us
        m_fd.reset();
        sigprocmask(SIG_SETMASK, &m_saved, nullptr);
    }
    int fd() const { return m_fd.get(); }
    // The next pending signal, 0 when none.
    int next()
    {
        signalfd_siginfo info{};
        return read(m_fd.get(), &info, sizeof info) == sizeof info ? static_cast<int>(info.ssi_signo) : 0;
    }

private:
    sigset_t m_set{};
    sigset_t m_saved{};
    Fd m_fd;
};

// Copies what the pty has to stdout; false once it is closed (EIO: every holder
// of the slave has closed it).
bool copyOutput(int console)
{
    char buf[8192];
    ssize_t n = read(console, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return true;
    if (n <= 0)
        return false;
    writeAll(1, buf, static_cast<size_t>(n));
    return true;
}

// Copies the user's input to the pty; false at end of input, which becomes ^D
// on the terminal, as typing it would.
bool copyInput(int console)
{
    char buf[4096];
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return true;
    if (n <= 0) {
        writeAll(console, "\x04", 1);
        return false;
    }
    writeAll(console, buf, static_cast<size_t>(n));
    return true;
}

void relayUntilExit(ExecProcess &exec, SignalRelay &signals)
{
    int console = exec.console();
    bool input = console >= 0;
    for (;;) {
        pollfd fds[4] = {{exec.exitFd(), POLLIN, 0},
                         {signals.fd(), POLLIN, 0},
                         {console, POLLIN, 0},
                         {input ? 0 : -1, POLLIN, 0}};
        if (poll(fds, 4, -1) < 0 && errno != EINTR)
            return;
        if (fds[2].revents && !copyOutput(console))
            console = -1;
        input = input && console >= 0;
        if (fds[3].revents && console >= 0)
            input = copyInput(console);
        while (int sig = signals.next()) {
            if (sig == SIGWINCH && console >= 0)
                copyWindowSize(0, console);
            else if (sig != SIGWINCH)
                exec.signal(sig);
        }
        if (fds[0].revents)
            break;
    }
    // What the command wrote last is still in the pty.
    while (console >= 0 && copyOutput(console)) {
        pollfd p{console, POLLIN, 0};
        if (poll(&p, 1, 0) <= 0)
            break;
    }
}

} // namespace

int execInContainer(const std::string &stateDir, const ExecRequest &request,
                    const std::function<void(const std::string &)> &warn)
{
    SignalRelay signals; // before the fork: no signal may slip past it
    ExecProcess exec(stateDir, request);
    for (const std::string &w : exec.warnings()) {
        if (warn)
            warn(w);
    }
    RawTerminal raw(exec.console() >= 0);
    if (exec.console() >= 0) {
        copyWindowSize(0, exec.console());
        fcntl(exec.console(), F_SETFL, fcntl(exec.console(), F_GETFL) | O_NONBLOCK);
    }
    relayUntilExit(exec, signals);
    return exec.wait();
}

} // namespace hood
