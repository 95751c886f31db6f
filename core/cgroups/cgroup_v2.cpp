// cgroup v2: one directory, <root>/<parent>/<name>, like runc's fs2/.
// v2 allows processes only in leaves ("no internal processes"), so the shared
// parent only ever holds cgroups and has the controllers enabled for them.
#include "cgroup_backends.h"
#include "cgroup_fs.h"
#include "cgroup_parse.h"
#include "error.h"
#include "sampler.h"

#include <algorithm>

namespace hood::detail {

namespace {

using cgfs::join;

// In the kernel's own order, so what is written reads like cgroup.controllers.
// io is not limited by Hood but enabled for the sampler's io.stat.
constexpr const char *kV2Controllers[] = {"cpu", "io", "memory", "pids"};

bool contains(const std::vector<std::string> &words, const std::string &word)
{
    return std::find(words.begin(), words.end(), word) != words.end();
}

class CgroupV2 final : public CgroupManager {
public:
    explicit CgroupV2(const CgroupOptions &options)
        : m_base(options.base.empty() ? options.root : options.base),
          m_leaf(options.path.empty() ? join(join(m_base, options.parent), options.name)
                                      : specCgroupLeaf(m_base, "", options.path)),
          m_parent(m_leaf.substr(0, m_leaf.rfind('/'))), m_specPath(!options.path.empty())
    {}

    CgroupMode mode() const override { return CgroupMode::V2; }
    std::vector<std::string> paths() const override { return {m_leaf}; }
    std::vector<std::string> missingParents() const override { return missingBetween(m_base, m_leaf); }
    void create() override;
    void apply(const Resources &resources) override;
    void addProcess(pid_t pid) override;
    std::vector<std::string> selfJoinFiles() const override { return {}; }
    std::string cloneIntoPath() const override { return m_leaf; }
    CgroupStats stats() const override;
    void killAll() override;
    void destroy() noexcept override;

private:
    void enableControllers(const std::string &dir, const std::vector<std::string> &available);
    void requireController(const std::string &controller) const;
    void applyMemory(int64_t limit);
    void applyCpu(const Resources &resources);

    std::string m_base; // the hierarchy root, or a subtree delegated to the caller
    std::string m_leaf;
    std::string m_parent;
    bool m_specPath; // linux.cgroupsPath: the parents are the journal's to remove
};

void CgroupV2::create()
{
    for (const std::string &dir : missingBetween(m_base, m_parent))
        if (int err = cgfs::makeDir(dir))
            throw Error::sys("mkdir", dir, err);
    createLeaf(m_parent, m_leaf, [this] {
        // Controllers reach a child only when every ancestor enables them in its
        // subtree_control: the root (usually done by systemd already) or the
        // delegated base, then the parent. Above a delegated base the owner of the
        // subtree (systemd) has enabled what it delegates.
        auto available = cgfs::readWords(join(m_base, "cgroup.controllers"));
        enableControllers(m_base, available);
        // A cgroupsPath's parents, each a level that must pass the controllers on.
        for (size_t slash = m_parent.find('/', m_base.size() + 1); slash != std::string::npos;
             slash = m_parent.find('/', slash + 1)) {
            const std::string dir = m_parent.substr(0, slash);
            if (int err = cgfs::makeDir(dir))
                throw Error::sys("mkdir", dir, err);
            enableControllers(dir, available);
        }
        enableControllers(m_parent, available);
    });
}

void CgroupV2::enableControllers(const std::string &dir, const std::vector<std::string> &available)
{
    const std::string file = join(dir, "cgroup.subtree_control");
    auto enabled = cgfs::readWords(file);
    std::string change;
    for (const char *controller : kV2Controllers) {
        if (contains(available, controller) && !contains(enabled, controller))
            change += std::string(change.empty() ? "" : " ") + "+" + controller;
    }
    // Only what is missing is written, so nothing is touched when systemd or an
    // earlier container already enabled it.
    if (!change.empty())
        cgfs::writeFile(file, change);
}

void CgroupV2::requireController(const std::string &controller) const
{
    const std::string file = join(m_base, "cgroup.controllers");
    if (!contains(cgfs::readWords(file), controller))
        throwMissingController(controller, "not listed in " + file);
}

void CgroupV2::apply(const Resources &resources)
{
    if (resources.memoryLimit)
        applyMemory(*resources.memoryLimit);
    if (resources.cpuQuota || resources.cpuPeriod || resources.cpuShares)
        applyCpu(resources);
    if (resources.pidsLimit) {
        requireController("pids");
        int64_t limit = *resources.pidsLimit;
        cgfs::writeFile(join(m_leaf, "pids.max"), limit < 0 ? "max" : std::to_string(limit));
    }
}

void CgroupV2::applyMemory(int64_t limit)
{
    requireController("memory");
    const std::string value = limit < 0 ? "max" : std::to_string(limit);
    cgfs::writeFile(join(m_leaf, "memory.max"), value);
    // Docker lets a container swap as much as its memory limit by default
    // (--memory-swap unset = twice --memory). Hood allows no swap instead: the
    // limit then means the same here as on v1 (memsw = memory) and a demo that
    // overruns it is OOM-killed at once rather than slowed down by swapping.
    // memory.swap.max only exists when the kernel accounts swap.
    const std::string swapFile = join(m_leaf, "memory.swap.max");
    if (cgfs::exists(swapFile))
        cgfs::writeFile(swapFile, limit < 0 ? "max" : "0");
}

void CgroupV2::applyCpu(const Resources &resources)
{
    requireController("cpu");
    const std::string maxFile = join(m_leaf, "cpu.max");
    if (resources.cpuQuota || resources.cpuPeriod) {
        // cpu.max is "$MAX $PERIOD"; a lone number changes $MAX only, so a new
        // period alone has to repeat the current $MAX.
        std::string quota;
        if (resources.cpuQuota)
            quota = *resources.cpuQuota < 0 ? "max" : std::to_string(*resources.cpuQuota);
        else {
            auto current = cgfs::readWords(maxFile);
            quota = current.empty() ? "max" : current.front();
        }
        std::string value = quota;
        if (resources.cpuPeriod)
            value += " " + std::to_string(*resources.cpuPeriod);
        cgfs::writeFile(maxFile, value);
    }
    if (resources.cpuShares)
        cgfs::writeFile(join(m_leaf, "cpu.weight"),
                        std::to_string(cpuSharesToWeight(*resources.cpuShares)));
}

void CgroupV2::addProcess(pid_t pid)
{
    cgfs::writeFile(join(m_leaf, "cgroup.procs"), std::to_string(pid));
}

CgroupStats CgroupV2::stats() const
{
    return CgroupSampler(*this).sample().stats;
}

void CgroupV2::killAll()
{
    cgfs::killTree(m_leaf, std::chrono::steady_clock::now() + kKillTimeout);
}

void CgroupV2::destroy() noexcept
{
    try {
        killAll();
    } catch (const std::exception &) {
        // rmdir below fails for what survived; the journal keeps the path for gc.
    }
    cgfs::removeTree(m_leaf, std::chrono::steady_clock::now() + kRemoveTimeout, nullptr);
    if (!m_specPath)
        cgfs::removeParentIfEmpty(m_parent);
}

} // namespace

std::unique_ptr<CgroupManager> makeV2Manager(const CgroupOptions &options)
{
    return std::make_unique<CgroupV2>(options);
}

} // namespace hood::detail
