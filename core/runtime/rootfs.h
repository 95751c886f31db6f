// Building the container's root filesystem inside its own mount namespace:
// the spec's mounts, /dev, masked and read-only paths, and the switch of root.
// All of it runs in the container's init before exec, as root of its namespaces.
#pragma once

#include "launch.h"
#include "spec/spec.h"
#include "sys/fd.h"

#include <string>
#include <vector>

namespace hood {

// The host path of `path` interpreted inside `root`, following symlinks as the
// container would see them (absolute links restart at root). Throws hood::Error
// when a ".." or a relative link climbs out of root:
//   "mount destination /x resolves outside the rootfs (through /x -> ../../etc)"
std::string resolveInRoot(const std::string &root, const std::string &path,
                          const std::string &what = "path");

// Throws when <root>/proc, /dev or /sys is a symlink: the kernel would mount over
// wherever it points, a known escape route.
void refuseSymlinkedSystemDirs(const std::string &root);

// A mount destination under /proc or /sys (inside the rootfs at root) must not
// pass through a symbolic link: procfs has links such as
// /proc/self that point anywhere, and a link swapped in during setup can send a
// mount onto the host (CVE-2019-16884, CVE-2021-30465). Resolved with
// openat2(RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS) where the kernel has it.
// Throws hood::Error with one sentence naming the destination.
void refuseSymlinkUnderProcSys(const std::string &root, const std::string &destination);

struct MountFlags {
    unsigned long flags = 0;        // MS_* for mount(2)
    unsigned long cleared = 0;      // MS_* an option turns off explicitly (rw, suid, dev, exec, ...)
    unsigned long propagation = 0;  // MS_PRIVATE / MS_SLAVE / ... (+ MS_REC)
    std::string data;               // filesystem options (mode=755, size=...)
    bool bind = false;
    bool tmpcopyup = false;         // runc's extension: a tmpfs starts with what it covers
};
// Pure: OCI mount options -> mount(2) flags and data.
MountFlags parseMountOptions(const std::vector<std::string> &options);

// Makes "/" private recursively, so nothing mounted here shows on the host.
void makeMountsPrivate();
// The overlay of layers.lowers (top first) with a writable layer on top: a tmpfs
// attached to the directory open at scratchFd (Scratch, dropped on exit), or the
// monitor's upperDir/workDir (Persistent, mounted on scratchPath). Returns the
// merged path (through /proc/self/fd when this process cannot walk to it).
// lowerFds[i] (or -1) is lowers[i] opened by the monitor, for when this process
// cannot walk to it itself (a user namespace mapped to another uid).
// The merged path may name the scratch tmpfs through /proc/self/fd: keep `root`
// (close-on-exec) open until the switch of root is done.
// The overlay mount's data: "lowerdir=A:B,upperdir=U,workdir=W[,userxattr]".
std::string overlayOptions(const std::string &lowerdir, const std::string &upper, const std::string &work,
                           bool userXattr);
struct MergedRoot {
    std::string path;
    Fd root;
};
MergedRoot mountOverlay(const RootfsLayers &layers, const std::vector<int> &lowerFds, int scratchFd,
                        const std::string &scratchPath);
// Bind-mounts rootfs onto itself, so pivot_root gets a mount point.
void bindRootfs(const std::string &rootfs);

// Messages that are not errors (a mount that had to be replaced by a bind, ...).
using MountWarnFn = void (*)(const std::string &sentence, void *ctx);

void mountSpecMounts(const std::string &rootfs, const std::vector<Mount> &mounts, MountWarnFn warn,
                     void *ctx);
// Bind-mounts the host's null, zero, full, random, urandom and tty into rootfs/dev
// and adds the usual symlinks (fd, stdin, stdout, stderr, ptmx).
void populateDev(const std::string &rootfs);

void pivotInto(const std::string &rootfs);
void chrootInto(const std::string &rootfs);

// After the switch: paths are inside the container.
void maskPaths(const std::vector<std::string> &paths);
void readonlyPaths(const std::vector<std::string> &paths);
void remountRootReadonly();

} // namespace hood
