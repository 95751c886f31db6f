// File-level helpers shared by the v1 and v2 backends, the sampler and
// removeCgroupPath. Internal to core/cgroups: callers outside this folder use
// cgroups.h and sampler.h.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood::cgfs {

// Owns one file descriptor.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd &&other) noexcept : m_fd(other.release()) {}
    Fd &operator=(Fd &&other) noexcept;
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    ~Fd();

    int get() const { return m_fd; }
    explicit operator bool() const { return m_fd >= 0; }
    int release() noexcept;

private:
    int m_fd = -1;
};

std::string join(const std::string &dir, std::string_view name);
bool exists(const std::string &path);

// Whole file. Throws hood::Error ("open <path>: ..." / "read <path>: ...").
std::string readFile(const std::string &path);
// nullopt when the file does not exist; other errors throw.
std::optional<std::string> readFileIfExists(const std::string &path);
// pread from offset 0 until EOF into buffer (reused between calls, as the sampler does).
// Returns false with errno set on failure.
bool preadAll(int fd, std::string &buffer);

// Writes value (no newline) to an existing control file. Throws hood::Error naming
// the file and the value: "write <path> (<value>): invalid argument".
void writeFile(const std::string &path, const std::string &value);

// mkdir 0755; an existing directory is fine (mkdir -p semantics for one level).
// Returns errno (0 on success) so callers can react to ENOENT (also when an
// existing directory was removed between mkdir and the check).
int makeDir(const std::string &path);

// Whitespace-separated words of a file ("cpu io memory pids"); empty when missing.
std::vector<std::string> readWords(const std::string &path);

// The pids listed in <dir>/cgroup.procs; empty when the file is missing.
std::vector<pid_t> readProcs(const std::string &dir);

// SIGKILL everything in <dir> (through cgroup.kill when the kernel has it, then by
// looping over cgroup.procs, which also catches children forked meanwhile) until
// cgroup.procs is empty or the deadline passes. Throws hood::Error on timeout.
void killProcesses(const std::string &dir, std::chrono::steady_clock::time_point deadline);
// killProcesses() on dir and on every child cgroup below it (deepest first): on v1
// a parent's cgroup.procs does not list the processes of its children.
void killTree(const std::string &dir, std::chrono::steady_clock::time_point deadline);

// Removes a cgroup directory and any child cgroups below it (made by the
// container itself), deepest first. rmdir of a cgroup whose last tasks are still
// exiting fails with EBUSY for a moment, so that is retried until the deadline.
// A missing directory counts as removed. Returns false with *why on failure.
bool removeTree(const std::string &dir, std::chrono::steady_clock::time_point deadline,
                std::string *why);

// One rmdir of the shared parent: it only succeeds when no other container has a
// cgroup below it, which the kernel checks atomically.
void removeParentIfEmpty(const std::string &dir) noexcept;

} // namespace hood::cgfs
