#include "privops.h"

#include "error.h"
#include "net/links.h"
#include "net/loopback.h"
#include "net/nft.h"
#include "sys/fileio.h"
#include "trace.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hood::priv {

using trace::Phase;
using trace::Scope;

namespace {

[[noreturn]] void fail(Scope &step, const std::string &op, const std::string &path, int err)
{
    step.fail(err);
    throw Error::sys(op, path, err);
}

} // namespace

std::string mountFlagNames(unsigned long flags)
{
    static const std::array<std::pair<unsigned long, const char *>, 16> kNames = {{
        {MS_RDONLY, "ro"}, {MS_NOSUID, "nosuid"}, {MS_NODEV, "nodev"}, {MS_NOEXEC, "noexec"},
        {MS_SYNCHRONOUS, "sync"}, {MS_REMOUNT, "remount"}, {MS_MANDLOCK, "mand"},
        {MS_DIRSYNC, "dirsync"}, {MS_NOATIME, "noatime"}, {MS_NODIRATIME, "nodiratime"},
        {MS_BIND, "bind"}, {MS_REC, "rec"}, {MS_PRIVATE, "private"}, {MS_SLAVE, "slave"},
        {MS_SHARED, "shared"}, {MS_RELATIME, "relatime"}}};
    std::string out;
    for (const auto &[bit, name] : kNames) {
        if (flags & bit)
            out += (out.empty() ? "" : ",") + std::string(name);
    }
    return out;
}

namespace {
// "new pid, mnt, uts, ipc, net namespaces": the clone flags as the namespace table names them.
std::string cloneFlagNames(uint64_t flags)
{
    std::string out;
    for (const NsInfo &info : kNamespaces) {
        if (flags & static_cast<uint64_t>(info.cloneFlag))
            out += (out.empty() ? "" : ", ") + std::string(info.ociName);
    }
    return out.empty() ? "no new namespaces" : "new " + out + " namespaces";
}
} // namespace

pid_t cloneInit(uint64_t flags, int cgroupFd, bool *placedInCgroup)
{
    // Safe: the child is our own, starts in new namespaces that only it can see,
    // and does nothing until the monitor sends Go over the socket pair.
    clone_args args {};
    args.flags = flags;
    args.exit_signal = SIGCHLD;
    if (cgroupFd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = static_cast<uint64_t>(cgroupFd);
    }
    trace::Step step {"monitor", Phase::Clone, "clone3", "", 0, "", trace::now(), 0};
    pid_t pid = static_cast<pid_t>(syscall(SYS_clone3, &args, sizeof args));
    *placedInCgroup = pid >= 0 && cgroupFd >= 0;
    if (pid < 0 && errno == ENOSYS) { // kernels before 5.3: no time namespace then
        step.op = "clone";
        pid = static_cast<pid_t>(syscall(SYS_clone, (flags & ~uint64_t(CLONE_NEWTIME)) | SIGCHLD, 0, 0, 0, 0));
    }
    int err = errno;
    if (pid == 0) {
        trace::continueAs("init");
        return 0;
    }
    step.durationUs = trace::now() - step.startUs;
    step.args = cloneFlagNames(flags) + (*placedInCgroup ? ", born in its cgroup" : "");
    step.result = pid > 0 ? "pid " + std::to_string(pid) : errnoText(err);
    step.err = pid > 0 ? 0 : err;
    trace::append(step);
    if (pid < 0)
        throw Error::sys("clone", "container init", err);
    trace::faultPoint();
    return pid;
}

void joinPidNamespaceForChildren(const std::string &path)
{
    // Safe: setns(CLONE_NEWPID) changes the pid namespace of the monitor's future
    // children only, never of the monitor; the path comes from the validated spec.
    Scope step(Phase::Namespaces, "setns pid (children)", path);
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd || ::setns(fd.get(), CLONE_NEWPID) < 0)
        fail(step, "join pid namespace", path, errno);
}

void writeIdMaps(pid_t pid, const std::string &uidMap, const std::string &gidMap, bool denySetgroups)
{
    // Safe: the maps come from the validated spec (or Hood's own rootless map of
    // the caller to root) and are written for our own child, whose user namespace
    // nothing else has entered yet; the kernel checks that we may map these ids.
    std::string proc = "/proc/" + std::to_string(pid);
    auto write = [&](const char *name, const std::string &text) {
        Scope step(Phase::IdMap, std::string("write ") + name, text.substr(0, text.find('\n')));
        try {
            writeFile(proc + "/" + name, text);
        } catch (const Error &e) {
            step.fail(e.code());
            throw;
        }
    };
    if (denySetgroups)
        write("setgroups", "deny");
    write("uid_map", uidMap);
    write("gid_map", gidMap);
}

