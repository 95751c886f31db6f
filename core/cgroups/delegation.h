// Rootless cgroups on v2, as podman does on a systemd desktop: systemd gives each
// user a subtree (user@UID.service, Delegate=yes) whose directories and
// cgroup.procs / cgroup.subtree_control files that user owns. Hood makes
// <base>/hood/<id> there for a rootless container (CgroupOptions::base). cgroup v1
// (and hybrid mode, whose controllers are on v1) delegates nothing to a user.
#pragma once

#include "cgroups.h"

#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood {

struct CgroupDelegation {
    std::string base;                     // empty: nothing usable is delegated
    std::vector<std::string> controllers; // <base>/cgroup.controllers
    std::string why;                      // one sentence: where it was found, or why not
    bool delegated() const { return !base.empty(); }
};

// The topmost ancestor (or itself) of the process's v2 cgroup, below root, that
// uid owns along with its cgroup.procs and cgroup.subtree_control, walking up
// from the process's own cgroup while that holds. Refused when the process sits
// in that directory itself: cgroup v2 gives controllers to children only from a
// cgroup without processes ("no internal processes"). procCgroup is the text of
// /proc/self/cgroup. Pure but for lstat and reads below root (fixture trees).
CgroupDelegation findDelegatedBase(const std::string &root, CgroupMode mode,
                                   std::string_view procCgroup, uid_t uid);

// This process, this machine (/sys/fs/cgroup, /proc/self/cgroup, geteuid()).
// Never throws: a machine without cgroups has nothing delegated, with the reason.
CgroupDelegation detectDelegation();

// Of the controllers the limits need (memory, cpu, pids), those the delegated
// base does not offer, in that order.
std::vector<std::string> missingControllers(const CgroupDelegation &delegation,
                                            const Resources &resources);

} // namespace hood
