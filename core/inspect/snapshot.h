// Everything `hoodctl inspect` shows about one process, read once: its
// namespaces, mount tree (and what is new against the host's), one cgroup
// usage sample, its processes and its network namespace. Each part is read on
// its own, so a part that cannot be read (a network namespace we may not
// enter, a cgroup already removed) carries its one sentence and the others are
// still shown.
#pragma once

#include "cgroups/sampler.h"
#include "mounttree.h"
#include "netview.h"
#include "nsview.h"
#include "proctree.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace hood::inspect {

template <typename T> struct Part {
    std::optional<T> value;
    std::string error; // one sentence when value is empty
};

struct SnapshotRequest {
    pid_t pid = 0;
    // A container's cgroup directories (its state's cgroupPaths): its processes
    // are every process in them, exec'd ones included. Empty: the cgroups
    // /proc/PID/cgroup names, and the processes are pid and its descendants.
    std::vector<std::string> cgroupDirs;
    std::vector<pid_t> others; // other containers' pids, for "shared with"
    std::string cgroupRoot = "/sys/fs/cgroup";
};

struct Snapshot {
    pid_t pid = 0;
    Part<NsView> namespaces;
    Part<MountTree> mounts;
    MountDiff mountDiff;        // against pid 1's table (empty when mounts failed)
    std::string mountReference; // "pid 1", or what stood in for it
    std::vector<std::string> cgroupDirs;
    std::optional<CgroupMode> cgroupMode;
    Part<CgroupSample> cgroup;
    Part<ProcessTree> processes;
    Part<NetView> network;
};

Snapshot takeSnapshot(const SnapshotRequest &request);

// The arguments of pidsInCgroup() for a cgroup directory: core/cgroups knows them.
using hood::CgroupLocation;
using hood::cgroupLocation;

void to_json(nlohmann::json &j, const Snapshot &snapshot);

} // namespace hood::inspect

namespace hood {
// For --json; in namespace hood so that ADL finds it for CgroupSample.
void to_json(nlohmann::json &j, const CgroupSample &sample);
} // namespace hood
