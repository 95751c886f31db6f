#include "channel.h"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>

namespace hood {

void sendMessage(int sock, char type, const std::string &text, int fd)
{
    std::string buf = std::string(1, type) + text;
    iovec iov {buf.data(), buf.size()};
    msghdr m {};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] {};
    if (fd >= 0) {
        m.msg_control = control;
        m.msg_controllen = sizeof control;
        cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    while (sendmsg(sock, &m, MSG_NOSIGNAL) < 0 && errno == EINTR) {
    }
}

ssize_t receiveMessage(int sock, std::string &out, int *fd)
{
    // Messages are short sentences, except the init's start-up steps (~10 KiB).
    static thread_local std::string buf(64 * 1024, '\0');
    iovec iov {buf.data(), buf.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] {};
    msghdr m {};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    ssize_t n;
    while ((n = recvmsg(sock, &m, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
    }
    if (n > 0)
        out.assign(buf.data(), static_cast<size_t>(n));
    if (n > 0 && (m.msg_flags & MSG_TRUNC)) {
        out = std::string(1, out[0]) + "(message cut at 64 KiB)";
        if (out[0] != 'E')
            out = "E" + out.substr(1);
    }
    for (cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && fd)
            memcpy(fd, CMSG_DATA(c), sizeof(int));
    }
    return n;
}

} // namespace hood
