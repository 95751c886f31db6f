#include "rootfs.h"

#include "error.h"
#include "privops.h"
#include "cgroups/cgroup_paths.h"
#include "sys/fd.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <dirent.h>
#include <memory>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <string_view>
#include <linux/mount.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hood {

namespace {

std::vector<std::string> splitPath(const std::string &path)
{
    std::vector<std::string> parts;
    std::stringstream in(path);
    std::string part;
    while (std::getline(in, part, '/')) {
        if (!part.empty() && part != ".")
            parts.push_back(part);
    }
    return parts;
}

std::string joinPath(const std::vector<std::string> &parts)
{
    std::string out;
    for (const std::string &p : parts)
        out += "/" + p;
    return out.empty() ? "/" : out;
}

void mkdirAll(const std::string &path, mode_t mode = 0755)
{
    std::string sofar;
    for (const std::string &part : splitPath(path)) {
        sofar += "/" + part;
        if (mkdir(sofar.c_str(), mode) < 0 && errno != EEXIST)
            throw Error::sys("mkdir", sofar, errno);
    }
}

// Creates what a mount needs at target: a directory, or an empty file when the
// source is a file (bind mounts of single files).
void makeMountPoint(const std::string &target, bool file)
{
    struct stat st {};
    if (lstat(target.c_str(), &st) == 0)
        return;
    if (!file) {
        mkdirAll(target);
        return;
    }
    mkdirAll(target.substr(0, target.rfind('/')));
    Fd fd(open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
    if (!fd)
        throw Error::sys("create mount point", target, errno);
}

void doMount(const std::string &source, const std::string &target, const char *type,
             unsigned long flags, const std::string &data)
{
    priv::mount(source, target, type, flags, data);
}

struct OptionRow {
    std::string_view name;
    bool clear;
    unsigned long flag;
};
constexpr std::array<OptionRow, 20> kFlagOptions = {{
    {"ro", false, MS_RDONLY},          {"rw", true, MS_RDONLY},
    {"nosuid", false, MS_NOSUID},      {"suid", true, MS_NOSUID},
    {"nodev", false, MS_NODEV},        {"dev", true, MS_NODEV},
    {"noexec", false, MS_NOEXEC},      {"exec", true, MS_NOEXEC},
    {"sync", false, MS_SYNCHRONOUS},   {"async", true, MS_SYNCHRONOUS},
    {"dirsync", false, MS_DIRSYNC},    {"remount", false, MS_REMOUNT},
    {"noatime", false, MS_NOATIME},    {"atime", true, MS_NOATIME},
    {"nodiratime", false, MS_NODIRATIME}, {"diratime", true, MS_NODIRATIME},
    {"relatime", false, MS_RELATIME},  {"norelatime", true, MS_RELATIME},
    {"strictatime", false, MS_STRICTATIME}, {"mand", false, MS_MANDLOCK},
}};
constexpr std::array<std::pair<std::string_view, unsigned long>, 8> kPropagation = {{
    {"private", MS_PRIVATE}, {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},   {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},     {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
}};

bool applyFlagOption(const std::string &opt, MountFlags &out)
{
    for (const OptionRow &row : kFlagOptions) {
        if (opt == row.name) {
            out.flags = row.clear ? out.flags & ~row.flag : out.flags | row.flag;
            out.cleared = row.clear ? out.cleared | row.flag : out.cleared & ~row.flag;
            return true;
        }
    }
    for (const auto &[name, flag] : kPropagation) {
        if (opt == name) {
            out.propagation = flag;
            return true;
        }
    }
    if (opt == "tmpcopyup") { // podman --read-only sends it for /tmp, /var/tmp, /run
        out.tmpcopyup = true;
        return true;
    }
    if (opt == "bind" || opt == "rbind") {
        out.bind = true;
        out.flags |= MS_BIND | (opt == "rbind" ? MS_REC : 0);
        return true;
    }
    return false;
}

} // namespace

std::string resolveInRoot(const std::string &root, const std::string &path, const std::string &what)
{
    std::vector<std::string> done;
    std::vector<std::string> todo = splitPath(path);
    std::reverse(todo.begin(), todo.end());
    int links = 0;
    while (!todo.empty()) {
        std::string part = todo.back();
        todo.pop_back();
        if (part == "..") {
            if (done.empty())
                throw Error(what + " " + path + " resolves outside the rootfs");
            done.pop_back();
            continue;
        }
        done.push_back(part);
        std::string host = root + joinPath(done);
        char target[PATH_MAX];
        ssize_t n = readlink(host.c_str(), target, sizeof target - 1);
        if (n < 0)
            continue; // not a symlink, or does not exist yet: created later as a directory
        if (++links > 40)
            throw Error(what + " " + path + ": too many levels of symbolic links");
        target[n] = '\0';
        std::string link = joinPath(done);
        done.pop_back();
        if (target[0] == '/')
            done.clear();
        std::vector<std::string> more = splitPath(target);
        // Walk the link's parts before the rest; a ".." that climbs above the root
        // is refused, not clamped: the image is lying about where this points.
        int depth = static_cast<int>(done.size());
        for (const std::string &p : more) {
            depth += p == ".." ? -1 : 1;
            if (depth < 0)
                throw Error(what + " " + path + " resolves outside the rootfs (through " + link
                            + " -> " + target + ")");
        }
        todo.insert(todo.end(), more.rbegin(), more.rend());
    }
    return root + (done.empty() ? "" : joinPath(done));
}

void refuseSymlinkedSystemDirs(const std::string &root)
{
    for (const char *dir : {"/proc", "/dev", "/sys"}) {
        struct stat st {};
        if (lstat((root + dir).c_str(), &st) == 0 && S_ISLNK(st.st_mode))
            throw Error(std::string("rootfs: ") + dir + " is a symbolic link; refusing to mount "
                        "over it (a symlink there is a known container escape route)");
    }
}

namespace {
bool underProcOrSys(const std::string &destination)
{
    for (const char *top : {"/proc/", "/sys/"}) {
        if (destination.rfind(top, 0) == 0)
            return true;
    }
    return false;
}

// lstat of every component, for kernels without openat2 (before 5.6).
bool walkFindsSymlink(const std::string &root, const std::string &path)
{
    std::string at = root;
    for (const std::string &part : splitPath(path)) {
        at += "/" + part;
        struct stat st {};
        if (lstat(at.c_str(), &st) < 0)
            return false; // the rest does not exist yet
        if (S_ISLNK(st.st_mode))
            return true;
    }
    return false;
}
} // namespace

void refuseSymlinkUnderProcSys(const std::string &root, const std::string &destination)
{
    if (!underProcOrSys(destination))
        return;
    bool link = false;
    Fd rootFd(open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!rootFd)
        throw Error::sys("open", root, errno);
    open_how how {};
    how.flags = O_PATH | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    Fd fd(static_cast<int>(syscall(SYS_openat2, rootFd.get(), destination.c_str() + 1, &how, sizeof how)));
    if (!fd && errno == ENOSYS)
        link = walkFindsSymlink(root, destination);
    else if (!fd && errno == ELOOP)
        link = true;
    if (link)
        throw Error("mount destination " + destination + ": a symbolic link under "
                    + destination.substr(0, destination.find('/', 1))
                    + "; refusing to mount there (CVE-2019-16884, CVE-2021-30465)");
}

MountFlags parseMountOptions(const std::vector<std::string> &options)
{
    MountFlags out;
    for (const std::string &opt : options) {
        if (applyFlagOption(opt, out))
            continue;
        out.data += (out.data.empty() ? "" : ",") + opt;
    }
    return out;
}

void makeMountsPrivate()
{
    priv::makeMountsPrivate();
}

namespace {
// overlayfs separates layers with ':' and options with ','.
void refuseOverlaySeparators(const std::string &path)
{
    if (path.find_first_of(",:") != std::string::npos)
        throw Error("image path " + path + " contains ',' or ':', which overlayfs cannot take");
}

// A layer by its real path when this process can walk it (the mount table is what
// students read); through the monitor's fd when a user namespace cannot.
std::string layerPath(const std::string &path, int fd)
{
    return fd < 0 || access(path.c_str(), X_OK) == 0 ? path : "/proc/self/fd/" + std::to_string(fd);
}

std::string lowerdirOption(const RootfsLayers &layers, const std::vector<int> &lowerFds)
{
    std::string out;
    for (size_t i = 0; i < layers.lowers.size(); ++i) {
        refuseOverlaySeparators(layers.lowers[i]);
        out += (i ? ":" : "") + layerPath(layers.lowers[i], i < lowerFds.size() ? lowerFds[i] : -1);
    }
    return out;
}
} // namespace

std::string overlayOptions(const std::string &lowerdir, const std::string &upper, const std::string &work,
                           bool userXattr)
{
    return "lowerdir=" + lowerdir + ",upperdir=" + upper + ",workdir=" + work + (userXattr ? ",userxattr" : "");
}

MergedRoot mountOverlay(const RootfsLayers &layers, const std::vector<int> &lowerFds, int scratchFd,
                        const std::string &scratchPath)
{
    if (layers.lowers.empty())
        throw Error("no image layer to make the container's root filesystem from");
    if (scratchFd < 0)
        throw Error("no scratch directory for the container's writable layer");
    std::string lowerdir = lowerdirOption(layers, lowerFds);
    std::string upper, work, merged;
    Fd top;
    if (layers.upper == RootfsLayers::Upper::Scratch) {
        top = priv::attachTmpfs(scratchFd, scratchPath);
        for (const char *d : {"upper", "work", "merged"})
            check(mkdirat(top.get(), d, 0755), "mkdir", std::string("scratch/") + d);
        std::string scratch = access((scratchPath + "/upper").c_str(), W_OK) == 0
                                  ? scratchPath
                                  : "/proc/self/fd/" + std::to_string(top.get());
        upper = scratch + "/upper";
        work = scratch + "/work";
        merged = scratch + "/merged";
    } else {
        // Persistent: upper and work on disk (made and journaled by the monitor);
        // merged is the state directory's rootfs/.
        refuseOverlaySeparators(layers.upperDir);
        refuseOverlaySeparators(layers.workDir);
        upper = layers.upperDir;
        work = layers.workDir;
        merged = access(scratchPath.c_str(), W_OK) == 0 ? scratchPath
                                                          : "/proc/self/fd/" + std::to_string(scratchFd);
    }
    doMount("overlay", merged, "overlay", 0, overlayOptions(lowerdir, upper, work, layers.userXattr));
    return {merged, std::move(top)};
}

void bindRootfs(const std::string &rootfs)
{
    doMount(rootfs, rootfs, "", MS_BIND | MS_REC, "");
}

namespace {

bool sourceIsFile(const Mount &m)
{
    struct stat st {};
    return stat(m.source.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
}

void mountBind(const Mount &m, const std::string &target, const MountFlags &f)
{
    doMount(m.source, target, "", f.flags & (MS_BIND | MS_REC), "");
    // Flags other than MS_BIND/MS_REC are ignored on the first bind: remount.
    unsigned long rest = f.flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
    if (rest)
        priv::remountBind(target, rest, f.cleared);
}

// Without a cgroup namespace of its own a fresh mount shows the host's whole tree:
// the container's own cgroup is bound over it, so /sys/fs/cgroup/pids/pids.max is
// the container's limit, as runc shows it on v1.
void bindOwnCgroup(const std::string &mountPoint, const std::string &path)
{
    if (path.empty() || path == "/")
        return;
    doMount(mountPoint + path, mountPoint, "", MS_BIND, "");
}

// One hierarchy at dir: afresh, or (outside a cgroup namespace) only the
// container's own cgroup of it, by way of a scratch mount that is detached again
// so mountinfo shows one mount, as runc's does.
void mountHierarchy(const std::string &dir, const char *type, const std::string &options,
                    const std::string &path, unsigned long ro)
{
    if (path.empty() || path == "/") {
        doMount(type, dir, type, ro, options);
        return;
    }
    const std::string scratch = dir + ".hood-scratch";
    check(mkdir(scratch.c_str(), 0700), "mkdir", scratch);
    doMount(type, scratch, type, ro & ~MS_RDONLY, options);
    doMount(scratch + path, dir, "", MS_BIND, "");
    priv::detachScratchMount(scratch);
    check(rmdir(scratch.c_str()), "rmdir", scratch);
    if (ro & MS_RDONLY)
        doMount("", dir, "", MS_BIND | MS_REMOUNT | ro, "");
}

// /sys/fs/cgroup inside the container: the hierarchies the host has, as seen from
// the container's cgroup namespace (each mounted afresh, read-only).
void mountCgroupTree(const std::string &target, const MountFlags &f)
{
    // No v1 hierarchy: a pure v2 machine, where one cgroup2 is the whole tree.
    const std::vector<ProcCgroupLine> lines = readProcCgroup();
    std::vector<CgroupHierarchyMount> hierarchies = v1HierarchyMounts(lines);
    bool unifiedOnly = hierarchies.empty();
    unsigned long ro = f.flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
    if (unifiedOnly) {
        doMount("cgroup2", target, "cgroup2", ro & ~MS_RDONLY, "");
        for (const ProcCgroupLine &line : lines) {
            if (line.isUnified())
                bindOwnCgroup(target, line.path);
        }
        if (ro & MS_RDONLY)
            doMount("", target, "", MS_BIND | MS_REMOUNT | ro, "");
        return; // (a v2 bind over its own mount point: one tree, the view is the container's)
    }
    doMount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755");
    for (const CgroupHierarchyMount &h : hierarchies) {
        check(mkdir((target + "/" + h.dir).c_str(), 0755), "mkdir", target + "/" + h.dir);
        mountHierarchy(target + "/" + h.dir, "cgroup", h.options, h.path, ro);
    }
    if (ro & MS_RDONLY)
        doMount("", target, "", MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755");
}

// When the kernel refuses a fresh instance (rootless: no sysfs without a network
// namespace of our own, no proc without a pid namespace), bind the host's instead.
bool fallbackBind(const Mount &m, const std::string &target, int err, MountWarnFn warn, void *ctx)
{
    static const std::array<std::pair<std::string_view, const char *>, 3> kFallback = {{
        {"sysfs", "/sys"}, {"proc", "/proc"}, {"mqueue", "/dev/mqueue"}}};
    if (err != EPERM)
        return false;
    for (const auto &[type, host] : kFallback) {
        if (m.type == type) {
            struct stat st {};
            if (stat(host, &st) < 0) {
                warn(std::string("a new ") + std::string(type) + " could not be mounted at " + m.destination
                         + " (not permitted here) and the host has no " + host + " to bind; it stays empty",
                     ctx);
                return true;
            }
            doMount(host, target, "", MS_BIND | MS_REC, "");
            warn(std::string("a new ") + std::string(type) + " could not be mounted at "
                     + m.destination + " (not permitted here); the host's " + host
                     + " is bound there instead",
                 ctx);
            return true;
        }
    }
    if (m.type == "cgroup") {
        warn("cgroup hierarchies could not be mounted at " + m.destination
                 + " (not permitted here); it stays empty",
             ctx);
        return true;
    }
    return false;
}

bool directoryEmpty(const std::string &dir)
{
    std::unique_ptr<DIR, int (*)(DIR *)> d(opendir(dir.c_str()), closedir);
    if (!d)
        return true;
    while (dirent *e = readdir(d.get())) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            return false;
    }
    return true;
}

void mountOne(const std::string &rootfs, const Mount &m, MountWarnFn warn, void *ctx)
{
    MountFlags f = parseMountOptions(m.options);
    refuseSymlinkUnderProcSys(rootfs, m.destination);
    std::string target = resolveInRoot(rootfs, m.destination, "mount destination");
    makeMountPoint(target, f.bind && sourceIsFile(m));
    refuseSymlinkUnderProcSys(rootfs, m.destination); // again: it may have been swapped meanwhile
    try {
        if (f.bind)
            mountBind(m, target, f);
        else if (m.type == "cgroup")
            mountCgroupTree(target, f);
        else {
            if (f.tmpcopyup && !directoryEmpty(target))
                warn("mount " + m.destination + ": tmpcopyup is not implemented; what the image has there "
                         "is hidden by the tmpfs",
                     ctx);
            doMount(m.source.empty() ? m.type : m.source, target, m.type.c_str(), f.flags, f.data);
        }
    } catch (const Error &e) {
        if (!fallbackBind(m, target, e.code(), warn, ctx))
            throw;
    }
    if (f.propagation)
        doMount("", target, "", f.propagation, "");
}

} // namespace

void mountSpecMounts(const std::string &rootfs, const std::vector<Mount> &mounts, MountWarnFn warn, void *ctx)
{
    for (const Mount &m : mounts)
        mountOne(rootfs, m, warn, ctx);
}

void populateDev(const std::string &rootfs)
{
    const std::string dev = rootfs + "/dev";
    for (const char *name : {"null", "zero", "full", "random", "urandom", "tty"}) {
        std::string target = dev + "/" + name;
        makeMountPoint(target, true);
        // Safe: binds a host device node read-write onto a file in the container's
        // private /dev; these six are what every runtime gives (runc's default devices).
        doMount("/dev/" + std::string(name), target, "", MS_BIND, "");
    }
    const std::array<std::pair<const char *, const char *>, 5> links = {{
        {"/proc/self/fd", "fd"}, {"/proc/self/fd/0", "stdin"}, {"/proc/self/fd/1", "stdout"},
        {"/proc/self/fd/2", "stderr"}, {"pts/ptmx", "ptmx"}}};
    for (const auto &[to, name] : links) {
        if (symlink(to, (dev + "/" + name).c_str()) < 0 && errno != EEXIST)
            throw Error::sys("symlink", dev + "/" + name, errno);
    }
}

void pivotInto(const std::string &rootfs)
{
    priv::pivotRoot(rootfs);
}

void chrootInto(const std::string &rootfs)
{
    priv::chroot(rootfs);
}

void maskPaths(const std::vector<std::string> &paths)
{
    for (const std::string &path : paths) {
        struct stat st {};
        if (stat(path.c_str(), &st) < 0)
            continue; // nothing to hide
        if (S_ISDIR(st.st_mode))
            doMount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0");
        else
            doMount("/dev/null", path, "", MS_BIND, "");
    }
}

void readonlyPaths(const std::vector<std::string> &paths)
{
    for (const std::string &path : paths) {
        struct stat st {};
        if (stat(path.c_str(), &st) < 0)
            continue;
        doMount(path, path, "", MS_BIND | MS_REC, "");
        doMount("", path, "", MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "");
    }
}

// In a user namespace a root whose host mount is nosuid or nodev (a tmpfs /tmp)
// keeps those: the kernel locks them there (priv::remountBind), as runc's
// setReadonly() finds too.
void remountRootReadonly()
{
    priv::remountBind("/", MS_RDONLY, 0);
}

} // namespace hood
