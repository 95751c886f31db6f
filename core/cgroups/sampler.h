// The cgroup usage sampler (issue 3): what systemd-cgtop shows for one cgroup,
// cheap enough to run many times a second. The control files are opened once
// and re-read with pread(2) at offset 0 on every sample, so a tick costs one
// syscall per file and no path lookups. v1 and v2 behind one struct.
#pragma once

#include "cgroup_parse.h"
#include "cgroup_paths.h"
#include "cgroups.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood {

struct CgroupSample {
    // The same numbers CgroupManager::stats() returns. On v1, oomEvents equals
    // oomKills: v1 has no count of OOM situations (memory.oom_control's
    // under_oom is a state, not a count), and with the OOM killer enabled, as Hood
    // leaves it, each of them ends in a kill.
    CgroupStats stats;
    MemoryStat memory;
    // On v1 the blkio.throttle counters only move while a throttle rule is active
    // on the device (seen on Linux 6.18), so they usually read 0 there; on v2
    // io.stat always counts (when the io controller is enabled).
    IoStat io;
    uint64_t memoryLimitHits = 0;   // v1 memory.failcnt, v2 memory.events "max"
    uint64_t pidsLimitHits = 0;     // pids.events "max" (v1 and v2): forks refused at pids.max
    std::optional<double> cpuLimit; // CPUs allowed by the quota (0.5); nullopt: none
    // CPU use since the previous sample() of this sampler: 100 = one CPU fully busy
    // (as top and docker stats count). nullopt on the first sample.
    std::optional<double> cpuPercent;
    std::chrono::steady_clock::time_point time; // when it was taken (monotonic)
};

class CgroupSampler {
public:
    // A container's cgroup, as its manager made it.
    explicit CgroupSampler(const CgroupManager &manager);
    // Directories as CgroupManager::paths() lists them (v1: one per hierarchy,
    // v2: one), e.g. read back from a journal, or cgroupDirsOfProcess(). Without a
    // mode, v2 is recognised by its cgroup.controllers file. Files that do not exist
    // (a controller that is not there, an older kernel, a root cgroup) are skipped
    // and their numbers stay 0 / nullopt. Throws nothing for missing files.
    explicit CgroupSampler(std::vector<std::string> dirs, std::optional<CgroupMode> mode = {});
    CgroupSampler(CgroupSampler &&) noexcept;
    CgroupSampler &operator=(CgroupSampler &&) noexcept;
    ~CgroupSampler();

    CgroupMode mode() const;
    const std::vector<std::string> &dirs() const;
    // The files kept open, in the order they are read (for "what Hood reads").
    std::vector<std::string> files() const;

    // Reads every open file once. Throws hood::Error ("read <path>: no such
    // device") when a file can no longer be read, i.e. the cgroup was removed.
    CgroupSample sample();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The cgroup directories of any process, for a CgroupSampler: on v2 the one of
// its "0::" line; on v1 and hybrid those of the memory, cpu, cpuacct, pids and
// blkio hierarchies found under root. Throws hood::Error when /proc/PID/cgroup
// cannot be read.
std::vector<std::string> cgroupDirsOfProcess(pid_t pid, CgroupMode mode,
                                             const std::string &root = "/sys/fs/cgroup");

} // namespace hood
