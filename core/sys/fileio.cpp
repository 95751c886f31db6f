#include "fileio.h"

#include "error.h"
#include "fd.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace hood {

bool preadAll(int fd, std::string &buffer)
{
    // Kernel files are generated in one go; 4 KiB covers all but a long io.stat
    // or mountinfo, and the buffer only ever grows.
    if (buffer.capacity() < 4096)
        buffer.reserve(4096);
    buffer.resize(buffer.capacity());
    size_t used = 0;
    for (;;) {
        if (used == buffer.size())
            buffer.resize(buffer.size() * 2);
        ssize_t n = ::pread(fd, buffer.data() + used, buffer.size() - used, static_cast<off_t>(used));
        if (n < 0 && errno == ESPIPE) // a pipe (hoodctl run --spec -): read it in order
            n = ::read(fd, buffer.data() + used, buffer.size() - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0)
            break;
        used += static_cast<size_t>(n);
    }
    buffer.resize(used);
    return true;
}

int readFileNoThrow(const std::string &path, std::string &out)
{
    out.clear();
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        return errno;
    return preadAll(fd.get(), out) ? 0 : errno;
}

std::optional<std::string> readFileIfExists(const std::string &path)
{
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd && errno == ENOENT)
        return std::nullopt;
    if (!fd)
        throw Error::sys("open", path, errno);
    std::string text;
    if (!preadAll(fd.get(), text))
        throw Error::sys("read", path, errno);
    return text;
}

std::string readFile(const std::string &path)
{
    auto text = readFileIfExists(path);
    if (!text)
        throw Error::sys("open", path, ENOENT);
    return *text;
}

bool writeAll(int fd, const void *data, size_t size)
{
    const char *p = static_cast<const char *>(data);
    while (size > 0) {
        ssize_t n = ::write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

namespace {
std::string firstLine(std::string_view text)
{
    return std::string(text.substr(0, text.find('\n')));
}
} // namespace

void writeFile(const std::string &path, std::string_view text)
{
    const std::string what = path + " (" + firstLine(text) + ")";
    // O_TRUNC means nothing to cgroupfs or procfs; it keeps fixture files exact.
    Fd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC));
    if (!fd)
        throw Error::sys("write", what, errno);
    // One write(2): a control file takes its value in a single call.
    ssize_t n;
    do {
        n = ::write(fd.get(), text.data(), text.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        throw Error::sys("write", what, errno);
    if (static_cast<size_t>(n) != text.size())
        throw Error("write " + what + ": short write");
}

void writeNewFile(const std::string &path, std::string_view text, mode_t mode)
{
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
    if (!fd)
        throw Error::sys("create", path, errno);
    if (!writeAll(fd.get(), text.data(), text.size()))
        throw Error::sys("write", path, errno ? errno : EIO);
}

void replaceFile(const std::string &path, std::string_view text, mode_t mode)
{
    std::string tmp = path + ".tmp";
    {
        Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
        if (!fd)
            throw Error::sys("create", tmp, errno);
        if (!writeAll(fd.get(), text.data(), text.size()))
            throw Error::sys("write", tmp, errno ? errno : EIO);
    }
    if (::rename(tmp.c_str(), path.c_str()) < 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw Error::sys("rename " + tmp + " to", path, err);
    }
}

} // namespace hood
