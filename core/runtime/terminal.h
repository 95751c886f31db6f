// Terminals for containers: a pty taken from the container's own devpts (so that
// `tty` inside names a device that exists there), and the user's side of it.
// Shared by the container's init, the monitor and `hoodctl exec`.
#pragma once

#include "sys/fd.h"
#include "sys/fileio.h" // writeAll

#include <cstddef>
#include <string>
#include <termios.h>

namespace hood {

struct Pty {
    Fd master;
    Fd slave;
    std::string name; // /dev/pts/N as seen in the current mount namespace
};

// Opens /dev/ptmx of the current mount namespace (close-on-exec ends). Throws.
Pty openPty();

// setsid, make `slave` the controlling terminal, put it on fds 0, 1 and 2.
void becomeTerminalOf(Fd slave, const std::string &name);

// The terminal of a process Hood starts in a container (the init, `hoodctl exec
// -t`): a pty from the container's own devpts instance (so `tty` names a device
// that exists inside), bound on /dev/console when bindConsole, its master sent
// over sock as a message of type messageType (SCM_RIGHTS, like runc's console
// socket), its slave made our controlling terminal and fds 0-2.
void attachNewTerminal(int sock, char messageType, bool bindConsole);

// Copies the window size of `from` to `to` (when `from` is a terminal).
void copyWindowSize(int from, int to);
// The pty's size as a client's window gives it (attach.sock); 0 rows or columns are
// ignored (a terminal that has not been laid out yet).
void setWindowSize(int pty, unsigned rows, unsigned cols);

// The user's terminal in raw mode while a container's terminal is attached: every
// key goes to the container's line discipline, which does echo and ^C there.
class RawTerminal {
public:
    explicit RawTerminal(bool wanted);
    ~RawTerminal();
    RawTerminal(const RawTerminal &) = delete;
    RawTerminal &operator=(const RawTerminal &) = delete;

private:
    termios m_saved {};
    bool m_active = false;
};

} // namespace hood
