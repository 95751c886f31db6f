#include "sampler.h"

#include "cgroup_backends.h"
#include "cgroup_fs.h"
#include "error.h"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>

namespace hood {

namespace {

using cgfs::join;

// What one sample() gathers before it is complete: v1's CPU quota comes from two
// files and is combined at the end.
struct Context {
    CgroupSample &out;
    std::string quotaText;
    std::string periodText;
};

using Apply = void (*)(std::string_view text, Context &context);

struct FileSpec {
    const char *name;
    const char *fallback; // read instead when name does not exist (older kernels)
    Apply apply;
};

uint64_t count(std::string_view text)
{
    return parseCount(text).value_or(0);
}

// memory.stat fills every MemoryStat field but the ones other files provide.
void setMemoryStat(Context &c, MemoryStat parsed)
{
    if (!parsed.kernel)
        parsed.kernel = c.out.memory.kernel;
    if (!parsed.swap)
        parsed.swap = c.out.memory.swap;
    c.out.memory = parsed;
}

void setThrottling(Context &c, const CpuStat &cpu)
{
    c.out.stats.throttledPeriods = cpu.throttledPeriods;
    c.out.stats.throttledNs = cpu.throttledNs;
}

// cgroup v1 (and hybrid): each file is looked for in every hierarchy directory.
constexpr FileSpec kV1Files[] = {
    {"cpuacct.usage", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.cpuUsageNs = count(t); }},
    {"cpu.stat", nullptr,
     [](std::string_view t, Context &c) { setThrottling(c, parseCpuStat(t)); }},
    {"cpu.cfs_quota_us", nullptr, [](std::string_view t, Context &c) { c.quotaText = t; }},
    {"cpu.cfs_period_us", nullptr, [](std::string_view t, Context &c) { c.periodText = t; }},
    {"memory.usage_in_bytes", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.memoryCurrent = count(t); }},
    {"memory.max_usage_in_bytes", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.memoryPeak = count(t); }},
    {"memory.limit_in_bytes", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.memoryLimit = parseLimit(t); }},
    {"memory.stat", nullptr,
     [](std::string_view t, Context &c) { setMemoryStat(c, parseMemoryStatV1(t)); }},
    {"memory.kmem.usage_in_bytes", nullptr,
     [](std::string_view t, Context &c) { c.out.memory.kernel = count(t); }},
    {"memory.failcnt", nullptr,
     [](std::string_view t, Context &c) { c.out.memoryLimitHits = count(t); }},
    {"memory.oom_control", nullptr,
     [](std::string_view t, Context &c) {
         // See CgroupSample::stats for why both are the kill count.
         c.out.stats.oomKills = parseOomControlV1(t).oomKill;
         c.out.stats.oomEvents = c.out.stats.oomKills;
     }},
    {"pids.current", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.pidsCurrent = count(t); }},
    {"pids.max", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.pidsMax = parseLimit(t); }},
    {"pids.events", nullptr, [](std::string_view t, Context &c) { c.out.pidsLimitHits = parsePidsEvents(t); }},
    {"blkio.throttle.io_service_bytes_recursive", "blkio.throttle.io_service_bytes",
     [](std::string_view t, Context &c) {
         ReadWrite bytes = parseBlkioV1(t);
         c.out.io.readBytes = bytes.read;
         c.out.io.writeBytes = bytes.write;
     }},
    {"blkio.throttle.io_serviced_recursive", "blkio.throttle.io_serviced",
     [](std::string_view t, Context &c) {
         ReadWrite ops = parseBlkioV1(t);
         c.out.io.readOps = ops.read;
         c.out.io.writeOps = ops.write;
     }},
};

constexpr FileSpec kV2Files[] = {
    {"cpu.stat", nullptr,
     [](std::string_view t, Context &c) {
         CpuStat cpu = parseCpuStat(t);
         c.out.stats.cpuUsageNs = cpu.usageNs;
         setThrottling(c, cpu);
     }},
    {"cpu.max", nullptr, [](std::string_view t, Context &c) { c.out.cpuLimit = parseCpuMaxV2(t); }},
    {"memory.current", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.memoryCurrent = count(t); }},
    {"memory.peak", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.memoryPeak = count(t); }},
    {"memory.max", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.memoryLimit = parseLimit(t); }},
    {"memory.stat", nullptr,
     [](std::string_view t, Context &c) { setMemoryStat(c, parseMemoryStatV2(t)); }},
    {"memory.swap.current", nullptr,
     [](std::string_view t, Context &c) { c.out.memory.swap = count(t); }},
    {"memory.events", nullptr,
     [](std::string_view t, Context &c) {
         MemoryEvents events = parseMemoryEventsV2(t);
         c.out.stats.oomEvents = events.oom;
         c.out.stats.oomKills = events.oomKill;
         c.out.memoryLimitHits = events.max;
     }},
    {"pids.current", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.pidsCurrent = count(t); }},
    {"pids.max", nullptr,
     [](std::string_view t, Context &c) { c.out.stats.pidsMax = parseLimit(t); }},
    {"pids.events", nullptr, [](std::string_view t, Context &c) { c.out.pidsLimitHits = parsePidsEvents(t); }},
    {"io.stat", nullptr, [](std::string_view t, Context &c) { c.out.io = parseIoStatV2(t); }},
};