void giveExecFifo(int fd, const std::string &path, uid_t uid, gid_t gid)
{
    // fd may be O_PATH: AT_EMPTY_PATH changes the file it names.
    // Safe: the fifo is one this monitor just made in the container's own state
    // directory (0700, root's), so the new owner can reach it only through the fd
    // its init inherits; it carries nothing but the one byte that starts the command.
    Scope step(Phase::State, "fchown", path + " to " + std::to_string(uid) + ":" + std::to_string(gid));
    if (fchownat(fd, "", uid, gid, AT_EMPTY_PATH) < 0) {
        step.fail(errno);
        throw Error::sys("chown", path, errno);
    }
}

void writeCgroupFile(const std::string &path, std::string_view value)
{
    // Safe: every path is below a cgroup Hood made for this container (hood/<id>),
    // and the value is a limit from the validated spec or a pid of ours.
    Scope step(Phase::Cgroup, "write", path + " = " + std::string(value));
    try {
        writeFile(path, value);
    } catch (const Error &e) {
        step.fail(e.code());
        throw;
    }
}

int makeCgroupDir(const std::string &path)
{
    // Safe: Hood's own hood/ parent or hood/<id> below it (a validated ID), made
    // only after the journal holds the path.
    Scope step(Phase::Cgroup, "mkdir", path);
    int rc = ::mkdir(path.c_str(), 0755);
    int err = errno;
    if (rc < 0 && err == EEXIST)
        step.result("already there"); // the shared hood/ parent of running containers
    else if (rc < 0)
        step.fail(err);
    errno = err;
    return rc;
}

int removeCgroupDir(const std::string &path)
{
    // Safe: removeCgroupPath() checked that path is a cgroup Hood made (under a
    // hood/ parent on a cgroup filesystem) before anything is removed; rmdir of a
    // cgroup that still has tasks fails, it never kills.
    int rc = ::rmdir(path.c_str());
    return rc;
}

void joinCgroup(int procsFd, const std::string &path)
{
    // Safe: "0" names the writing process itself; the file was opened by Hood in
    // the container's own cgroup.
    Scope step(Phase::Cgroup, "join cgroup", path);
    if (::write(procsFd, "0", 1) != 1)
        fail(step, "join cgroup", path, errno);
}

void becomeRootInUserNamespace()
{
    // Safe: these ids are the ones the monitor just mapped; they only name root
    // inside this user namespace.
    Scope step(Phase::Namespaces, "setresuid/gid", "0 in the new user namespace");
    if (::setresgid(0, 0, 0) < 0)
        fail(step, "setresgid", "0", errno);
    if (::setresuid(0, 0, 0) < 0)
        fail(step, "setresuid", "0", errno);
}

void setns(int fd, NsKind kind, const std::string &path)
{
    // Safe: the namespace was named by the spec or is the running container's own;
    // joining it only narrows what this process sees.
    const NsInfo &info = nsInfo(kind);
    Scope step(Phase::Namespaces, "setns " + std::string(info.ociName), path);
    if (::setns(fd, info.cloneFlag) < 0)
        fail(step, "join " + std::string(info.ociName) + " namespace", path, errno);
}

void unshareCgroupNamespace()
{
    // Safe: a new cgroup namespace only hides the cgroups above this process's own.
    Scope step(Phase::Namespaces, "unshare", "CLONE_NEWCGROUP");
    if (::unshare(CLONE_NEWCGROUP) < 0)
        fail(step, "unshare", "cgroup namespace", errno);
}

void makeMountsPrivate()
{
    // Safe: only the new mount namespace of this process is changed; with MS_PRIVATE
    // no mount or unmount made from here on propagates to the host.
    Scope step(Phase::Mounts, "mount", "/ private,rec");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0)
        return;
    int err = errno;
    step.fail(err);
    if (err == EINVAL)
        throw Error("make mounts private: / is not a mount point here (inside a plain chroot?); "
                    "bind-mount the chroot onto itself first, as a real root filesystem is", err);
    throw Error::sys("make mounts private", "/", err);
}

