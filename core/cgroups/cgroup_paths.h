// Where a process's cgroups are, and where a cgroup directory sits: the one
// reader of /proc/PID/cgroup and the one mapping from a cgroup directory to its
// hierarchy, for the runtime, the inspector, the sampler and the GUI. Pure
// functions of text and paths, except readProcCgroup().
#pragma once

#include "cgroups.h"

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood {

// One line of /proc/PID/cgroup: "4:memory:/hood/abc" or "0::/user.slice".
struct ProcCgroupLine {
    unsigned hierarchyId = 0;
    std::vector<std::string> controllers; // "cpu", "cpuacct", "name=systemd"; empty for "0::"
    std::string path;                     // relative to the hierarchy's root
    // v2's line (the only one on v2, the "unified" one in hybrid mode).
    bool isUnified() const { return hierarchyId == 0 && controllers.empty(); }
};

// Pure. Lines that are not "number:list:path" are skipped; a path keeps its colons.
std::vector<ProcCgroupLine> parseProcCgroup(std::string_view text);
// /proc/<pid>/cgroup (pid 0: /proc/self/cgroup) parsed. Throws hood::Error.
std::vector<ProcCgroupLine> readProcCgroup(pid_t pid = 0, const std::string &procRoot = "/proc");

// The line of the hierarchy that carries `controller` ("pids"); an empty
// controller means v2's "0::" line. nullptr when there is none.
const ProcCgroupLine *cgroupLineFor(const std::vector<ProcCgroupLine> &lines,
                                    std::string_view controller);

// The v1 hierarchies a process belongs to, as mount(2) wants them to mount each
// afresh: "cpu,cpuacct" -> {dir "cpu,cpuacct", options "cpu,cpuacct"},
// "name=systemd" -> {dir "systemd", options "none,name=systemd"}. Empty on a pure
// v2 machine (only the "0::" line): then one cgroup2 mount stands for them all.
struct CgroupHierarchyMount {
    std::string dir;
    std::string options;
    std::string path; // the reader's cgroup in it ("/" inside its own cgroup namespace)
};
std::vector<CgroupHierarchyMount> v1HierarchyMounts(const std::vector<ProcCgroupLine> &lines);

// A named v1 hierarchy (no controller) "name=X" is mounted at <root>/X, by
// systemd's convention: "X". "" for a controller's list ("cpu,cpuacct").
std::string namedHierarchyDir(std::string_view controllers);

// "/sys/fs/cgroup/pids/hood/x" -> {"pids", "/hood/x"} (v1: the hierarchy's first
// controller), "/sys/fs/cgroup/hood/x" on v2 and "/sys/fs/cgroup/unified/hood/x"
// in hybrid mode -> {"", "/hood/x"}: what cgroupLineFor() and /proc/PID/cgroup
// name. nullopt for a directory outside root.
struct CgroupLocation {
    std::string controller;
    std::string path;
};
std::optional<CgroupLocation> cgroupLocation(const std::string &dir, CgroupMode mode,
                                             const std::string &root = "/sys/fs/cgroup");

// Of a container's cgroup directories (CgroupManager::paths()), the one whose
// members are "its processes": v2's only one; on v1 the pids hierarchy's (each
// process is in every hierarchy, and pids is one Hood always makes), else the
// first. nullopt when none lies under root.
std::optional<CgroupLocation> processCgroupLocation(const std::vector<std::string> &dirs,
                                                    CgroupMode mode,
                                                    const std::string &root = "/sys/fs/cgroup");

// The directory a container's cgroup gets for one controller, by layout only
// (v1 hierarchies named after the controller, no file system access): v2
// <base or root>/<parent>/<name>, v1 and hybrid <root>/<controller>/<parent>/<name>.
// For showing the commands the runtime runs; the runtime itself uses paths().
std::string containerCgroupDir(CgroupMode mode, const std::string &controller,
                               const CgroupOptions &options);

} // namespace hood
