// What the monitor hands to the container's init process, and the init itself.
#pragma once

#include "spec/spec.h"

#include <string>
#include <vector>

namespace hood {

enum class StdioMode {
    Inherit,  // the container writes where hoodctl writes (foreground run)
    Log,      // stdout and stderr to <state>/container.log, stdin from /dev/null
    Terminal, // a pty made inside the container; the master goes to the monitor
};

struct LaunchConfig {
    std::string id;
    std::string stateDir;
    Spec spec;                     // validated
    std::string rootfs;            // absolute host path (the lower layer when ephemeral)
    bool ephemeralOverlay = false; // writes go to a tmpfs overlay, dropped on exit
    bool useChroot = false;        // chroot(2) instead of pivot_root(2), for the lesson
    bool waitForStart = false;     // `create`: block on exec.fifo until `start`
    StdioMode stdio = StdioMode::Inherit;
    bool detached = false;         // output goes to <state>/container.log
    int logFd = -1;                // opened by the monitor when detached
    bool userNamespace = false;    // uid/gid maps written by the monitor
    bool setgroupsDenied = false;  // rootless: setgroups(2) is not allowed
    bool useCgroup = true;         // false: rootless without a writable cgroup
    std::string cgroupBase;        // rootless: the delegated v2 subtree (CgroupOptions::base)
    std::vector<std::string> cgroupSelfJoin; // v1 "tasks" files the init writes 0 to
};

// Messages on the monitor <-> init socket (SOCK_SEQPACKET, one message per send).
// The init's end is close-on-exec, so end-of-file means "exec succeeded".
namespace msg {
constexpr char Go = 'G';      // monitor -> init: maps and cgroup are in place (+ scratch dir fd)
constexpr char Lower = 'L';   // monitor -> init, before Go: the image's root dir (fd), user ns only
constexpr char Ready = 'R';   // init -> monitor: set up, waiting for `start`
constexpr char Error = 'E';   // init -> monitor: one sentence follows
constexpr char Warning = 'W'; // init -> monitor: one sentence follows
constexpr char Console = 'T'; // init -> monitor: pty master attached (SCM_RIGHTS)
} // namespace msg

// Runs in the cloned child; never returns (execs the user's command or _exits).
[[noreturn]] void containerInit(const LaunchConfig &config, int sock);

} // namespace hood