void mount(const std::string &source, const std::string &target, const char *type,
           unsigned long flags, const std::string &data)
{
    // Safe: called only in the container's own mount namespace after
    // makeMountsPrivate(), on targets resolved inside its rootfs (resolveInRoot
    // refuses escapes), so nothing here changes the host's mounts.
    std::string kind = type && *type ? std::string(type) : "bind";
    std::string options = mountFlagNames(flags);
    if (!data.empty())
        options += (options.empty() ? "" : ",") + data;
    Scope step(Phase::Mounts, "mount " + kind,
               (source.empty() ? std::string() : source + " on ") + target
                   + (options.empty() ? "" : " (" + options + ")"));
    if (::mount(source.c_str(), target.c_str(), type, flags, data.empty() ? nullptr : data.c_str()) < 0)
        fail(step, "mount " + kind + " " + source + " on", target, errno);
}

void remountBind(const std::string &target, unsigned long flags, unsigned long cleared)
{
    // Safe: as mount() above, in the container's own mount namespace; what is added
    // on a retry are flags the mount already has, so it only stays as strict as the
    // host made it.
    static_assert(unsigned(ST_RDONLY) == MS_RDONLY && unsigned(ST_NOSUID) == MS_NOSUID
                  && unsigned(ST_NODEV) == MS_NODEV && unsigned(ST_NOEXEC) == MS_NOEXEC);
    constexpr unsigned long kLockable = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
    flags |= MS_BIND | MS_REMOUNT;
    Scope step(Phase::Mounts, "mount bind", target + " (" + mountFlagNames(flags) + ")");
    if (::mount(nullptr, target.c_str(), nullptr, flags, nullptr) == 0)
        return;
    const int err = errno;
    struct statvfs st {};
    // fs/namespace.c: lock_mnt_tree() locks those flags on every mount a new mount
    // namespace of a user namespace copies; can_change_locked_flags() refuses.
    const unsigned long locked = err == EPERM && statvfs(target.c_str(), &st) == 0
                                     ? st.f_flag & kLockable & ~flags
                                     : 0;
    if (locked == 0)
        fail(step, "remount", target, err);
    if (locked & cleared) {
        step.fail(err);
        throw Error("remount " + target + ": the mount options turn off " + mountFlagNames(locked & cleared)
                        + ", which the host's mount has and the kernel keeps locked in a user namespace",
                    err);
    }
    if (::mount(nullptr, target.c_str(), nullptr, flags | locked, nullptr) < 0)
        fail(step, "remount", target, errno);
    step.result("locked in this user namespace, kept: " + mountFlagNames(locked));
}

