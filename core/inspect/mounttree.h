// The mount table of a process as a tree, like `findmnt -N PID`: parsed from
// /proc/PID/mountinfo by libmount, linked through the parent ids, with the
// propagation state of every mount, and compared with the host's table to show
// what a container runtime added (the overlay root, /proc, a tmpfs /dev, ...).
//
// The parser takes bytes, so unit tests feed it fixture files; the kernel's
// format is proc(5) "/proc/pid/mountinfo":
//   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//   id parent major:minor root target vfs-options optional... - fstype source fs-options
#pragma once

#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood::inspect {

// Mount propagation (mount_namespaces(7)), from mountinfo's optional fields.
struct Propagation {
    int sharedGroup = 0;     // "shared:N": mount events spread among peer group N
    int masterGroup = 0;     // "master:N": a slave receiving events from peer group N
    int propagateFrom = 0;   // "propagate_from:N": nearest dominant group visible here
    bool unbindable = false; // "unbindable": cannot be the source of a bind mount

    bool isShared() const { return sharedGroup != 0; }
    bool isSlave() const { return masterGroup != 0; }
};

// findmnt's PROPAGATION column: "shared", "private", "private,slave",
// "shared,slave", with ",unbindable" appended when set.
std::string propagationName(const Propagation &propagation);

struct MountEntry {
    int id = 0;
    int parentId = 0;
    unsigned devMajor = 0;
    unsigned devMinor = 0;
    std::string root;   // the directory of the filesystem mounted here ("/" unless a bind)
    std::string target; // mount point, relative to the process's root
    std::string source; // "/dev/vda", "overlay", "proc", ...
    std::string fstype;
    std::string vfsOptions;     // per mount point: rw, nosuid, relatime, ...
    std::string fsOptions;      // per superblock: lowerdir=..., size=..., mode=...
    std::string options;        // both, as findmnt's OPTIONS column joins them
    std::string optionalFields; // raw, e.g. "shared:1 master:2"
    Propagation propagation;

    int parent = -1;           // index in MountTree::mounts; -1 for a root
    std::vector<int> children; // indexes, in mountinfo order
};

// findmnt's SOURCE column: the source, plus "[root]" for a bind mount of a
// subdirectory, e.g. "/dev/vda[/etc]".
std::string findmntSource(const MountEntry &mount);

struct MountTree {
    std::vector<MountEntry> mounts; // in mountinfo order
    std::vector<int> roots;         // mounts whose parent is not in the table

    const MountEntry *byId(int id) const;
};

// Parses mountinfo text through libmount. `origin` names the text in errors
// ("/proc/42/mountinfo"). Throws hood::Error for text that is not mountinfo.
MountTree parseMountInfo(std::string_view text, const std::string &origin = "mountinfo");

// parseMountInfo of <procRoot>/<pid>/mountinfo. Throws hood::Error.
MountTree readMountTree(pid_t pid, const std::string &procRoot = "/proc");

// What a mount namespace changed compared with another (normally the host's,
// pid 1). Mounts match by (target, fstype, source) and also by device and root:
// without the device a container's fresh /proc ("proc" on /proc) would match the
// host's /proc although it is a different instance for a different pid
// namespace, and without the root a bind of another directory onto the same
// place would pass for the host's mount. A key present twice on one side and
// once on the other counts once as changed.
struct MountDiff {
    std::vector<int> added;   // indexes into the inspected tree: not in the host's
    std::vector<int> removed; // indexes into the host's tree: not visible here
};

MountDiff diffMounts(const MountTree &tree, const MountTree &host);

} // namespace hood::inspect
