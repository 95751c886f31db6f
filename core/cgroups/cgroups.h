// One interface over cgroup v1 and v2 (runc's Manager with fs/ and fs2/). Every
// v1/v2 difference lives in this folder; the runtime never names a control file.
// Live usage (CPU %, memory.stat, IO) for the GUI and `hoodctl top`: sampler.h.
#pragma once

#include "spec/spec.h"
#include "spec/units.h" // formatBytes, for the limits in messages

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace hood {

enum class CgroupMode {
    V1,     // legacy: every controller on its own v1 hierarchy
    Hybrid, // v1 controllers plus a v2 hierarchy at <root>/unified (this build machine)
    V2,     // unified: one cgroup2 hierarchy at <root>
};

const char *cgroupModeName(CgroupMode mode); // "v1", "hybrid", "v2"

// Pure: the mode from the statfs f_type of <root> and of <root>/unified
// (0 when that path does not exist). Throws hood::Error when <root> is neither a
// tmpfs (v1/hybrid) nor a cgroup2 mount.
CgroupMode cgroupModeFromMagic(long rootMagic, long unifiedMagic);

// statfs on <root> and <root>/unified, computed once per root and cached.
CgroupMode detectCgroupMode(const std::string &root = "/sys/fs/cgroup");

struct CgroupStats {
    uint64_t cpuUsageNs = 0;
    uint64_t throttledPeriods = 0;
    uint64_t throttledNs = 0;
    uint64_t memoryCurrent = 0;
    uint64_t memoryPeak = 0;                // 0 when the kernel does not report it
    std::optional<uint64_t> memoryLimit;    // nullopt: unlimited
    uint64_t pidsCurrent = 0;
    std::optional<uint64_t> pidsMax;        // nullopt: unlimited
    uint64_t oomEvents = 0;                 // times the limit was hit with reclaim failing
    uint64_t oomKills = 0;                  // processes killed by the OOM killer
};

class CgroupManager {
public:
    virtual ~CgroupManager() = default;

    virtual CgroupMode mode() const = 0;
    // Every directory create() makes, parent ("hood") excluded, so the caller can
    // journal them before they exist. For v1 one per hierarchy used.
    virtual std::vector<std::string> paths() const = 0;
    // The directories above paths() that create() will make because they do not
    // exist yet (a cgroupsPath's parents), outermost first, for the journal.
    virtual std::vector<std::string> missingParents() const = 0;
    // Makes the directories (and the shared "hood" parent, enabling controllers in
    // v2's cgroup.subtree_control where needed). Throws hood::Error.
    virtual void create() = 0;
    // Writes the limits. Throws hood::Error naming the file and the value on failure,
    // or saying plainly that a controller is missing.
    virtual void apply(const Resources &resources) = 0;
    virtual void addProcess(pid_t pid) = 0;
    // Files a single-threaded process writes "0" to, to move itself in. v1: each
    // leaf's "tasks": moving one thread skips the thread-group lock that makes a
    // cgroup.procs write wait for an RCU grace period (5-15 ms per container on this
    // machine). v2: none; join at clone time instead (cloneIntoPath()).
    virtual std::vector<std::string> selfJoinFiles() const = 0;
    // v2: the leaf to give clone3's CLONE_INTO_CGROUP; empty for v1.
    virtual std::string cloneIntoPath() const = 0;
    virtual CgroupStats stats() const = 0;
    // SIGKILL every process in the cgroup and wait (bounded) until it is empty.
    virtual void killAll() = 0;
    // killAll(), then remove the directories; idempotent, never throws.
    virtual void destroy() noexcept = 0;
};

struct CgroupOptions {
    std::string root = "/sys/fs/cgroup"; // a fixture tree in unit tests
    // v2 only: the directory the parent goes in. Empty: root. Rootless, a
    // delegated subtree (findDelegatedBase(), delegation.h); then only the
    // controllers of <base>/cgroup.controllers exist and root is never written.
    std::string base;
    std::string parent = "hood";         // under base (root when base is empty)
    std::string name;                    // the container's ID
    std::optional<CgroupMode> mode;      // detected when not set
    // v1: a directory in the devices hierarchy too, for linux.resources.devices
    // (only then: it costs a mkdir and an rmdir per container).
    bool devices = false;
    // linux.cgroupsPath, as runc's cgroupfs driver reads it: absolute, below each
    // hierarchy's root; relative, below the cgroup of this process (v2: its
    // parent). ".." cannot climb out. Empty: Hood's own <base>/<parent>/<name>.
    std::string path;
};

std::unique_ptr<CgroupManager> makeCgroupManager(const CgroupOptions &options);

// pause / resume of a container whose cgroup directories are paths (state.json's
// cgroupPaths): v1's freezer.state, v2's cgroup.freeze, and waits (bounded) until
// the kernel says every task is frozen. Throws hood::Error naming the file, or
// saying that no freezer is there.
void freezeCgroup(const std::vector<std::string> &paths, bool frozen);
// True when the freezer of those directories reads frozen.
bool cgroupFrozen(const std::vector<std::string> &paths);

// Removes a cgroup directory left by a dead container (journal replay): kills what
// is still inside, then rmdir. Works for v1 and v2 paths. Never throws; returns
// false with a reason in *why when something could not be removed. Only a path
// <cgroup mount root>/hood/<name> is accepted, or for a caller other than root
// <base>/hood/<name> where base is a cgroup directory the caller owns (a delegated
// subtree); anything else is refused with a reason. An empty "hood" parent is
// removed with it.
bool removeCgroupPath(const std::string &path, std::string *why = nullptr);
// A container's cgroup at its linux.cgroupsPath (/libpod_parent/libpod-ID): as
// removeCgroupPath, for root only, strictly below a cgroup mount root, and never a
// cgroup that holds this process.
bool removeSpecCgroup(const std::string &path, std::string *why = nullptr);
// A parent a container's cgroupsPath made: rmdir when it is empty (another
// container may still use it: then it stays, and that is no failure). Only a
// directory strictly below a cgroup mount root is touched. Never throws.
bool removeCgroupParent(const std::string &path, std::string *why = nullptr);


} // namespace hood
