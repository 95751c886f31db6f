#include "fd.h"

#include <unistd.h>

namespace hood {

void Fd::reset(int fd) noexcept
{
    if (m_fd >= 0 && m_fd != fd)
        ::close(m_fd);
    m_fd = fd;
}

} // namespace hood

#include "error.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>

namespace hood {

FdPair makePipe()
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        throw Error::sys("pipe", "", errno);
    return {Fd(fds[0]), Fd(fds[1])};
}

FdPair makeSocketPair(int type)
{
    int fds[2];
    if (socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds) < 0)
        throw Error::sys("socketpair", "", errno);
    return {Fd(fds[0]), Fd(fds[1])};
}

} // namespace hood
