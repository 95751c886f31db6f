// The processes of a container as a tree, like `ps -ef --forest` run both on the
// host and inside: each process has its host pid and its pid inside the
// container's pid namespace (the last field of "NSpid:" in /proc/PID/status).
//
// The sets come from /proc: every pid whose /proc/PID/cgroup places it under a
// cgroup, or the descendants of one pid through /proc/PID/task/TID/children.
// Processes exit while they are read; such pids are skipped, never an error.
#pragma once

#include "cgroups/cgroup_paths.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood::inspect {

// The lines of /proc/PID/status that the views use (proc(5)).
struct ProcStatus {
    std::string name;      // "Name:", the comm (15 characters at most)
    char state = '?';      // "State:" letter: R, S, D, T, t, Z, X, I
    std::string stateText; // "sleeping", ...
    pid_t tgid = 0;
    pid_t pid = 0;
    pid_t ppid = 0;            // 0 when the parent is outside this pid namespace
    std::vector<pid_t> nsPids; // "NSpid:" from the reader's pid namespace inwards
    uid_t uid = 0;             // real uid (first field of "Uid:")
    uid_t euid = 0;
    int threads = 0;
    uint64_t rssKiB = 0; // "VmRSS:"; 0 for kernel threads
    // Times the scheduler took the CPU from it: it waited (voluntary: it slept, on
    // I/O or a lock) or it was preempted (nonvoluntary: its time slice was up).
    uint64_t voluntarySwitches = 0;    // "voluntary_ctxt_switches:"
    uint64_t nonvoluntarySwitches = 0; // "nonvoluntary_ctxt_switches:"

    // The pid in the innermost pid namespace (the container's view).
    pid_t innermostPid() const { return nsPids.empty() ? pid : nsPids.back(); }
};

// Pure. Unknown lines are ignored; throws hood::Error when "Pid:" is missing,
// since then the text is not a status file.
ProcStatus parseStatus(std::string_view text);

// Pure: /proc/PID/cmdline is the argv strings, each ending in NUL. Empty for
// kernel threads and zombies.
std::vector<std::string> parseCmdline(std::string_view bytes);

// /proc/PID/cgroup is read by core/cgroups (cgroup_paths.h); the names stay here
// for the inspector's callers.
using CgroupLine = hood::ProcCgroupLine;
using hood::parseProcCgroup;

// True when `path` is `cgroupPath` or below it ("/hood/a" is under "/hood").
bool isUnderCgroup(std::string_view path, std::string_view cgroupPath);

struct ProcessInfo {
    pid_t pid = 0;   // host pid (as seen from the inspecting process)
    pid_t nsPid = 0; // pid inside the innermost pid namespace
    pid_t ppid = 0;
    std::string name;
    std::vector<std::string> args;
    char state = '?';
    std::string stateText;
    int threads = 0;
    uid_t uid = 0;
    uint64_t rssKiB = 0;

    int parent = -1;           // index in ProcessTree::processes; -1 for a root
    std::vector<int> children; // indexes, by ascending pid

    // The command line as ps shows it: args joined by spaces, "[name]" when empty.
    std::string commandLine() const;
};

struct ProcessTree {
    std::vector<ProcessInfo> processes; // by ascending host pid
    std::vector<int> roots;             // processes whose parent is not in the set

    const ProcessInfo *byPid(pid_t pid) const;
};

// status + cmdline of one process; nullopt when it has gone.
std::optional<ProcessInfo> readProcess(pid_t pid, const std::string &procRoot = "/proc");

// Every listed process (vanished ones skipped), linked by ppid.
ProcessTree buildProcessTree(const std::vector<pid_t> &pids, const std::string &procRoot = "/proc");

// Pids whose /proc/PID/cgroup puts them at or under cgroupPath in the hierarchy
// holding `controller` ("memory", "pids", ...); an empty controller means the
// cgroup v2 line ("0::/path").
std::vector<pid_t> pidsInCgroup(std::string_view controller, std::string_view cgroupPath,
                                const std::string &procRoot = "/proc");

// The children of pid: /proc/PID/task/*/children where the kernel has it
// (CONFIG_PROC_CHILDREN), otherwise a scan of every process's ppid.
std::vector<pid_t> childrenOf(pid_t pid, const std::string &procRoot = "/proc");

// pid and all its descendants, ascending; empty when pid has gone.
std::vector<pid_t> descendantsOf(pid_t pid, const std::string &procRoot = "/proc");

} // namespace hood::inspect
