// File-level helpers shared by the v1 and v2 backends, the sampler and
// removeCgroupPath. Internal to core/cgroups: callers outside this folder use
// cgroups.h and sampler.h.
#pragma once

#include "sys/fd.h"
#include "sys/fileio.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood::cgfs {

using hood::Fd;
using hood::preadAll;
using hood::readFile;
using hood::readFileIfExists;
// A control file of one of Hood's cgroups: written through the privileged-
// operations module, so each write is a named, traced step (runtime/privops.h).
void writeFile(const std::string &path, std::string_view value);

std::string join(const std::string &dir, std::string_view name);
bool exists(const std::string &path);

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