Fd attachTmpfs(int targetFd, const std::string &what)
{
    // Safe: a new, empty tmpfs (nosuid, nodev) is attached to a directory of the
    // container's own state, inside the container's mount namespace.
    Scope step(Phase::Mounts, "fsmount tmpfs", what);
    Fd fs(static_cast<int>(syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC)));
    if (!fs)
        fail(step, "fsopen", "tmpfs", errno);
    if (syscall(SYS_fsconfig, fs.get(), FSCONFIG_SET_STRING, "mode", "755", 0) < 0)
        fail(step, "fsconfig mode=755", "tmpfs for " + what, errno);
    if (syscall(SYS_fsconfig, fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
        fail(step, "create", "tmpfs for " + what, errno);
    Fd mnt(static_cast<int>(syscall(SYS_fsmount, fs.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)));
    if (!mnt)
        fail(step, "fsmount", "tmpfs", errno);
    if (syscall(SYS_move_mount, mnt.get(), "", targetFd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        fail(step, "mount tmpfs on", what, errno);
    return mnt;
}

void pivotRoot(const std::string &rootfs)
{
    // Safe: in the container's private mount namespace; the old root is made a
    // slave (so its unmount cannot propagate to the host) and then detached.
    Scope step(Phase::PivotRoot, "pivot_root", rootfs);
    Fd oldroot(::open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    Fd newroot(::open(rootfs.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
    if (!oldroot || !newroot)
        fail(step, "open", rootfs, errno);
    // pivot_root(".", ".") stacks the old root on top of the new one; detaching it
    // then leaves only the new root (runc's trick: no temporary directory needed).
    if (fchdir(newroot.get()) < 0)
        fail(step, "chdir", rootfs, errno);
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        fail(step, "pivot_root", rootfs, errno);
    if (fchdir(oldroot.get()) < 0)
        fail(step, "chdir", "old root", errno);
    if (::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) < 0)
        fail(step, "make old root a slave", "/", errno);
    if (::umount2(".", MNT_DETACH) < 0)
        fail(step, "detach old root", "/", errno);
    if (::chdir("/") < 0)
        fail(step, "chdir", "/", errno);
}

void chroot(const std::string &rootfs)
{
    // Safe: chroot(2) only changes where "/" resolves for this process; the
    // host's mounts stay in this mount namespace, which is what the chroot lesson
    // shows can be escaped.
    Scope step(Phase::PivotRoot, "chroot", rootfs);
    if (::chdir(rootfs.c_str()) < 0 || ::chroot(".") < 0 || ::chdir("/") < 0)
        fail(step, "chroot", rootfs, errno);
}

void chrootFd(int dirFd, const std::string &what)
{
    // Safe: the directory is the running container's own root, opened through
    // /proc/<init>/root before this process joined its namespaces.
    Scope step(Phase::PivotRoot, "chroot", what);
    if (fchdir(dirFd) < 0 || ::chroot(".") < 0 || ::chdir("/") < 0)
        fail(step, "enter the container's root", what, errno);
}

void sethostname(const std::string &name)
{
    // Safe: only called in a UTS namespace of the container's own.
    Scope step(Phase::Namespaces, "sethostname", name);
    if (::sethostname(name.data(), name.size()) < 0)
        fail(step, "sethostname", name, errno);
}

void detachScratchMount(const std::string &target)
{
    // Safe: the init's own mount namespace, and a mount it made a moment ago only
    // to bind a part of it elsewhere; nothing of the host is below it.
    Scope step(Phase::Mounts, "umount2", target + " (MNT_DETACH)");
    if (umount2(target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
        fail(step, "umount", target, errno);
}

void writeSysctl(const std::string &key, const std::string &value)
{
    // Safe: written through the container's own /proc after the switch of root, and
    // only a namespaced key is accepted (net.*, kernel.msg*/sem/shm*, fs.mqueue.*),
    // so it changes the container's namespaces, never the host (runc's rule).
    Scope step(Phase::Namespaces, "write sysctl", key + "=" + value);
    const bool namespaced = key.rfind("net.", 0) == 0 || key.rfind("fs.mqueue.", 0) == 0
                            || key == "kernel.sem" || key.rfind("kernel.shm", 0) == 0
                            || key.rfind("kernel.msg", 0) == 0 || key == "kernel.hostname"
                            || key == "kernel.domainname";
    if (!namespaced || key.find("..") != std::string::npos || key.find('/') != std::string::npos) {
        step.fail(EPERM);
        throw Error("linux.sysctl " + key + ": not a namespaced sysctl, so it would change the host (refused, as runc does)");
    }
    std::string path = "/proc/sys/" + key;
    std::replace(path.begin() + 10, path.end(), '.', '/');
    try {
        hood::writeFile(path, value);
    } catch (const Error &e) {
        step.fail(e.code() ? e.code() : EIO);
        throw Error("linux.sysctl " + key + ": write " + path + ": " + errnoText(e.code()), e.code());
    }
}

void setOomScoreAdj(int value)
{
    // Safe: our own process (the container's init or exec'd command) before exec;
    // lowering it below the caller's needs CAP_SYS_RESOURCE, which the kernel checks.
    Scope step(Phase::Process, "write oom_score_adj", std::to_string(value));
    try {
        hood::writeFile("/proc/self/oom_score_adj", std::to_string(value));
    } catch (const Error &e) {
        step.fail(e.code() ? e.code() : EIO);
        throw Error::sys("write oom_score_adj", std::to_string(value), e.code());
    }
}

void bringUpLoopback()
{
    // Safe: the container's own, new network namespace; lo is the only device in it.
    Scope step(Phase::Namespaces, "netlink: link set up", "lo");
    try {
        hood::bringUpLoopback();
    } catch (const Error &e) {
        step.fail(e.code() ? e.code() : EIO);
        step.result(e.what());
        throw;
    }
}

bool detachMount(const std::string &target, std::string *why)
{
    // Safe: only targets Hood journaled before mounting them; UMOUNT_NOFOLLOW
    // keeps a symlink planted there from redirecting the unmount.
    if (::umount2(target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0 || errno == EINVAL
        || errno == ENOENT)
        return true; // EINVAL: not a mount point (any more)
    *why = "unmount " + target + ": " + errnoText(errno);
    return false;
}

namespace {
// Runs a step of core/net, recording its failure sentence in the trace.
template <class Fn>
void netStep(const char *op, std::string args, Fn &&fn)
{
    Scope step(Phase::Network, op, std::move(args));
    try {
        fn();
    } catch (const Error &e) {
        step.fail(e.code() ? e.code() : EIO);
        step.result(e.what());
        throw;
    }
}

void writeSysctl(const std::string &path, const char *value)
{
    std::string now;
    if (readFileNoThrow(path, now) >= 0 && now.rfind(value, 0) == 0)
        return; // already so: no write, no step
    netStep("sysctl", path + " = " + value, [&] { writeFile(path, value); });
}
} // namespace

void addBridge(const std::string &name, uint32_t gateway, int prefix)
{
    // Safe: the bridge is Hood's own (hood0, hood1, ...: names no other tool uses),
    // made in the monitor's namespace only when missing; route_localnet is set on
    // it alone, and forwarding is what routing the containers' traffic needs (the
    // `inet hood` forward chain keeps networks apart). Tests run in a netns of their own.
    netStep("ip link add type bridge", name, [&] { net::addBridge(name); });
    netStep("ip addr add", net::formatIpv4(gateway) + "/" + std::to_string(prefix) + " dev " + name,
            [&] { net::addAddress(name, gateway, prefix); });
    writeSysctl("/proc/sys/net/ipv4/conf/" + name + "/route_localnet", "1");
    writeSysctl("/proc/sys/net/ipv4/ip_forward", "1");
}

void addVeth(const std::string &host, pid_t pid, const std::string &mac, const std::string &bridge)
{
    // Safe: the name was journaled first; the peer is created directly inside the
    // namespace of our own child (by pid, which cannot be reused while it is our
    // unreaped child), and the host end joins Hood's own bridge.
    netStep("ip link add type veth", host + " peer eth0 netns " + std::to_string(pid) + " address " + mac
                                         + " master " + bridge,
            [&] { net::addVeth(host, "eth0", pid, mac, bridge); });
}

void deleteLink(const std::string &name)
{
    // Safe: only names from a container's journal or Hood's own bridges reach here.
    netStep("ip link del", name, [&] { net::deleteLink(name); });
}

void deleteLinkDetached(const std::string &name)
{
    // Safe: as deleteLink; the deleter is a fork of this process that does only that.
    // The link is going anyway: its peer's namespace dies with the container, and the
    // kernel removes both ends then; deleting it ourselves covers a namespace that
    // something still holds open.
    netStep("ip link del (detached)", name, [&] { net::deleteLinkDetached(name); });
}

void nft(const std::string &what, const std::string &commands)
{
    // Safe: every command names the table `inet hood`, which only Hood uses.
    netStep("nft", what, [&] { net::nftRun(commands); });
}

void configureEth0(uint32_t address, int prefix, uint32_t gateway)
{
    // Safe: the container's own network namespace, whose eth0 the monitor made.
    netStep("ip addr add", net::formatIpv4(address) + "/" + std::to_string(prefix) + " dev eth0",
            [&] { net::addAddress("eth0", address, prefix); });
    netStep("ip link set up", "eth0", [&] { net::setLinkUp("eth0"); });
    netStep("ip route add default", "via " + net::formatIpv4(gateway), [&] { net::addDefaultRoute(gateway); });
}

net::Slirp startSlirp4netns(const std::string &exe, pid_t pid, const std::string &logPath)
{
    // Safe: slirp4netns runs as the monitor's own user with no capability on the
    // host; it joins only the user and network namespaces of our own unreaped child
    // (so the pid cannot be another process), makes its tap there, and never reaches
    // the host's 127.0.0.1 (--disable-host-loopback, as podman does).
    net::Slirp s;
    netStep("slirp4netns", std::to_string(pid) + " " + net::kSlirpTap + " (10.0.2.100/24 via 10.0.2.2)",
            [&] { s = net::startSlirp4netns(exe, pid, logPath); });
    return s;
}

} // namespace hood::priv
