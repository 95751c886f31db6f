// Mode detection, the factory, and the pieces both backends share.
#include "cgroups.h"

#include "cgroup_backends.h"
#include "cgroup_fs.h"
#include "cgroup_paths.h"
#include "error.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <optional>
#include <sys/stat.h>
#include <sys/statfs.h>

// From <linux/magic.h>, spelled out to keep that header's macros out of core.
namespace {
constexpr long kTmpfsMagic = 0x01021994;
constexpr long kCgroup2Magic = 0x63677270;
} // namespace

namespace hood {

const char *cgroupModeName(CgroupMode mode)
{
    switch (mode) {
    case CgroupMode::V1: return "v1";
    case CgroupMode::Hybrid: return "hybrid";
    case CgroupMode::V2: return "v2";
    }
    return "?";
}

namespace {

// "cgroup root /sys/fs/cgroup is neither ..." (the root is left out when unknown).
Error notACgroupRoot(const std::string &root, long magic)
{
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%lx", magic);
    return Error("cgroup root " + (root.empty() ? std::string() : root + " ")
                 + "is neither a cgroup2 mount nor a tmpfs holding cgroup v1 hierarchies "
                   "(filesystem type "
                 + hex + ")");
}

std::optional<CgroupMode> modeFromMagic(long rootMagic, long unifiedMagic)
{
    if (rootMagic == kCgroup2Magic)
        return CgroupMode::V2;
    if (rootMagic == kTmpfsMagic)
        return unifiedMagic == kCgroup2Magic ? CgroupMode::Hybrid : CgroupMode::V1;
    return std::nullopt;
}

} // namespace

CgroupMode cgroupModeFromMagic(long rootMagic, long unifiedMagic)
{
    if (auto mode = modeFromMagic(rootMagic, unifiedMagic))
        return *mode;
    throw notACgroupRoot({}, rootMagic);
}

CgroupMode detectCgroupMode(const std::string &root)
{
    // Like crun's detect_cgroup_mode: the answer cannot change while we run, and
    // it is asked on every container start.
    static std::mutex mutex;
    static std::map<std::string, CgroupMode> cache;
    std::lock_guard lock(mutex);
    if (auto it = cache.find(root); it != cache.end())
        return it->second;

    struct statfs rootFs {};
    if (::statfs(root.c_str(), &rootFs) != 0)
        throw Error::sys("statfs", root, errno);
    struct statfs unifiedFs {};
    const std::string unified = cgfs::join(root, "unified");
    long unifiedMagic =
        ::statfs(unified.c_str(), &unifiedFs) == 0 ? static_cast<long>(unifiedFs.f_type) : 0;
    auto mode = modeFromMagic(static_cast<long>(rootFs.f_type), unifiedMagic);
    if (!mode)
        throw notACgroupRoot(root, static_cast<long>(rootFs.f_type));
    cache.emplace(root, *mode);
    return *mode;
}

namespace {

void checkComponent(const std::string &what, const std::string &value)
{
    if (value.empty() || value == "." || value == ".." || value.find('/') != std::string::npos
        || value.find('\0') != std::string::npos)
        throw Error("cgroup " + what + " \"" + value + "\": must be one non-empty path component");
}

} // namespace

std::unique_ptr<CgroupManager> makeCgroupManager(const CgroupOptions &options)
{
    checkComponent("parent", options.parent);
    checkComponent("name", options.name);
    CgroupMode mode = options.mode ? *options.mode : detectCgroupMode(options.root);
    // Hybrid mode's v2 hierarchy at <root>/unified has no controllers bound to it
    // while they are on v1, so hybrid is driven exactly like v1.
    if (mode == CgroupMode::V2)
        return detail::makeV2Manager(options);
    if (!options.base.empty())
        throw Error("a delegated cgroup base (" + options.base + ") needs cgroup v2, and this "
                    "machine's controllers are on v1 (" + cgroupModeName(mode) + " mode)");
    return detail::makeV1Manager(options, mode);
}

namespace detail {

namespace {

// The shared parent is gone (ENOENT) or going (ENODEV: the kernel's answer to a
// mkdir, open, read or write in a cgroup that is being removed) because another
// container's destroy() removed it while empty. On v2 the window is wide: between
// the parent's mkdir and the leaf's lie the reads and writes of subtree_control.
bool parentWentAway(int err)
{
    return err == ENOENT || err == ENODEV;
}

} // namespace

void createLeaf(const std::string &parent, const std::string &leaf,
                const std::function<void()> &prepareParent)
{
    constexpr int kAttempts = 10;
    int err = 0;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
        const bool last = attempt == kAttempts;
        err = cgfs::makeDir(parent);
        if (err && (last || !parentWentAway(err)))
            throw Error::sys("mkdir", parent, err);
        if (err)
            continue;
        try {
            prepareParent();
        } catch (const Error &error) {
            if (last || !parentWentAway(error.code()))
                throw;
            continue;
        }
        err = cgfs::makeDir(leaf);
        if (!parentWentAway(err))
            break;
    }
    if (err)
        throw Error::sys("mkdir", leaf, err);
}

namespace {

// runc's cleanPath: "." and ".." resolved lexically, and a relative path can
// never climb above where it starts ("../../x" is "x").
std::string cleanPath(const std::string &path)
{
    std::vector<std::string> parts;
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        if (slash == std::string::npos)
            slash = path.size();
        std::string part = path.substr(pos, slash - pos);
        if (part == "..") {
            if (!parts.empty())
                parts.pop_back();
        } else if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        pos = slash + 1;
    }
    std::string out;
    for (const std::string &part : parts)
        out += "/" + part;
    return out; // "" for "/" or "."
}

} // namespace

std::string specCgroupLeaf(const std::string &hierarchyDir, const std::string &controller,
                           const std::string &specPath)
{
    const std::string inner = cleanPath(specPath);
    if (inner.empty())
        throw Error("linux.cgroupsPath \"" + specPath + "\" names no cgroup below the hierarchy's root");
    if (specPath[0] == '/')
        return hierarchyDir + inner;
    const std::vector<ProcCgroupLine> lines = readProcCgroup();
    const ProcCgroupLine *own = cgroupLineFor(lines, controller);
    std::string base = own ? cleanPath(own->path) : "";
    if (controller.empty()) // v2: this process's cgroup has processes; its parent can have children
        base = base.substr(0, base.rfind('/') == std::string::npos ? 0 : base.rfind('/'));
    return hierarchyDir + base + inner;
}

std::vector<std::string> missingBetween(const std::string &top, const std::string &leaf)
{
    std::vector<std::string> missing;
    for (size_t slash = leaf.find('/', top.size() + 1); slash != std::string::npos;
         slash = leaf.find('/', slash + 1)) {
        std::string dir = leaf.substr(0, slash);
        if (!cgfs::exists(dir))
            missing.push_back(dir);
    }
    return missing;
}

void throwMissingController(const std::string &controller, const std::string &detail)
{
    throw Error("the " + controller + " controller is not available in this cgroup hierarchy ("
                + detail + ")");
}

} // namespace detail

} // namespace hood
