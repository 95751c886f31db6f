// cgroup v1 (and hybrid mode, whose controllers are all on v1): one directory
// per controller hierarchy, <root>/<hierarchy>/<parent>/<name>, like runc's fs/.
#include "cgroup_backends.h"
#include "cgroup_fs.h"
#include "cgroup_paths.h"
#include "error.h"
#include "sampler.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hood::detail {

namespace {

using cgfs::join;


// Hierarchies joined without a limit of Hood's, as runc joins them: cpuset (so a
// container's cpuset is its own, below the one it is started from) and systemd's
// named hierarchy (so /proc/self/cgroup and /sys/fs/cgroup/systemd inside show the
// container's own cgroup, which systemd in a container needs).
inline constexpr const char *kV1JoinedOnly[] = {"cpuset", "name=systemd"};

// A v1 hierarchy's directory: a controller's (findV1Hierarchy), or a named
// hierarchy's (namedHierarchyDir).
std::optional<std::string> hierarchyDir(const std::string &root, const std::string &controller)
{
    const std::string named = namedHierarchyDir(controller);
    if (named.empty())
        return findV1Hierarchy(root, controller);
    const std::string dir = join(root, named);
    struct stat st {};
    if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        return std::nullopt;
    return dir;
}

// A new cpuset cgroup has no CPUs and no memory nodes, and the kernel refuses to
// move a task into it (ENOSPC): a directory Hood makes gets its parent's, where its
// own are still empty (runc's cpusetCopyIfNeeded).
void inheritCpuset(const std::string &dir)
{
    const std::string parent = dir.substr(0, dir.rfind('/'));
    for (const char *file : {"cpuset.cpus", "cpuset.mems"}) {
        if (!cgfs::readWords(join(dir, file)).empty())
            continue;
        const std::vector<std::string> value = cgfs::readWords(join(parent, file));
        if (!value.empty())
            cgfs::writeFile(join(dir, file), value.front());
    }
}

bool namesController(std::string_view dirName, std::string_view controller)
{
    while (!dirName.empty()) {
        size_t comma = dirName.find(',');
        if (dirName.substr(0, comma) == controller)
            return true;
        if (comma == std::string_view::npos)
            break;
        dirName.remove_prefix(comma + 1);
    }
    return false;
}

class CgroupV1 final : public CgroupManager {
public:
    CgroupV1(const CgroupOptions &options, CgroupMode mode);

    CgroupMode mode() const override { return m_mode; }
    std::vector<std::string> paths() const override;
    std::vector<std::string> missingParents() const override;
    void create() override;
    void apply(const Resources &resources) override;
    void addProcess(pid_t pid) override;
    std::vector<std::string> selfJoinFiles() const override;
    std::string cloneIntoPath() const override { return {}; }
    CgroupStats stats() const override;
    void killAll() override;
    void destroy() noexcept override;

private:
    struct Hierarchy {
        std::string dir; // <root>/memory, <root>/cpu,cpuacct
        std::vector<std::string> controllers;
        std::string leaf; // <dir>/hood/<name>, or where linux.cgroupsPath puts it
    };
    std::string parentIn(const Hierarchy &h) const { return h.leaf.substr(0, h.leaf.rfind('/')); }
    const std::string &leafIn(const Hierarchy &h) const { return h.leaf; }
    // The leaf directory of a controller; a plain sentence when there is none.
    std::string leafFor(const std::string &controller) const;
    void applyMemory(int64_t limit);
    void applyCpu(const Resources &resources);
    void applyPids(int64_t limit);
    void applyDevices(const std::vector<DeviceRule> &rules);

