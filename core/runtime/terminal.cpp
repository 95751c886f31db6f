#include "terminal.h"

#include "channel.h"
#include "error.h"
#include "privops.h"

#include <sys/mount.h>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace hood {

Pty openPty()
{
    Pty pty;
    pty.master.reset(open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!pty.master)
        throw Error::sys("open", "/dev/ptmx", errno);
    char name[64];
    if (unlockpt(pty.master.get()) < 0 || ptsname_r(pty.master.get(), name, sizeof name) != 0)
        throw Error::sys("unlock pty", "/dev/ptmx", errno);
    pty.name = name;
    pty.slave.reset(open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!pty.slave)
        throw Error::sys("open", name, errno);
    return pty;
}

void becomeTerminalOf(Fd slave, const std::string &name)
{
    check(setsid(), "setsid", "");
    check(ioctl(slave.get(), TIOCSCTTY, 0), "make controlling terminal", name);
    for (int target = 0; target < 3; ++target)
        check(dup2(slave.get(), target), "dup2", name);
}

void attachNewTerminal(int sock, char messageType, bool bindConsole)
{
    Pty pty = openPty();
    if (bindConsole) {
        Fd console(open("/dev/console", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
        if (console)
            priv::mount(pty.name, "/dev/console", nullptr, MS_BIND, "");
    }
    sendMessage(sock, messageType, pty.name, pty.master.get());
    pty.master.reset();
    becomeTerminalOf(std::move(pty.slave), pty.name);
}

void copyWindowSize(int from, int to)
{
    winsize ws {};
    if (ioctl(from, TIOCGWINSZ, &ws) == 0)
        ioctl(to, TIOCSWINSZ, &ws);
}

void setWindowSize(int pty, unsigned rows, unsigned cols)
{
    if (rows == 0 || cols == 0)
        return;
    winsize ws {};
    ws.ws_row = static_cast<unsigned short>(rows);
    ws.ws_col = static_cast<unsigned short>(cols);
    ioctl(pty, TIOCSWINSZ, &ws); // the kernel sends the foreground group SIGWINCH
}

RawTerminal::RawTerminal(bool wanted)
{
    if (!wanted || !isatty(0) || tcgetattr(0, &m_saved) < 0)
        return;
    termios raw = m_saved;
    cfmakeraw(&raw);
    m_active = tcsetattr(0, TCSANOW, &raw) == 0;
}

RawTerminal::~RawTerminal()
{
    if (m_active)
        tcsetattr(0, TCSANOW, &m_saved);
}

} // namespace hood