struct OpenFile {
    cgfs::Fd fd;
    std::string path;
    const FileSpec *spec;
};

// The first directory holding the file (or its fallback), opened read-only.
std::optional<OpenFile> openSpec(const std::vector<std::string> &dirs, const FileSpec &spec)
{
    for (const char *name : {spec.name, spec.fallback}) {
        if (!name)
            continue;
        for (const std::string &dir : dirs) {
            std::string path = join(dir, name);
            cgfs::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
            if (fd)
                return OpenFile{std::move(fd), std::move(path), &spec};
        }
    }
    return std::nullopt;
}

CgroupMode guessMode(const std::vector<std::string> &dirs)
{
    // cgroup.controllers exists in every v2 cgroup and in no v1 one.
    bool v2 = std::any_of(dirs.begin(), dirs.end(), [](const std::string &dir) {
        return cgfs::exists(join(dir, "cgroup.controllers"));
    });
    return v2 ? CgroupMode::V2 : CgroupMode::V1;
}

} // namespace

struct CgroupSampler::Impl {
    CgroupMode mode = CgroupMode::V1;
    std::vector<std::string> dirs;
    std::vector<OpenFile> files;
    std::string buffer;
    struct Previous {
        std::chrono::steady_clock::time_point time;
        uint64_t cpuUsageNs;
    };
    std::optional<Previous> previous;

    void cpuPercent(CgroupSample &sample);
};

CgroupSampler::CgroupSampler(const CgroupManager &manager)
    : CgroupSampler(manager.paths(), manager.mode())
{}

CgroupSampler::CgroupSampler(std::vector<std::string> dirs, std::optional<CgroupMode> mode)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->mode = mode ? *mode : guessMode(dirs);
    m_impl->dirs = std::move(dirs);
    auto open = [&](const auto &table) {
        for (const FileSpec &spec : table) {
            if (auto file = openSpec(m_impl->dirs, spec))
                m_impl->files.push_back(std::move(*file));
        }
    };
    if (m_impl->mode == CgroupMode::V2)
        open(kV2Files);
    else
        open(kV1Files);
}

CgroupSampler::CgroupSampler(CgroupSampler &&) noexcept = default;
CgroupSampler &CgroupSampler::operator=(CgroupSampler &&) noexcept = default;
CgroupSampler::~CgroupSampler() = default;

CgroupMode CgroupSampler::mode() const
{
    return m_impl->mode;
}

const std::vector<std::string> &CgroupSampler::dirs() const
{
    return m_impl->dirs;
}

std::vector<std::string> CgroupSampler::files() const
{
    std::vector<std::string> paths;
    for (const OpenFile &file : m_impl->files)
        paths.push_back(file.path);
    return paths;
}

CgroupSample CgroupSampler::sample()
{
    CgroupSample out;
    out.time = std::chrono::steady_clock::now();
    Context context{out, {}, {}};
    for (const OpenFile &file : m_impl->files) {
        if (!cgfs::preadAll(file.fd.get(), m_impl->buffer))
            throw Error::sys("read", file.path, errno);
        file.spec->apply(m_impl->buffer, context);
    }
    if (!context.quotaText.empty())
        out.cpuLimit = cpuLimitV1(context.quotaText, context.periodText);
    m_impl->cpuPercent(out);
    return out;
}

void CgroupSampler::Impl::cpuPercent(CgroupSample &sample)
{
    uint64_t usage = sample.stats.cpuUsageNs;
    if (previous && sample.time > previous->time && usage >= previous->cpuUsageNs) {
        auto elapsed =
            std::chrono::duration_cast<std::chrono::nanoseconds>(sample.time - previous->time);
        sample.cpuPercent = 100.0 * static_cast<double>(usage - previous->cpuUsageNs)
                            / static_cast<double>(elapsed.count());
    }
    previous = Previous{sample.time, usage};
}

std::vector<std::string> cgroupDirsOfProcess(pid_t pid, CgroupMode mode, const std::string &root)
{
    auto lines = readProcCgroup(pid);
    std::vector<std::string> dirs;
    auto add = [&](const std::string &hierarchy, const std::string &path) {
        std::string dir = path == "/" ? hierarchy : hierarchy + path;
        if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end())
            dirs.push_back(dir);
    };
    for (const ProcCgroupLine &line : lines) {
        if (mode == CgroupMode::V2 && line.isUnified())
            add(root, line.path);
        if (mode == CgroupMode::V2)
            continue;
        for (const char *controller : detail::kV1Controllers) {
            if (std::find(line.controllers.begin(), line.controllers.end(), controller)
                == line.controllers.end())
                continue;
            if (auto hierarchy = detail::findV1Hierarchy(root, controller))
                add(*hierarchy, line.path);
        }
    }
    return dirs;
}

} // namespace hood
