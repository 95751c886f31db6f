#include "cgroup_parse.h"

#include <charconv>
#include <cstdint>
#include <limits>

namespace hood {

namespace {

std::string_view trim(std::string_view text)
{
    const char *space = " \t\n\r";
    size_t start = text.find_first_not_of(space);
    if (start == std::string_view::npos)
        return {};
    size_t end = text.find_last_not_of(space);
    return text.substr(start, end - start + 1);
}

// Splits off the next whitespace-separated word of text.
std::string_view nextWord(std::string_view &text)
{
    size_t start = text.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
        text = {};
        return {};
    }
    size_t end = text.find_first_of(" \t", start);
    std::string_view word = text.substr(start, end == std::string_view::npos ? end : end - start);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end);
    return word;
}

template <typename Fn> void forEachLine(std::string_view text, Fn fn)
{
    while (!text.empty()) {
        size_t end = text.find('\n');
        fn(text.substr(0, end));
        if (end == std::string_view::npos)
            break;
        text.remove_prefix(end + 1);
    }
}

std::optional<int64_t> parseSigned(std::string_view text)
{
    text = trim(text);
    int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

// The kernel reports "unlimited" v1 memory as PAGE_COUNTER_MAX pages: LONG_MAX
// rounded down to the page size. Any page size up to 64 KiB lands above this.
constexpr uint64_t kV1Unlimited =
    static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - 65535;

struct StatKey {
    std::string_view key;
    uint64_t MemoryStat::*field;
};

// v1 keys: the hierarchical total_* lines (see MemoryStat).
constexpr StatKey kMemoryV1[] = {
    {"total_rss", &MemoryStat::anon},
    {"total_cache", &MemoryStat::file},
    {"total_shmem", &MemoryStat::shmem},
    {"total_mapped_file", &MemoryStat::fileMapped},
    {"total_dirty", &MemoryStat::fileDirty},
    {"total_writeback", &MemoryStat::fileWriteback},
    {"total_active_anon", &MemoryStat::activeAnon},
    {"total_inactive_anon", &MemoryStat::inactiveAnon},
    {"total_active_file", &MemoryStat::activeFile},
    {"total_inactive_file", &MemoryStat::inactiveFile},
    {"total_unevictable", &MemoryStat::unevictable},
    {"total_pgfault", &MemoryStat::pgfault},
    {"total_pgmajfault", &MemoryStat::pgmajfault},
};

constexpr StatKey kMemoryV2[] = {
    {"anon", &MemoryStat::anon},
    {"file", &MemoryStat::file},
    {"shmem", &MemoryStat::shmem},
    {"file_mapped", &MemoryStat::fileMapped},
    {"file_dirty", &MemoryStat::fileDirty},
    {"file_writeback", &MemoryStat::fileWriteback},
    {"active_anon", &MemoryStat::activeAnon},
    {"inactive_anon", &MemoryStat::inactiveAnon},
    {"active_file", &MemoryStat::activeFile},
    {"inactive_file", &MemoryStat::inactiveFile},
    {"unevictable", &MemoryStat::unevictable},
    {"pgfault", &MemoryStat::pgfault},
    {"pgmajfault", &MemoryStat::pgmajfault},
};

template <size_t N>
bool assignStatKey(const StatKey (&table)[N], std::string_view key, uint64_t value, MemoryStat &out)
{
    for (const StatKey &entry : table) {
        if (entry.key == key) {
            out.*entry.field = value;
            return true;
        }
    }
    return false;
}

} // namespace

