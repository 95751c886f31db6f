// Turning a prepared process into the user's command: rlimits, the executable's
// path, capabilities and user, and exec. Shared by the container's init and by
// `hoodctl exec`, so both give the command exactly what the spec says.
#pragma once

#include "error.h"
#include "spec/spec.h"

#include <functional>
#include <string>
#include <sys/types.h>

namespace hood {

using WarnFn = std::function<void(const std::string &)>;

void applyRlimits(const std::vector<Rlimit> &rlimits);

// Like execvp's search (PATH from the process's env), done before exec so that a
// missing command is reported while someone is still listening:
//   "exec /nope: no such file or directory"
//   "exec nope: executable file not found in $PATH"
std::string findExecutable(const Process &p);

// Bounding set, then groups/gid/uid keeping capabilities, then the exact
// effective/permitted/inheritable/ambient sets of the spec.
void switchUser(const Process &p, bool setgroupsDenied, const WarnFn &warn);

// PR_SET_PDEATHSIG(SIGKILL), set last because credential changes clear it; exits
// at once if the parent is already gone.
void dieWithParent(pid_t parent);

[[noreturn]] void execProcess(const Process &p, const std::string &path);

// Marks every fd from 3 + keep on close-on-exec (close_range, else one by one).
void closeOnExecAbove(int keep);

// chdir(cwd), then refuses a directory outside the process's root (the
// /proc/self/fd/N trick of CVE-2024-21626):
//   "chdir to cwd /proc/self/fd/7: the directory lies outside the container's root"
void changeToCwd(const std::string &cwd);

// A namespace to join: an open fd of /proc/PID/ns/<kind> or of a spec's path.
struct NamespaceFd {
    NsKind kind;
    int fd;
    std::string path; // for messages and the trace
};
// The one namespace-joining function (init and exec): the user namespace first,
// since joining the others needs privileges in their owner, then the rest in
// the order given.
void joinNamespaces(const std::vector<NamespaceFd> &namespaces);

// What differs between the container's init and `hoodctl exec` at the end.
struct FinishSteps {
    bool setgroupsDenied = false;
    WarnFn warn;                            // capability warnings
    std::function<void()> beforeUserSwitch; // the init waits for `start` here
    std::function<void()> dieWithParent;    // set last: credential changes clear it
    std::function<void()> beforeExec;       // the init sends its start-up steps
    const Seccomp *seccomp = nullptr;       // linux.seccomp; null: no filter
    const std::string *seccompProgram = nullptr; // its compiled program (seccompfilter.h); null: compiled here
    int preserveFds = 0;                    // fds 3..3+N-1 reach the command (runc --preserve-fds)
};

// Thrown by finishProcess: where it failed decides the exit class of exec
// (126: found but cannot run, 127: not found).
class FinishError : public Error {
public:
    enum class Stage { Setup, Find, Exec };
    FinishError(const Error &e, Stage stage) : Error(e.what(), e.code()), m_stage(stage) {}
    Stage stage() const { return m_stage; }

private:
    Stage m_stage;
};

// The one process-finishing sequence of every process Hood starts in a container
// (the init and `hoodctl exec`), in this order:
//   close-on-exec above stdio -> rlimits -> cwd (checked inside the root) -> find the executable -> [beforeUserSwitch] -> capabilities
//   and user -> no_new_privs -> seccomp -> dieWithParent -> [beforeExec] -> exec
// (without no_new_privs, seccomp comes before the user switch: see finishProcess).
[[noreturn]] void finishProcess(const Process &p, const FinishSteps &steps);

} // namespace hood
