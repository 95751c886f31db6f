// Errors of the engine. Like crun's libcrun_error_t and runc's mountError, an
// error carries the operation, the path and errno, and reads as one sentence:
//   "exec /foo: no such file or directory"
#pragma once

#include <stdexcept>
#include <string>

namespace hood {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string &sentence, int err = 0)
        : std::runtime_error(sentence), m_errno(err) {}

    // "<op> <path>: <strerror(err) in lower case>"; path may be empty.
    static Error sys(const std::string &op, const std::string &path, int err);

    // errno of the failed call, 0 when the error is not a failed system call.
    int code() const noexcept { return m_errno; }

private:
    int m_errno;
};

// strerror(err) with a lower-case first letter, as in "no such file or directory".
std::string errnoText(int err);

// Throws Error::sys(op, path, errno) when rc < 0; returns rc otherwise.
inline long check(long rc, const char *op, const std::string &path = {})
{
    if (rc < 0)
        throw Error::sys(op, path, errno);
    return rc;
}

} // namespace hood
