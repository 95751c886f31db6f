#include "snapshot.h"

#include "inspectjson.h"

#include <exception>
#include <unistd.h>

namespace hood::inspect {

namespace {

template <typename T, typename Read> Part<T> attempt(Read &&read)
{
    Part<T> part;
    try {
        part.value = read();
    } catch (const std::exception &e) {
        part.error = e.what();
    }
    return part;
}

// The host's table to compare with: pid 1's, or ours when pid 1's is closed to
// us (a normal user in some sandboxes), as readHostNamespaces() does.
MountTree hostMounts(std::string &reference)
{
    try {
        MountTree host = readMountTree(1);
        reference = "pid 1";
        return host;
    } catch (const std::exception &e) {
        reference = "this process, because pid 1 cannot be read (" + std::string(e.what()) + ")";
        return readMountTree(getpid());
    }
}

void readMounts(Snapshot &s)
{
    s.mounts = attempt<MountTree>([&] { return readMountTree(s.pid); });
    if (!s.mounts.value)
        return;
    try {
        s.mountDiff = diffMounts(*s.mounts.value, hostMounts(s.mountReference));
    } catch (const std::exception &e) {
        s.mountReference = std::string("nothing (") + e.what() + ")";
    }
}

std::vector<pid_t> containerPids(const SnapshotRequest &r, CgroupMode mode)
{
    std::optional<CgroupLocation> where = processCgroupLocation(r.cgroupDirs, mode, r.cgroupRoot);
    if (!where)
        return descendantsOf(r.pid);
    return pidsInCgroup(where->controller, where->path);
}

void readCgroup(Snapshot &s, const SnapshotRequest &r)
{
    try {
        s.cgroupMode = detectCgroupMode(r.cgroupRoot);
        s.cgroupDirs = r.cgroupDirs.empty()
                           ? cgroupDirsOfProcess(s.pid, *s.cgroupMode, r.cgroupRoot)
                           : r.cgroupDirs;
    } catch (const std::exception &e) {
        s.cgroup.error = e.what();
        return;
    }
    s.cgroup =
        attempt<CgroupSample>([&] { return CgroupSampler(s.cgroupDirs, s.cgroupMode).sample(); });
}

} // namespace

Snapshot takeSnapshot(const SnapshotRequest &r)
{
    Snapshot s;
    s.pid = r.pid;
    s.namespaces = attempt<NsView>([&] { return inspectNamespaces(r.pid, r.others); });
    readMounts(s);
    readCgroup(s, r);
    s.processes = attempt<ProcessTree>([&] {
        if (r.cgroupDirs.empty() || !s.cgroupMode)
            return buildProcessTree(descendantsOf(r.pid));
        return buildProcessTree(containerPids(r, *s.cgroupMode));
    });
    s.network = attempt<NetView>([&] { return readNetView(r.pid); });
    return s;
}

namespace {
template <typename T> void putPart(nlohmann::json &j, const char *key, const Part<T> &part)
{
    if (part.value)
        j[key] = *part.value;
    else
        j[key] = nullptr, j["errors"][key] = part.error;
}
} // namespace

void to_json(nlohmann::json &j, const Snapshot &s)
{
    j = {{"pid", s.pid}, {"errors", nlohmann::json::object()}};
    putPart(j, "namespaces", s.namespaces);
    putPart(j, "mounts", s.mounts);
    if (s.mounts.value) {
        j["mountsAdded"] = addedMountsJson(*s.mounts.value, s.mountDiff);
        j["mountsHidden"] = s.mountDiff.removed.size();
        j["mountReference"] = s.mountReference;
    }
    putPart(j, "cgroup", s.cgroup);
    j["cgroupDirs"] = s.cgroupDirs;
    if (s.cgroupMode)
        j["cgroupMode"] = cgroupModeName(*s.cgroupMode);
    putPart(j, "processes", s.processes);
    putPart(j, "network", s.network);
}

} // namespace hood::inspect

namespace hood {

namespace {
template <typename T> nlohmann::json orNull(const std::optional<T> &value)
{
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json memoryStatJson(const MemoryStat &m)
{
    return {{"anon", m.anon},
            {"file", m.file},
            {"shmem", m.shmem},
            {"fileMapped", m.fileMapped},
            {"fileDirty", m.fileDirty},
            {"fileWriteback", m.fileWriteback},
            {"activeAnon", m.activeAnon},
            {"inactiveAnon", m.inactiveAnon},
            {"activeFile", m.activeFile},
            {"inactiveFile", m.inactiveFile},
            {"unevictable", m.unevictable},
            {"pgfault", m.pgfault},
            {"pgmajfault", m.pgmajfault},
            {"kernel", orNull(m.kernel)},
            {"slab", orNull(m.slab)},
            {"sock", orNull(m.sock)},
            {"swap", orNull(m.swap)}};
}
} // namespace

void to_json(nlohmann::json &j, const CgroupSample &s)
{
    const CgroupStats &st = s.stats;
    j = {{"cpuUsageNs", st.cpuUsageNs},
         {"cpuPercent", orNull(s.cpuPercent)},
         {"cpuLimit", orNull(s.cpuLimit)},
         {"throttledPeriods", st.throttledPeriods},
         {"throttledNs", st.throttledNs},
         {"memoryCurrent", st.memoryCurrent},
         {"memoryPeak", st.memoryPeak},
         {"memoryLimit", orNull(st.memoryLimit)},
         {"memoryLimitHits", s.memoryLimitHits},
         {"memoryStat", memoryStatJson(s.memory)},
         {"pidsCurrent", st.pidsCurrent},
         {"pidsMax", orNull(st.pidsMax)},
         {"pidsLimitHits", s.pidsLimitHits},
         {"io",
          {{"readBytes", s.io.readBytes},
           {"writeBytes", s.io.writeBytes},
           {"readOps", s.io.readOps},
           {"writeOps", s.io.writeOps}}},
         {"oomEvents", st.oomEvents},
         {"oomKills", st.oomKills}};
}

} // namespace hood