std::optional<uint64_t> parseCount(std::string_view text)
{
    text = trim(text);
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

std::optional<uint64_t> parseLimit(std::string_view text)
{
    auto value = parseCount(text);
    if (!value || *value >= kV1Unlimited)
        return std::nullopt; // "max", "-1", or v1's unlimited
    return value;
}

void forEachKeyValue(std::string_view text,
                     const std::function<void(std::string_view, uint64_t)> &fn)
{
    forEachLine(text, [&](std::string_view line) {
        std::string_view key = nextWord(line);
        auto value = parseCount(line);
        if (!key.empty() && value)
            fn(key, *value);
    });
}

std::optional<uint64_t> keyedValue(std::string_view text, std::string_view key)
{
    std::optional<uint64_t> found;
    forEachKeyValue(text, [&](std::string_view k, uint64_t v) {
        if (k == key && !found)
            found = v;
    });
    return found;
}

CpuStat parseCpuStat(std::string_view text)
{
    CpuStat stat;
    forEachKeyValue(text, [&](std::string_view key, uint64_t value) {
        if (key == "usage_usec")
            stat.usageNs = value * 1000;
        else if (key == "nr_periods")
            stat.periods = value;
        else if (key == "nr_throttled")
            stat.throttledPeriods = value;
        else if (key == "throttled_time") // v1, nanoseconds
            stat.throttledNs = value;
        else if (key == "throttled_usec") // v2
            stat.throttledNs = value * 1000;
    });
    return stat;
}

MemoryStat parseMemoryStatV1(std::string_view text)
{
    MemoryStat stat;
    forEachKeyValue(text, [&](std::string_view key, uint64_t value) {
        if (!assignStatKey(kMemoryV1, key, value, stat) && key == "total_swap")
            stat.swap = value;
    });
    return stat;
}

MemoryStat parseMemoryStatV2(std::string_view text)
{
    MemoryStat stat;
    // Kernels before 5.18 have no "kernel" line; its parts are summed instead.
    uint64_t kernelParts = 0;
    bool hasParts = false;
    forEachKeyValue(text, [&](std::string_view key, uint64_t value) {
        if (assignStatKey(kMemoryV2, key, value, stat))
            return;
        if (key == "kernel")
            stat.kernel = value;
        else if (key == "slab")
            stat.slab = value;
        else if (key == "sock")
            stat.sock = value;
        if (key == "kernel_stack" || key == "pagetables" || key == "percpu" || key == "slab") {
            kernelParts += value;
            hasParts = true;
        }
    });
    if (!stat.kernel && hasParts)
        stat.kernel = kernelParts;
    return stat;
}

MemoryEvents parseMemoryEventsV2(std::string_view text)
{
    MemoryEvents events;
    events.max = keyedValue(text, "max").value_or(0);
    events.oom = keyedValue(text, "oom").value_or(0);
    events.oomKill = keyedValue(text, "oom_kill").value_or(0);
    return events;
}

MemoryEvents parseOomControlV1(std::string_view text)
{
    MemoryEvents events;
    events.oomKill = keyedValue(text, "oom_kill").value_or(0);
    return events;
}

uint64_t parsePidsEvents(std::string_view text)
{
    return keyedValue(text, "max").value_or(0);
}

ReadWrite parseBlkioV1(std::string_view text)
{
    ReadWrite sum;
    forEachLine(text, [&](std::string_view line) {
        std::string_view device = nextWord(line);
        std::string_view op = nextWord(line);
        auto value = parseCount(line);
        // The last line, "Total N", has no device and is skipped with the others.
        if (device.find(':') == std::string_view::npos || !value)
            return;
        if (op == "Read")
            sum.read += *value;
        else if (op == "Write")
            sum.write += *value;
    });
    return sum;
}

IoStat parseIoStatV2(std::string_view text)
{
    IoStat sum;
    forEachLine(text, [&](std::string_view line) {
        nextWord(line); // MAJ:MIN
        for (std::string_view field = nextWord(line); !field.empty(); field = nextWord(line)) {
            size_t eq = field.find('=');
            auto value =
                eq == std::string_view::npos ? std::nullopt : parseCount(field.substr(eq + 1));
            if (!value)
                continue;
            std::string_view key = field.substr(0, eq);
            if (key == "rbytes")
                sum.readBytes += *value;
            else if (key == "wbytes")
                sum.writeBytes += *value;
            else if (key == "rios")
                sum.readOps += *value;
            else if (key == "wios")
                sum.writeOps += *value;
        }
    });
    return sum;
}

std::optional<double> parseCpuMaxV2(std::string_view text)
{
    std::string_view rest = trim(text);
    std::string_view quotaWord = nextWord(rest);
    auto quota = parseCount(quotaWord);
    auto period = parseCount(nextWord(rest));
    if (!quota || !period || *period == 0)
        return std::nullopt; // "max ..." or malformed
    return static_cast<double>(*quota) / static_cast<double>(*period);
}

std::optional<double> cpuLimitV1(std::string_view quotaText, std::string_view periodText)
{
    auto quota = parseSigned(quotaText);
    auto period = parseCount(periodText);
    if (!quota || *quota <= 0 || !period || *period == 0)
        return std::nullopt;
    return static_cast<double>(*quota) / static_cast<double>(*period);
}

uint64_t cpuSharesToWeight(uint64_t shares)
{
    if (shares < 2)
        shares = 2;
    if (shares > 262144)
        shares = 262144;
    return 1 + ((shares - 2) * 9999) / 262142;
}

} // namespace hood
