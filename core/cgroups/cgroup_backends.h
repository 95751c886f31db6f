// The two backends behind makeCgroupManager(), and what they share.
// Internal to core/cgroups.
#pragma once

#include "cgroups.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace hood::detail {

std::unique_ptr<CgroupManager> makeV1Manager(const CgroupOptions &options, CgroupMode mode);
std::unique_ptr<CgroupManager> makeV2Manager(const CgroupOptions &options);

// The controllers Hood uses on v1, in the order of a manager's paths(). blkio only
// feeds the sampler's IO bytes, so a machine without it loses nothing else; freezer
// is for pause and resume. cgroupDirsOfProcess() reads the same list.
inline constexpr const char *kV1Controllers[] = {"memory", "cpu", "cpuacct", "pids", "blkio", "freezer"};

// The v1 hierarchy that carries a controller: the real directory under root whose
// comma-separated name lists it ("memory", or "cpu,cpuacct" when co-mounted; the
// "cpu" and "cpuacct" symlinks next to such a mount are skipped, so a co-mounted
// hierarchy is found once). Absolute path, or nullopt when there is none.
std::optional<std::string> findV1Hierarchy(const std::string &root, const std::string &controller);

// killAll()'s bound: long enough for a process stuck in the kernel to die, short
// enough that nothing in the GUI hangs.
constexpr std::chrono::milliseconds kKillTimeout{2000};
// destroy()'s bound for rmdir retries while the last tasks finish exiting.
constexpr std::chrono::milliseconds kRemoveTimeout{1000};

// mkdir parent (then prepareParent, e.g. v2's subtree_control), then mkdir leaf.
// A concurrent destroy() of another container may remove the empty parent between
// the two (ENOENT, or ENODEV while it is going); then the whole step is retried.
// Throws hood::Error.
void createLeaf(const std::string &parent, const std::string &leaf,
                const std::function<void()> &prepareParent);

// linux.cgroupsPath (CgroupOptions::path) in one hierarchy: the leaf directory.
// hierarchyDir is the mount (<root>/memory, or the v2 root); controller names the
// v1 line of /proc/self/cgroup to start a relative path from ("" on v2, whose
// relative paths start at the parent of this process's cgroup, as runc's fs2).
std::string specCgroupLeaf(const std::string &hierarchyDir, const std::string &controller,
                           const std::string &specPath);
// The directories strictly between top and leaf that do not exist, outermost first.
std::vector<std::string> missingBetween(const std::string &top, const std::string &leaf);

// One sentence for a controller the machine does not offer.
[[noreturn]] void throwMissingController(const std::string &controller, const std::string &detail);

} // namespace hood::detail
