// Small file helpers for all of core. Errors read as one sentence naming the
// operation and the path ("open /proc/42/status: no such file or directory").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace hood {

// Whole file, read until EOF (/proc and cgroup files report size 0; a pipe such as
// /dev/stdin is read in order). Throws
// hood::Error ("open <path>: ..." / "read <path>: ...").
std::string readFile(const std::string &path);
// nullopt when the file does not exist; other errors throw.
std::optional<std::string> readFileIfExists(const std::string &path);
// Returns errno instead of throwing (0 on success): a /proc file that vanishes
// with its process is a normal outcome for an inspector.
int readFileNoThrow(const std::string &path, std::string &out);
// pread from offset 0 (read(2) for a pipe) until EOF into buffer (reused between calls, as the sampler
// does). Returns false with errno set on failure.
bool preadAll(int fd, std::string &buffer);

// Writes text to an existing file in one write(2) (control files: cgroup,
// uid_map). Throws hood::Error naming the file and the value:
//   "write /sys/fs/cgroup/pids/hood/x/pids.max (12): invalid argument"
void writeFile(const std::string &path, std::string_view text);
// Creates path (O_EXCL, mode) and writes text; throws when it exists.
void writeNewFile(const std::string &path, std::string_view text, mode_t mode = 0600);
// Writes path.tmp and renames it over path, so a reader sees the old or the new
// text, never half of one.
void replaceFile(const std::string &path, std::string_view text, mode_t mode = 0600);
// write(2) until all of data is written (EINTR and short writes retried).
bool writeAll(int fd, const void *data, size_t size);

} // namespace hood
