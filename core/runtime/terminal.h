// Terminals for containers: a pty taken from the container's own devpts (so that
// `tty` inside names a device that exists there), and the user's side of it.
// Shared by the container's init, the monitor and `hoodctl exec`.
#pragma once

#include "sys/fileio.h" // writeAll

#include <cstddef>
#include <string>
#include <termios.h>

namespace hood {

struct Pty {
    int master = -1;
    int slave = -1;
    std::string name; // /dev/pts/N as seen in the current mount namespace
};

// Opens /dev/ptmx of the current mount namespace (close-on-exec ends). Throws.
Pty openPty();

// setsid, make `slave` the controlling terminal, put it on fds 0, 1 and 2.
void becomeTerminalOf(int slave, const std::string &name);

// Copies the window size of `from` to `to` (when `from` is a terminal).
void copyWindowSize(int from, int to);

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
