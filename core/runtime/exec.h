// `hoodctl exec`: a new process inside a running container, like `nsenter` or
// `docker exec`. It gets the container's namespaces (setns), cgroups and root,
// and the process settings of the container's config.json (env, cwd, rlimits,
// user, capabilities, no_new_privs), with the caller's additions.
//
// Three processes take part (runc's `runc exec` has the same shape):
//   caller        reads the state, opens /proc/PID/ns/* and /proc/PID/root, waits,
//                 relays the terminal, forwards signals
//   helper        forked; setns into every namespace that differs (user first),
//                 chroot into the container's root; stays in the host's pid
//                 namespace and cgroup, and waits for the command
//   command       forked by the helper, so it is born in the container's pid
//                 namespace (setns on a pid namespace applies to children only);
//                 joins the cgroups and the cgroup namespace, then execs
// The helper dies with the caller and the command with the helper
// (PR_SET_PDEATHSIG), so a SIGKILLed hoodctl leaves nothing running inside.
//
// Call this from a single-threaded process (hoodctl): the helper runs ordinary
// C++ after fork(). The GUI runs `hoodctl exec` instead of calling it.
#pragma once

#include "sys/fd.h"

#include "error.h"

#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace hood {

struct ExecRequest {
    std::vector<std::string> args;
    std::vector<std::string> env; // "K=V" added to config.json's (same key: replaced)
    std::string cwd;              // absolute; empty: config.json's cwd
    bool terminal = false;        // a pty from the container's own devpts instance
    // runc's exec --process FILE: the whole process JSON (args, env, cwd, user,
    // capabilities, rlimits, terminal), instead of config.json's with additions.
    std::string processJson;
    bool detach = false;          // the command outlives us, re-parented to our caller's subreaper
    int preserveFds = 0;          // fds 3..3+N-1 reach the command
};

// Why an exec did not run, and the exit status hoodctl gives for it. The same
// split as `docker run` and POSIX shells, so a script can tell "your command is
// wrong" from "Hood could not do it":
//   1    no such container (`docker exec`'s and runc's other verbs' status for an unknown ID)
//   125  the engine: not running, setns/chroot failed, ...
//   126  the command exists but cannot be run ("exec /etc/passwd: permission denied")
//   127  the command does not exist ("exec nope: executable file not found in $PATH")
class ExecError : public Error {
public:
    ExecError(const std::string &sentence, int status) : Error(sentence), m_status(status) {}
    int status() const noexcept { return m_status; }

private:
    int m_status;
};

constexpr int kExecNoSuchContainer = 1;
constexpr int kExecEngineError = 125;
constexpr int kExecCannotRun = 126;
constexpr int kExecNotFound = 127;

// A started exec. Owns the helper (our child) and pidfds of helper and command.
class ExecProcess {
public:
    // Starts request inside the container whose state directory is stateDir;
    // returns once the command has been exec'd. Throws ExecError.
    ExecProcess(const std::string &stateDir, const ExecRequest &request);
    ~ExecProcess(); // SIGKILLs and reaps what is still running
    ExecProcess(const ExecProcess &) = delete;
    ExecProcess &operator=(const ExecProcess &) = delete;

    pid_t pid() const { return m_pid; }          // the command, as the host sees it
    int console() const { return m_console.get(); }    // the pty master (-1 without terminal)
    int exitFd() const { return m_helperPidfd.get(); } // readable (poll) once the command ended
    void signal(int sig) const;                  // to the command; ignored once it ended
    // Blocks until the command has ended; its status as a shell gives it (128+N
    // for signal N).
    int wait();
    // runc's exec --detach: lets the command go on without us (the helper has
    // already left it to our caller's subreaper); the destructor kills nothing.
    void detach();
    // Sentences the command's setup reported without failing (ambient
    // capabilities it could not raise).
    const std::vector<std::string> &warnings() const { return m_warnings; }

private:
    void release() noexcept;

    pid_t m_helper = -1;
    Fd m_helperPidfd;
    pid_t m_pid = -1;
    Fd m_pidfd;
    Fd m_console;
    int m_status = -1;
    std::vector<std::string> m_warnings;
};

// Foreground exec, as `hoodctl exec` runs it: stdio is the caller's (with
// terminal, the caller's terminal in raw mode relayed to the pty), SIGINT,
// SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2 are passed on, and the command's exit
// status is returned. Throws ExecError.
int execInContainer(const std::string &stateDir, const ExecRequest &request,
                    const std::function<void(const std::string &)> &warn = {});

} // namespace hood
