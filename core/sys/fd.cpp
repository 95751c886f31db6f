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
