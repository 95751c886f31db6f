// The one owner of a file descriptor in core. Every fd the engine opens lives in
// an Fd from the moment open() returns, so an early return or an exception can
// never leak one (monitor, init, exec helper, inspectors and cgroup code alike).
#pragma once

#include <utility>

namespace hood {

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) noexcept : m_fd(fd) {}
    Fd(Fd &&other) noexcept : m_fd(other.release()) {}
    Fd &operator=(Fd &&other) noexcept
    {
        if (this != &other)
            reset(other.release());
        return *this;
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd() { reset(); }

    int get() const noexcept { return m_fd; }
    explicit operator bool() const noexcept { return m_fd >= 0; }
    // Gives the fd up without closing it (to a caller that closes it, or exec).
    int release() noexcept { return std::exchange(m_fd, -1); }
    // Closes the fd held (if any) and holds fd instead.
    void reset(int fd = -1) noexcept;

private:
    int m_fd = -1;
};

} // namespace hood

namespace hood {

// Both ends of a pipe2(O_CLOEXEC) or a socketpair(AF_UNIX, type | SOCK_CLOEXEC).
// Throw hood::Error.
struct FdPair {
    Fd first;  // a pipe's read end
    Fd second; // a pipe's write end
};
FdPair makePipe();
FdPair makeSocketPair(int type);

} // namespace hood
