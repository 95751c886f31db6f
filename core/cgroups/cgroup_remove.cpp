// removeCgroupPath: journal replay's way to undo a cgroup after a crash. The
// path comes from a file on disk, so it is checked hard before anything is
// killed or removed: Hood must never touch a cgroup it did not create.
#include "cgroups.h"

#include "cgroup_backends.h"
#include "cgroup_fs.h"
#include "cgroup_paths.h"
#include "error.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <optional>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace hood {

namespace {

constexpr long kCgroupMagic = 0x27e0eb;    // CGROUP_SUPER_MAGIC
constexpr long kCgroup2Magic = 0x63677270; // CGROUP2_SUPER_MAGIC

bool refuse(std::string *why, const std::string &path, const std::string &reason)
{
    if (why)
        *why = "refusing to remove " + path + ": " + reason;
    return false;
}

// "/a/b/c" -> {a, b, c}; false unless absolute and free of "", "." and "..".
bool splitNormalized(const std::string &path, std::vector<std::string> &parts)
{
    if (path.empty() || path[0] != '/')
        return false;
    size_t pos = 1;
    while (pos <= path.size()) {
        size_t slash = path.find('/', pos);
        if (slash == std::string::npos)
            slash = path.size();
        std::string part = path.substr(pos, slash - pos);
        if (part.empty() || part == "." || part == "..")
            return false;
        parts.push_back(part);
        pos = slash + 1;
    }
    return !parts.empty();
}

bool isCgroupFs(const std::string &path)
{
    struct statfs fs {};
    if (::statfs(path.c_str(), &fs) != 0)
        return false;
    long magic = static_cast<long>(fs.f_type);
    return magic == kCgroupMagic || magic == kCgroup2Magic;
}

// The root of a mounted cgroup filesystem (a v1 hierarchy or the v2 tree), and
// not a symlink to one: a directory on another device than its parent.
bool isCgroupMountRoot(const std::string &dir, dev_t *dev)
{
    char real[PATH_MAX];
    if (!::realpath(dir.c_str(), real) || dir != real || !isCgroupFs(dir))
        return false;
    struct stat self {
    }, up{};
    if (::stat(dir.c_str(), &self) != 0 || ::stat((dir + "/..").c_str(), &up) != 0)
        return false;
    *dev = self.st_dev;
    return self.st_dev != up.st_dev;
}

// A real directory (not a symlink) on the cgroup filesystem `dev`.
bool isDirOn(const std::string &path, dev_t dev)
{
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_dev == dev;
}

// A rootless container's cgroup lies in a subtree delegated to its user:
// <base>/hood/<name>, base a real directory below a cgroup mount root, on that
// mount, owned by the caller. Root never uses delegation, so for root the
// stricter rule (base is the mount root) stands: nothing a user made can steer
// root's gc.
bool isDelegatedBase(const std::string &base, dev_t *dev)
{
    const uid_t uid = ::geteuid();
    if (uid == 0)
        return false;
    char real[PATH_MAX];
    if (!::realpath(base.c_str(), real) || base != real)
        return false;
    for (std::string up = base; up.size() > 1;) {
        up = up.substr(0, up.rfind('/'));
        if (up.empty())
            up = "/";
        if (!isCgroupMountRoot(up, dev))
            continue;
        struct stat st {};
        return ::lstat(base.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_dev == *dev
               && st.st_uid == uid;
    }
    return false;
}

// The nearest directory strictly above path (never "/") for which is(dir) holds, or "".
template <class Predicate>
std::string nearestAbove(const std::string &path, Predicate is)
{
    for (std::string up = path; up.size() > 1;) {
        up = up.substr(0, up.rfind('/'));
        if (up.empty())
            return {};
        if (is(up))
            return up;
    }
    return {};
}

// The mount root of a cgroup filesystem that path lies strictly below, or "".
std::string mountRootAbove(const std::string &path, dev_t *dev)
{
    return nearestAbove(path, [dev](const std::string &up) { return isCgroupMountRoot(up, dev); });
}

// What path lies strictly below and this process may remove cgroups in: for root
// a cgroup mount root, for another user a cgroup delegated to them (the rootless
// base whose "hood" parent a container made). "" when neither.
std::string baseAbove(const std::string &path, dev_t *dev)
{
    if (::geteuid() == 0)
        return mountRootAbove(path, dev);
    return nearestAbove(path, [dev](const std::string &up) { return isDelegatedBase(up, dev); });
}

// True when path is this process's cgroup or above it in that hierarchy: killing
// what is in it would kill us (and whoever shares our cgroup).
bool holdsUs(const std::string &mountRoot, const std::string &path)
{
    try {
        for (const ProcCgroupLine &line : readProcCgroup()) {
            const std::string own = mountRoot + (line.path == "/" ? "" : line.path);
            if (own == path || own.rfind(path + "/", 0) == 0)
                return true;
        }
    } catch (const Error &) {
        return true; // cannot tell: do not risk it
    }
    return false;
}

bool removeChecked(const std::string &path, const std::string &parent, std::string *why)
{
    auto deadline = std::chrono::steady_clock::now() + detail::kKillTimeout;
    try {
        cgfs::killTree(path, deadline);
    } catch (const Error &error) {
        if (why)
            *why = error.what();
        return false;
    }
    if (!cgfs::removeTree(path, std::chrono::steady_clock::now() + detail::kRemoveTimeout, why))
        return false;
    if (!parent.empty())
        cgfs::removeParentIfEmpty(parent);
    return true;
}

} // namespace

// linux.cgroupsPath put the cgroup where the client said (/libpod_parent/libpod-ID,
// /docker/ID). Root only, strictly below a cgroup mount root, and never a cgroup
// holding this process: a journal line cannot make Hood kill its own caller.
bool removeSpecCgroup(const std::string &path, std::string *why)
{
    std::vector<std::string> parts;
    if (!splitNormalized(path, parts))
        return refuse(why, path, "not an absolute, normalized path");
    dev_t dev = 0;
    const std::string mountRoot = mountRootAbove(path, &dev);
    if (::geteuid() != 0 || mountRoot.empty())
        return refuse(why, path, "not a cgroup below a cgroup mount root (nor under a \"hood\" parent)");
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT)
        return true;
    if (!isDirOn(path, dev))
        return refuse(why, path, "not a cgroup directory of " + mountRoot);
    if (holdsUs(mountRoot, path))
        return refuse(why, path, "it holds the cgroup of hoodctl itself");
    try {
        return removeChecked(path, "", why);
    } catch (const std::exception &error) {
        if (why)
            *why = error.what();
        return false;
    }
}

