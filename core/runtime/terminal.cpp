#include "terminal.h"

#include "error.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace hood {

Pty openPty()
{
    Pty pty;
    pty.master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (pty.master < 0)
        throw Error::sys("open", "/dev/ptmx", errno);
    char name[64];
    if (unlockpt(pty.master) < 0 || ptsname_r(pty.master, name, sizeof name) != 0)
        throw Error::sys("unlock pty", "/dev/ptmx", errno);
    pty.name = name;
    pty.slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (pty.slave < 0)
        throw Error::sys("open", name, errno);
    return pty;
}

void becomeTerminalOf(int slave, const std::string &name)
{
    check(setsid(), "setsid", "");
    check(ioctl(slave, TIOCSCTTY, 0), "make controlling terminal", name);
    for (int target = 0; target < 3; ++target)
        check(dup2(slave, target), "dup2", name);
    close(slave);
}

void copyWindowSize(int from, int to)
{
    winsize ws {};
    if (ioctl(from, TIOCGWINSZ, &ws) == 0)
        ioctl(to, TIOCSWINSZ, &ws);
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
