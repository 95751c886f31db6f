// What the monitor hands to the container's init process, and the init itself.
#pragma once

#include "net/attachment.h"
#include "spec/spec.h"

#include <string>
#include <vector>

namespace hood {

enum class StdioMode {
    Inherit,  // the container writes where hoodctl writes (foreground run)
    Log,      // stdout and stderr to <state>/container.log, stdin from /dev/null
    Terminal, // a pty made inside the container; the master goes to the monitor
};

// The rootfs provider's answer: which directories make the container's root.
// A bundle's root.path is one lower and no upper (bind-mounted as it is); the
// built-in image is one lower with a scratch upper; an image of the store is its
// layers, top first, with a scratch or persistent upper.
struct RootfsLayers {
    enum class Upper {
        None,       // the single lower itself, writes go to it (runc's way with a bundle)
        Scratch,    // a tmpfs upper layer, dropped with the container
        Persistent, // upperDir and workDir on disk (journaled; kept until delete)
    };
    std::vector<std::string> lowers; // absolute host paths, top first
    Upper upper = Upper::None;
    std::string upperDir, workDir;   // Persistent only
    // Rootless: overlayfs keeps its metadata in user.overlay.* (opaque directories,
    // as the store's unprivileged extraction wrote them) instead of trusted.*,
    // which a user namespace cannot read or write (Linux 5.11, `userxattr`).
    bool userXattr = false;
    bool overlay() const { return upper != Upper::None; }
};

struct LaunchConfig {
    std::string id;
    std::string stateDir;
    std::string bundle;            // for the hooks' state (empty: none given)
    Spec spec;                     // validated
    RootfsLayers layers;           // what the root filesystem is made of
    bool useChroot = false;        // chroot(2) instead of pivot_root(2), for the lesson
    bool waitForStart = false;     // `create`: block on exec.fifo until `start`
    // exec.fifo opened (O_PATH) by the monitor: an init mapped to a uid that cannot
    // walk the state directory still reaches it (uid/gid maps whose root is not root).
    int execFifoFd = -1;
    // runc mode (create with a bundle, as podman and Docker call it): no monitor.
    // The caller of `create` clones the init and exits; the init re-parents to the
    // caller's subreaper (conmon, containerd-shim), which reaps it. docs/runtime-modes.md
    bool direct = false;
    int preserveFds = 0;           // fds 3..3+N-1 of the caller reach the command (--preserve-fds)
    StdioMode stdio = StdioMode::Inherit;
    bool detached = false;         // output goes to <state>/container.log
    int logFd = -1;                // the monitor's container.log (it owns the fd), detached only
    bool userNamespace = false;    // uid/gid maps written by the monitor
    bool setgroupsDenied = false;  // rootless: setgroups(2) is not allowed
    bool useCgroup = true;         // false: rootless without a writable cgroup
    std::string cgroupBase;        // rootless: the delegated v2 subtree (CgroupOptions::base)
    std::vector<std::string> cgroupSelfJoin; // v1 "tasks" files the init writes 0 to
    // Hood's networking (hoodctl run's --network); nullopt: the spec's namespaces only
    // (bundles, --spec). The attachment is filled by the monitor before clone, so
    // that the init finds its address in its copy of this config.
    std::optional<net::NetworkOptions> network;
    net::Attachment attachment;
    bool networkFiles = false; // bind <state>/hosts, hostname, resolv.conf onto /etc
    std::string seccompProgram;    // spec.seccomp compiled before clone (seccompfilter.h)
    int monitorSock = -1;          // the monitor's end of the socket: the init closes its copy at once
};

// Messages on the monitor <-> init socket (SOCK_SEQPACKET, one message per send).
// The init's end is close-on-exec, so end-of-file means "exec succeeded".
namespace msg {
constexpr char Go = 'G';      // monitor -> init: maps and cgroup are in place (+ scratch dir fd)
constexpr char Lower = 'L';   // monitor -> init, before Go: one lower layer's dir (fd), in order, user ns only
constexpr char Ready = 'R';   // init -> monitor: set up, waiting for `start`
constexpr char Error = 'E';   // init -> monitor: one sentence follows
constexpr char Warning = 'W'; // init -> monitor: one sentence follows
constexpr char Console = 'T'; // init -> monitor: pty master attached (SCM_RIGHTS)
constexpr char Hooks = 'H';     // init -> monitor: mounts made, run prestart and createRuntime hooks
constexpr char HooksDone = 'D'; // monitor -> init: they ran; go on to switch root
constexpr char Trace = 'S';   // init -> monitor, just before exec: the init's start-up steps (JSON)
} // namespace msg

// Runs in the cloned child; never returns (execs the user's command or _exits).
[[noreturn]] void containerInit(const LaunchConfig &config, int sock);

} // namespace hood
