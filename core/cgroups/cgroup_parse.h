// Pure functions from the text of cgroup control files to numbers, and from
// Hood's resource values to the text the kernel expects. Shared by
// CgroupManager::stats(), CgroupSampler and the tests (fixtures in
// tests/core/fixtures/cgroups/). No I/O here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace hood {

// Memory by kind, the same fields for v1 and v2. v1's memory.stat has a local
// ("rss") and a hierarchical ("total_rss") line for each counter; the
// hierarchical one is used because v2's memory.stat is hierarchical too.
struct MemoryStat {
    uint64_t anon = 0;          // v1 total_rss,         v2 anon
    uint64_t file = 0;          // v1 total_cache,       v2 file (page cache; tmpfs included)
    uint64_t shmem = 0;         // v1 total_shmem,       v2 shmem (tmpfs, shm; part of file)
    uint64_t fileMapped = 0;    // v1 total_mapped_file, v2 file_mapped
    uint64_t fileDirty = 0;     // v1 total_dirty,       v2 file_dirty
    uint64_t fileWriteback = 0; // v1 total_writeback,   v2 file_writeback
    uint64_t activeAnon = 0;
    uint64_t inactiveAnon = 0;
    uint64_t activeFile = 0;
    uint64_t inactiveFile = 0;
    uint64_t unevictable = 0;
    uint64_t pgfault = 0;    // page faults (a count, not bytes)
    uint64_t pgmajfault = 0; // faults that needed I/O
    // Present only where the kernel reports them:
    std::optional<uint64_t> kernel; // v1 memory.kmem.usage_in_bytes; v2 kernel (or its parts)
    std::optional<uint64_t> slab;   // v2 slab
    std::optional<uint64_t> sock;   // v2 sock (network buffers)
    std::optional<uint64_t> swap;   // v1 total_swap; v2 memory.swap.current
};

struct IoStat {
    uint64_t readBytes = 0;
    uint64_t writeBytes = 0;
    uint64_t readOps = 0;
    uint64_t writeOps = 0;
};

struct CpuStat {
    uint64_t usageNs = 0;          // v2 usage_usec * 1000 (v1: cpuacct.usage instead)
    uint64_t periods = 0;          // nr_periods
    uint64_t throttledPeriods = 0; // nr_throttled
    uint64_t throttledNs = 0;      // v1 throttled_time (ns), v2 throttled_usec * 1000
};

struct MemoryEvents {
    uint64_t max = 0;     // v2 "max": usage about to pass the limit (reclaim follows)
    uint64_t oom = 0;     // v2 "oom": reclaim failed, allocation about to fail
    uint64_t oomKill = 0; // v2 "oom_kill", v1 memory.oom_control "oom_kill"
};

// "123\n" -> 123. nullopt when the text is not a non-negative number.
std::optional<uint64_t> parseCount(std::string_view text);

// A limit file: "max" (v2, and v1's pids.max), v1's "unlimited" memory value
// (LONG_MAX rounded down to a page: 9223372036854771712 with 4 KiB pages) and -1
// (v1 cpu.cfs_quota_us) all mean no limit -> nullopt. Text that is not a number is
// reported as no limit too: the kernel never writes such text.
std::optional<uint64_t> parseLimit(std::string_view text);

// Calls fn for each "key value" line of a flat-keyed file (cpu.stat, memory.stat,
// memory.events, memory.oom_control); lines whose value is not a number are skipped.
void forEachKeyValue(std::string_view text,
                     const std::function<void(std::string_view key, uint64_t value)> &fn);
std::optional<uint64_t> keyedValue(std::string_view text, std::string_view key);

CpuStat parseCpuStat(std::string_view text); // v1 and v2 cpu.stat
MemoryStat parseMemoryStatV1(std::string_view text);
MemoryStat parseMemoryStatV2(std::string_view text);
MemoryEvents parseMemoryEventsV2(std::string_view text); // memory.events
MemoryEvents parseOomControlV1(std::string_view text);   // memory.oom_control: oomKill only
// pids.events (v1 and v2) "max N": how many forks and clones failed with EAGAIN
// because pids.max was reached (in this cgroup or one above it).
uint64_t parsePidsEvents(std::string_view text);

// v1 blkio.throttle.io_service_bytes(_recursive) or io_serviced(_recursive):
// "MAJ:MIN Read N" / "MAJ:MIN Write N" lines summed over devices -> {read, write}.
struct ReadWrite {
    uint64_t read = 0;
    uint64_t write = 0;
};
ReadWrite parseBlkioV1(std::string_view text);
// v2 io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N ..." summed over devices.
IoStat parseIoStatV2(std::string_view text);

// CPUs allowed by a quota: v2 cpu.max "50000 100000" -> 0.5, "max 100000" -> nullopt.
std::optional<double> parseCpuMaxV2(std::string_view text);
// v1 cpu.cfs_quota_us and cpu.cfs_period_us -> CPUs; nullopt for -1 (no quota).
std::optional<double> cpuLimitV1(std::string_view quotaText, std::string_view periodText);

// cgroup v1 cpu.shares (2..262144) -> v2 cpu.weight (1..10000), runc's formula:
// 1 + ((shares - 2) * 9999) / 262142, so 1024 (the default share) -> 39.
uint64_t cpuSharesToWeight(uint64_t shares);

} // namespace hood
