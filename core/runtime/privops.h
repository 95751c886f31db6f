// Every privileged operation of the engine, in one place, each a named function
// that begins with why it is safe (bubblewrap's privileged_op is the model): the
// mounts, pivot_root and chroot, setns and unshare, clone3, the id-map writes,
// cgroup writes, and the one netlink change. Nothing else in core/runtime calls
// these system calls directly.
//
// Each call is also a step of the start-up trace (trace.h): its name, arguments,
// result and duration, which `hoodctl run --trace` and the GUI's Start-up page show.
// Failures throw hood::Error with the operation and the path, and errno.
#pragma once

#include "net/slirp.h"
#include "spec/namespaces.h"
#include "sys/fd.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace hood::priv {

// ---- in the monitor -------------------------------------------------------

// clone3 with the container's CLONE_NEW* flags; into the v2 cgroup open at
// cgroupFd when it is >= 0. Returns 0 in the child, the child's pid in the parent.
// *placedInCgroup says whether CLONE_INTO_CGROUP took effect.
pid_t cloneInit(uint64_t flags, int cgroupFd, bool *placedInCgroup);
// setns(CLONE_NEWPID) in the monitor: only its future children enter that namespace.
void joinPidNamespaceForChildren(const std::string &path);
// /proc/<pid>/setgroups (when denySetgroups), uid_map and gid_map of the init.
void writeIdMaps(pid_t pid, const std::string &uidMap, const std::string &gidMap, bool denySetgroups);
// fchown of <state>/exec.fifo (open at fd) to the host ids of the container's root,
// so that an init mapped to another uid may open it for writing (runc does the same).
void giveExecFifo(int fd, const std::string &path, uid_t uid, gid_t gid);

// ---- cgroups (monitor, exec, gc) ------------------------------------------

// Writes a value to a control file of one of Hood's own cgroups.
void writeCgroupFile(const std::string &path, std::string_view value);
// mkdir 0755 / rmdir of a cgroup directory; return 0 or -1 with errno set (the
// callers retry EEXIST, ENOENT and EBUSY races with other containers).
int makeCgroupDir(const std::string &path);
int removeCgroupDir(const std::string &path);
// "0" to an open cgroup.procs or tasks: moves the writing process itself.
void joinCgroup(int procsFd, const std::string &path);

// ---- in the container's init and the exec helper ---------------------------

// setresuid/setresgid(0) right after the monitor mapped this user namespace.
void becomeRootInUserNamespace();
void setns(int fd, NsKind kind, const std::string &path);
void unshareCgroupNamespace();
void makeMountsPrivate();
void mount(const std::string &source, const std::string &target, const char *type,
           unsigned long flags, const std::string &data);
// MS_BIND|MS_REMOUNT with flags on the mount at target. In a user namespace the
// kernel refuses (EPERM) a remount that would clear a nosuid, nodev, noexec or ro
// the mount brought from the host; then, as runc does, the mount's own ones of
// those are kept and the remount tried again, unless `cleared` (what the spec's
// options explicitly turn off: suid, dev, exec, rw) names one of them.
void remountBind(const std::string &target, unsigned long flags, unsigned long cleared);
// A fresh tmpfs (fsopen/fsconfig/fsmount) moved onto the directory open at
// targetFd; returns the mount's root, usable without walking any path to it.
Fd attachTmpfs(int targetFd, const std::string &what);
void pivotRoot(const std::string &rootfs);
void chroot(const std::string &rootfs);
// chroot to a directory opened earlier (by the exec helper, before setns).
void chrootFd(int dirFd, const std::string &what);
void sethostname(const std::string &name);
// umount2(MNT_DETACH) of a scratch mount the init made in its own mount namespace.
void detachScratchMount(const std::string &target);
// linux.sysctl: one /proc/sys file of the container (after the switch of root).
void writeSysctl(const std::string &key, const std::string &value);
// process.oomScoreAdj, for this process and what it execs.
void setOomScoreAdj(int value);
// The netlink change of a new network namespace: its loopback device up.
void bringUpLoopback();

// ---- networking (monitor, init, gc; see core/net) ------------------------

// The bridge of a network: made and up, its gateway address, route_localnet on it
// (published ports reachable at 127.0.0.1) and IPv4 forwarding on.
void addBridge(const std::string &name, uint32_t gateway, int prefix);
// The veth pair: host end on the bridge, peer born in the namespace of pid as eth0.
void addVeth(const std::string &host, pid_t pid, const std::string &mac, const std::string &bridge);
// ip link del of a link Hood made (a veth's host end, an unused bridge).
void deleteLink(const std::string &name);
// The same in a detached process (net::deleteLinkDetached): a veth's host end at a
// container's end, whose grace period nobody needs to wait for.
void deleteLinkDetached(const std::string &name);
// nft commands on Hood's own table `inet hood`; what names them for the trace.
void nft(const std::string &what, const std::string &commands);
// In the container's init: eth0's address, up, and the default route.
void configureEth0(uint32_t address, int prefix, uint32_t gateway);
// Rootless: slirp4netns (exe) gives the namespace of pid a tap0 and a user-mode
// stack; it lives until the returned exit fd closes. Its stderr goes to logPath.
net::Slirp startSlirp4netns(const std::string &exe, pid_t pid, const std::string &logPath);

// ---- gc and cleanup -------------------------------------------------------

// umount2(MNT_DETACH | UMOUNT_NOFOLLOW) of a mount Hood journaled. A target that
// is no mount point (any more) counts as done. Returns false with *why on failure.
bool detachMount(const std::string &target, std::string *why);

// "MS_BIND|MS_REC|MS_RDONLY": mount flags as a person reads them (for the trace).
std::string mountFlagNames(unsigned long flags);

} // namespace hood::priv