bool removeCgroupPath(const std::string &path, std::string *why)
{
    std::vector<std::string> parts;
    if (!splitNormalized(path, parts))
        return refuse(why, path, "not an absolute, normalized path");
    if (parts.size() < 3 || parts[parts.size() - 2] != "hood")
        return refuse(why, path, "not a cgroup directly under a \"hood\" parent");

    std::string mountRoot; // or the delegated base
    for (size_t i = 0; i + 2 < parts.size(); ++i)
        mountRoot += "/" + parts[i];
    const std::string parent = mountRoot + "/hood";
    dev_t dev = 0;
    if (!isCgroupMountRoot(mountRoot, &dev) && !isDelegatedBase(mountRoot, &dev))
        return refuse(why, path,
                      mountRoot + " is not the root of a mounted cgroup filesystem"
                          + (::geteuid() == 0 ? std::string()
                                              : " nor a cgroup delegated to uid "
                                                    + std::to_string(::geteuid())));

    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT) {
        if (isDirOn(parent, dev))
            cgfs::removeParentIfEmpty(parent);
        return true; // already gone: the crash came before mkdir, or after rmdir
    }
    if (!isDirOn(parent, dev) || !isDirOn(path, dev))
        return refuse(why, path, "not a cgroup directory of " + mountRoot);
    try {
        return removeChecked(path, parent, why);
    } catch (const std::exception &error) {
        if (why)
            *why = error.what();
        return false;
    }
}

bool removeCgroupParent(const std::string &path, std::string *why)
{
    std::vector<std::string> parts;
    dev_t dev = 0;
    if (!splitNormalized(path, parts) || baseAbove(path, &dev).empty())
        return refuse(why, path,
                      ::geteuid() == 0 ? "not a directory below a cgroup mount root"
                                       : "not a directory below a cgroup delegated to uid "
                                             + std::to_string(::geteuid()));
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT)
        return true;
    if (!isDirOn(path, dev))
        return refuse(why, path, "not a cgroup directory");
    cgfs::removeParentIfEmpty(path); // EBUSY: another container's cgroup is in it
    return true;
}

} // namespace hood

namespace hood {

namespace {
// The one freezer of a container's directories: v1's freezer hierarchy, or the v2 leaf.
struct Freezer {
    std::string file;   // freezer.state or cgroup.freeze
    bool v2 = false;
};

std::optional<Freezer> findFreezer(const std::vector<std::string> &paths)
{
    for (const std::string &dir : paths) {
        if (cgfs::exists(cgfs::join(dir, "freezer.state")))
            return Freezer {cgfs::join(dir, "freezer.state"), false};
        if (cgfs::exists(cgfs::join(dir, "cgroup.freeze")))
            return Freezer {cgfs::join(dir, "cgroup.freeze"), true};
    }
    return std::nullopt;
}

bool readsFrozen(const Freezer &f)
{
    if (f.v2) {
        // cgroup.events says "frozen 1" once every task has stopped.
        std::string events;
        std::string dir = f.file.substr(0, f.file.rfind('/'));
        if (readFileNoThrow(cgfs::join(dir, "cgroup.events"), events) != 0)
            return false;
        return events.find("frozen 1") != std::string::npos;
    }
    std::string state;
    return readFileNoThrow(f.file, state) == 0 && state.rfind("FROZEN", 0) == 0;
}
} // namespace

void freezeCgroup(const std::vector<std::string> &paths, bool frozen)
{
    std::optional<Freezer> f = findFreezer(paths);
    if (!f)
        throw Error("the container has no freezer cgroup (v1 freezer hierarchy or a v2 leaf), so it "
                    "cannot be paused");
    cgfs::writeFile(f->file, f->v2 ? (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED"));
    for (int i = 0; i < 500 && readsFrozen(*f) != frozen; ++i) {
        if (!f->v2 && frozen) // v1 may stay FREEZING while a task is busy: ask again
            cgfs::writeFile(f->file, "FROZEN");
        usleep(2000);
    }
    if (readsFrozen(*f) != frozen)
        throw Error(f->file + " did not read " + (frozen ? "frozen" : "thawed") + " within a second");
}

bool cgroupFrozen(const std::vector<std::string> &paths)
{
    std::optional<Freezer> f = findFreezer(paths);
    return f && readsFrozen(*f);
}

} // namespace hood