    std::string m_root;
    bool m_specPath; // linux.cgroupsPath: the parents are the journal's to remove
    CgroupMode m_mode;
    std::vector<Hierarchy> m_hierarchies; // distinct directories, in kV1Controllers order
};

CgroupV1::CgroupV1(const CgroupOptions &options, CgroupMode mode)
    : m_root(options.root), m_specPath(!options.path.empty()), m_mode(mode)
{
    if (::access(m_root.c_str(), R_OK | X_OK) != 0)
        throw Error::sys("open", m_root, errno);
    std::vector<const char *> controllers(std::begin(kV1Controllers), std::end(kV1Controllers));
    if (options.devices)
        controllers.push_back("devices");
    controllers.insert(controllers.end(), std::begin(kV1JoinedOnly), std::end(kV1JoinedOnly));
    for (const char *controller : controllers) {
        auto dir = hierarchyDir(m_root, controller);
        if (!dir)
            continue;
        auto same = std::find_if(m_hierarchies.begin(), m_hierarchies.end(),
                                 [&](const Hierarchy &h) { return h.dir == *dir; });
        if (same != m_hierarchies.end())
            same->controllers.push_back(controller);
        else
            m_hierarchies.push_back({*dir, {controller}, {}});
    }
    for (Hierarchy &h : m_hierarchies)
        h.leaf = m_specPath ? specCgroupLeaf(h.dir, h.controllers.front(), options.path)
                            : join(join(h.dir, options.parent), options.name);
}

std::vector<std::string> CgroupV1::missingParents() const
{
    std::vector<std::string> missing;
    for (const Hierarchy &h : m_hierarchies) {
        std::vector<std::string> here = missingBetween(h.dir, h.leaf);
        missing.insert(missing.end(), here.begin(), here.end());
    }
    return missing;
}

std::vector<std::string> CgroupV1::paths() const
{
    std::vector<std::string> result;
    for (const Hierarchy &h : m_hierarchies)
        result.push_back(leafIn(h));
    return result;
}

std::string CgroupV1::leafFor(const std::string &controller) const
{
    for (const Hierarchy &h : m_hierarchies) {
        if (std::find(h.controllers.begin(), h.controllers.end(), controller)
            != h.controllers.end())
            return leafIn(h);
    }
    throwMissingController(controller, join(m_root, controller) + " missing");
}

void CgroupV1::create()
{
    for (const Hierarchy &h : m_hierarchies) {
        const bool cpuset = std::find(h.controllers.begin(), h.controllers.end(), "cpuset") != h.controllers.end();
        auto prepare = [&](const std::string &dir) {
            if (cpuset)
                inheritCpuset(dir);
        };
        for (const std::string &dir : missingBetween(h.dir, parentIn(h))) {
            if (int err = cgfs::makeDir(dir))
                throw Error::sys("mkdir", dir, err);
            prepare(dir);
        }
        createLeaf(parentIn(h), leafIn(h), [&] { prepare(parentIn(h)); });
        prepare(leafIn(h));
    }
}

void CgroupV1::apply(const Resources &resources)
{
    if (resources.memoryLimit)
        applyMemory(*resources.memoryLimit);
    if (resources.cpuQuota || resources.cpuPeriod || resources.cpuShares)
        applyCpu(resources);
    if (resources.pidsLimit)
        applyPids(*resources.pidsLimit);
    if (!resources.devices.empty())
        applyDevices(resources.devices);
}

// The spec's rules in order, then runc's defaults, each to devices.allow or
// devices.deny ("c 1:3 rwm"; "a" alone for every device). A fresh cgroup copies
// its parent's list, so a spec that starts with "deny all" (podman, Docker, runc
// spec) ends with exactly the allowed devices.
void CgroupV1::applyDevices(const std::vector<DeviceRule> &rules)
{
    const std::string dir = leafFor("devices");
    auto number = [](int64_t n) { return n < 0 ? std::string("*") : std::to_string(n); };
    auto write = [&](const DeviceRule &r) {
        std::string line(1, r.type);
        if (r.type != 'a')
            line += " " + number(r.major) + ":" + number(r.minor) + " " + r.access;
        else if (r.access != "rwm")
            line = "a *:* " + r.access;
        cgfs::writeFile(join(dir, r.allow ? "devices.allow" : "devices.deny"), line);
    };
    for (const DeviceRule &r : rules)
        write(r);
    for (const DeviceRule &r : defaultAllowedDevices())
        write(r);
}

void CgroupV1::applyMemory(int64_t limit)
{
    const std::string dir = leafFor("memory");
    const std::string value = limit < 0 ? "-1" : std::to_string(limit);
    const std::string limitFile = join(dir, "memory.limit_in_bytes");
    // memory.memsw.* exists when the kernel accounts swap (swapaccount=1). Setting
    // it to the same value keeps swap from stretching the limit, as v2 does with
    // memory.swap.max = 0 (see cgroup_v2.cpp).
    const std::string swapFile = join(dir, "memory.memsw.limit_in_bytes");
    if (!cgfs::exists(swapFile)) {
        cgfs::writeFile(limitFile, value);
        return;
    }
    // The kernel keeps memsw >= memory: lower memory first, but raise memsw first.
    // Which case applies shows as EINVAL on the first write (runc does the same).
    try {
        cgfs::writeFile(limitFile, value);
    } catch (const Error &error) {
        if (error.code() != EINVAL)
            throw;
        cgfs::writeFile(swapFile, value);
        cgfs::writeFile(limitFile, value);
        return;
    }
    cgfs::writeFile(swapFile, value);
}

void CgroupV1::applyCpu(const Resources &resources)
{
    const std::string dir = leafFor("cpu");
    // The period first: the kernel checks quota against the period in place.
    if (resources.cpuPeriod)
        cgfs::writeFile(join(dir, "cpu.cfs_period_us"), std::to_string(*resources.cpuPeriod));
    if (resources.cpuQuota) {
        int64_t quota = *resources.cpuQuota;
        cgfs::writeFile(join(dir, "cpu.cfs_quota_us"), quota < 0 ? "-1" : std::to_string(quota));
    }
    if (resources.cpuShares)
        cgfs::writeFile(join(dir, "cpu.shares"), std::to_string(*resources.cpuShares));
}

void CgroupV1::applyPids(int64_t limit)
{
    const std::string dir = leafFor("pids");
    cgfs::writeFile(join(dir, "pids.max"), limit < 0 ? "max" : std::to_string(limit));
}

void CgroupV1::addProcess(pid_t pid)
{
    for (const Hierarchy &h : m_hierarchies)
        cgfs::writeFile(join(leafIn(h), "cgroup.procs"), std::to_string(pid));
}

std::vector<std::string> CgroupV1::selfJoinFiles() const
{
    std::vector<std::string> files;
    for (const Hierarchy &h : m_hierarchies)
        files.push_back(join(leafIn(h), "tasks"));
    return files;
}

CgroupStats CgroupV1::stats() const
{
    return CgroupSampler(*this).sample().stats;
}

void CgroupV1::killAll()
{
    // Every hierarchy holds the same processes; the first loop usually empties
    // them all, the others catch a process that was only partly added.
    auto deadline = std::chrono::steady_clock::now() + kKillTimeout;
    for (const Hierarchy &h : m_hierarchies)
        cgfs::killTree(leafIn(h), deadline);
}

void CgroupV1::destroy() noexcept
{
    try {
        killAll();
    } catch (const std::exception &) {
        // rmdir below fails for what survived; the journal keeps the path for gc.
    }
    auto deadline = std::chrono::steady_clock::now() + kRemoveTimeout;
    for (const Hierarchy &h : m_hierarchies) {
        cgfs::removeTree(leafIn(h), deadline, nullptr);
        if (!m_specPath)
            cgfs::removeParentIfEmpty(parentIn(h));
    }
}

} // namespace

std::optional<std::string> findV1Hierarchy(const std::string &root, const std::string &controller)
{
    DIR *d = ::opendir(root.c_str());
    if (!d)
        return std::nullopt;
    std::optional<std::string> found;
    while (const dirent *entry = ::readdir(d)) {
        std::string_view name = entry->d_name;
        if (name == "." || name == ".." || !namesController(name, controller))
            continue;
        struct stat st {};
        if (::fstatat(::dirfd(d), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0
            && S_ISDIR(st.st_mode)) {
            found = join(root, name);
            break;
        }
    }
    ::closedir(d);
    return found;
}

std::unique_ptr<CgroupManager> makeV1Manager(const CgroupOptions &options, CgroupMode mode)
{
    return std::make_unique<CgroupV1>(options, mode);
}

} // namespace hood::detail
