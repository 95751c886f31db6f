#include "exec.h"
#include "terminal.h"

#include "channel.h"
#include "process.h"
#include "procfs.h"
#include "spec/spec.h"
#include "privops.h"
#include "seccompfilter.h"
#include "state.h"
#include "trace.h"
#include "sys/fd.h"
#include "sys/fileio.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/close_range.h>
#include <fstream>
#include <poll.h>
#include <sched.h>
#include <sstream>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace hood {

namespace {

// Messages from helper and command to the caller (SOCK_SEQPACKET). The
// command's end is close-on-exec, so end-of-file means "exec'd".
constexpr char kMsgPid = 'P';     // helper: the command's host pid
constexpr char kMsgConsole = 'T'; // command: pty master attached (SCM_RIGHTS)
constexpr char kMsgWarning = 'W'; // one sentence
constexpr char kMsgError = 'E';   // a status byte, then one sentence

// What the caller opens from the host's point of view before forking: after
// setns the host's /proc and /sys/fs/cgroup are out of sight.
struct Target {
    std::string id;
    ContainerState state;
    Process process;
    std::optional<Seccomp> seccomp; // the container's filter: an exec gets it too, as in runc
    std::string seccompProgram;     // compiled before fork, through the state root's cache
    std::vector<std::pair<NsKind, Fd>> namespaces; // differing kinds, user first
    Fd cgroupNamespace;                            // joined by the command
    Fd root;
    std::vector<std::pair<std::string, Fd>> cgroupProcs;
    bool setgroupsDenied = false;
    bool detach = false;
    int preserveFds = 0;
};

ExecError engineError(const std::string &sentence)
{
    return ExecError(sentence, kExecEngineError);
}

std::string readText(const std::string &path)
{
    try {
        return readFile(path);
    } catch (const Error &e) {
        throw engineError(e.what());
    }
}

ContainerState runningState(const std::string &stateDir, const std::string &id)
{
    struct stat st {};
    if (stat(stateDir.c_str(), &st) < 0)
        throw ExecError("container \"" + id + "\" does not exist", kExecNoSuchContainer);
    ContainerState state = loadState(stateDir);
    Status status = currentStatus(stateDir, state);
    if (status != Status::Running)
        throw engineError("container \"" + id + "\" is not running (it is " + statusName(status)
                          + "): exec needs a running container");
    return state;
}

void setEnv(std::vector<std::string> &env, const std::string &entry)
{
    std::string key = entry.substr(0, entry.find('=')) + "=";
    std::erase_if(env, [&](const std::string &e) { return e.rfind(key, 0) == 0; });
    env.push_back(entry);
}

// config.json's process, with the request's command, env and cwd.
Process execProcessSettings(const Spec &spec, const ExecRequest &r)
{
    if (!r.processJson.empty()) {
        // The process object alone, read by the spec's own rules inside a minimal spec.
        std::string text = R"({"ociVersion":"1.0.2","root":{"path":"/"},"process":)" + r.processJson + "}";
        try {
            return parseSpec(text, "--process").spec.process;
        } catch (const Error &e) {
            throw engineError(e.what());
        }
    }
    Process p = spec.process;
    p.args = r.args;
    p.terminal = r.terminal;
    if (r.terminal && std::none_of(p.env.begin(), p.env.end(), [](const std::string &e) {
            return e.rfind("TERM=", 0) == 0;
        }))
        p.env.push_back("TERM=xterm"); // as docker exec -t
    for (const std::string &e : r.env)
        setEnv(p.env, e);
    if (!r.cwd.empty())
        p.cwd = r.cwd;
    return p;
}

bool sameFile(const struct stat &a, const struct stat &b)
{
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// The container's namespace of this kind, or -1 when it is ours too (setns into
// the user namespace one is already in fails with EINVAL) or the kernel lacks it.
Fd openNamespaceIfOther(int procDir, const NsInfo &info, const std::string &where)
{
    std::string rel = "ns/" + std::string(info.procName);
    Fd fd(openat(procDir, rel.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd && errno == ENOENT)
        return fd;
    if (!fd)
        throw engineError(Error::sys("open", where + "/" + rel, errno).what());
    struct stat theirs {
    }, mine{};
    std::string self = "/proc/self/" + rel;
    if (fstat(fd.get(), &theirs) == 0 && stat(self.c_str(), &mine) == 0 && sameFile(theirs, mine))
        return Fd();
    return fd;
}

void openNamespaces(Target &t, int procDir, const std::string &where)
{
    // The user namespace first: joining the others needs privileges in their owner.
    if (Fd fd = openNamespaceIfOther(procDir, nsInfo(NsKind::User), where))
        t.namespaces.emplace_back(NsKind::User, std::move(fd));
    for (const NsInfo &info : kNamespaces) {
        if (info.kind == NsKind::User)
            continue;
        Fd fd = openNamespaceIfOther(procDir, info, where);
        if (!fd)
            continue;
        if (info.kind == NsKind::Cgroup)
            t.cgroupNamespace = std::move(fd);
        else
            t.namespaces.emplace_back(info.kind, std::move(fd));
    }
}

void openCgroups(Target &t)
{
    for (const std::string &dir : t.state.cgroupPaths) {
        std::string path = dir + "/cgroup.procs";
        Fd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
        if (!fd)
            throw engineError(Error::sys("open", path, errno).what());
        t.cgroupProcs.emplace_back(path, std::move(fd));
    }
}

Target openTarget(const std::string &stateDir, const ExecRequest &r)
{
    if (r.args.empty() && r.processJson.empty())
        throw engineError("give the command to run after -- (hoodctl exec ID -- CMD...)");
    if (!r.cwd.empty() && r.cwd[0] != '/')
        throw engineError("working directory " + r.cwd + " must be an absolute path");
    Target t;
    t.id = stateDir.substr(stateDir.find_last_of('/') + 1);
    t.state = runningState(stateDir, t.id);
    const std::string config = stateDir + "/config.json";
    Spec spec = parseSpec(readText(config), config).spec;
    t.process = execProcessSettings(spec, r);
    t.seccomp = spec.seccomp;
    if (t.seccomp)
        t.seccompProgram = cachedSeccompProgram(*t.seccomp, stateDir.substr(0, stateDir.find_last_of('/')) + "/#seccomp");
    t.detach = r.detach;
    t.preserveFds = r.preserveFds;
    std::string where = "/proc/" + std::to_string(t.state.pid);
    // The directory fd pins this very process: if the pid is reused later, every
    // openat() below fails instead of reading another process's namespaces.
    Fd procDir(open(where.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (procDir.get() < 0 || !processAlive(t.state.pid, t.state.pidStartTime))
        throw engineError("container \"" + t.id + "\" is not running (its init has just ended)");
    openNamespaces(t, procDir.get(), where);
    t.root = Fd(openat(procDir.get(), "root", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (t.root.get() < 0)
        throw engineError(Error::sys("open", where + "/root", errno).what());
    openCgroups(t);
    std::string setgroups;
    readFileNoThrow(where + "/setgroups", setgroups);
    t.setgroupsDenied = setgroups.rfind("deny", 0) == 0;
    return t;
}

void sendError(int sock, int status, const std::string &sentence)
{
    sendMessage(sock, kMsgError, std::string(1, static_cast<char>(status)) + sentence);
}

// ---- in the command (second child) ---------------------------------------

void joinCgroups(const Target &t)
{
    // "0" is the writing process itself, whatever pid namespace it is in. The
    // files were opened by the caller, and the kernel checks the opener's
    // credentials and cgroup namespace, so the command's setns does not matter.
    for (const auto &[path, fd] : t.cgroupProcs)
        priv::joinCgroup(fd.get(), path);
    // After joining the cgroup, so that the namespace's root is above us (runc
    // does the same).
    if (t.cgroupNamespace)
        priv::setns(t.cgroupNamespace.get(), NsKind::Cgroup,
                    "/proc/" + std::to_string(t.state.pid) + "/ns/cgroup");
}

// dieWithParent() checks getppid(), which reads 0 here whether the helper lives
// or not: the helper is outside this pid namespace. So the helper keeps the only
// write end of a pipe, and a hang-up on it says the helper has gone.
void dieWithHelper(Fd &hangup)
{
    check(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), "set parent death signal", "");
    pollfd p{hangup.get(), POLLIN, 0};
    if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)))
        _exit(kExecEngineError);
    hangup.reset();
}

int execStatus(const FinishError &e)
{
    // Not found: 127; found but not runnable (EACCES, or ENOENT from execve on a
    // file that exists: its interpreter is missing, which is "not found" too).
    switch (e.stage()) {
    case FinishError::Stage::Find: return e.code() == EACCES ? kExecCannotRun : kExecNotFound;
    case FinishError::Stage::Exec: return e.code() == ENOENT ? kExecNotFound : kExecCannotRun;
    case FinishError::Stage::Setup: break;
    }
    return kExecEngineError;
}

// The same order as the container's init after its namespaces and root.
[[noreturn]] void commandMain(const Target &t, int sock, Fd hangup)
{
    try {
        joinCgroups(t);
        sigset_t none;
        sigemptyset(&none);
        // The helper blocks signals; the command must not.
        check(sigprocmask(SIG_SETMASK, &none, nullptr), "unblock signals", "exec command");
        if (t.process.terminal)
            attachNewTerminal(sock, kMsgConsole, false);
        else if (setsid() < 0) // its own session: the user's ^C reaches it once, forwarded by hoodctl
            throw Error::sys("setsid", "exec command", errno);
        FinishSteps steps;
        steps.setgroupsDenied = t.setgroupsDenied;
        steps.warn = [&](const std::string &w) { sendMessage(sock, kMsgWarning, w); };
        if (!t.detach)
            steps.dieWithParent = [&] { dieWithHelper(hangup); };
        steps.preserveFds = t.preserveFds;
        if (t.seccomp) {
            steps.seccomp = &*t.seccomp;
            steps.seccompProgram = &t.seccompProgram;
        }
        finishProcess(t.process, steps);
    } catch (const FinishError &e) {
        sendError(sock, execStatus(e), e.what());
        _exit(execStatus(e));
    } catch (const ExecError &e) {
        sendError(sock, e.status(), e.what());
        _exit(e.status());
    } catch (const std::exception &e) {
        sendError(sock, kExecEngineError, e.what());
    }
    _exit(kExecEngineError);
}

// ---- in the helper (first child) -----------------------------------------

void joinTargetNamespaces(const Target &t)
{
    const std::string where = "/proc/" + std::to_string(t.state.pid) + "/ns/";
    std::vector<NamespaceFd> join;
    for (const auto &[kind, fd] : t.namespaces)
        join.push_back({kind, fd.get(), where + std::string(nsInfo(kind).procName)});
    joinNamespaces(join);
}

// The root of the container's init, which is not always the root of its mount
// namespace: with --chroot the namespace's root is still the host's /.
void enterRoot(const Target &t)
{
    priv::chrootFd(t.root.get(), "/proc/" + std::to_string(t.state.pid) + "/root");
}

int shellStatus(int status)
{
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int waitFor(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return kExecEngineError;
    }
    return shellStatus(status);
}

// Signals a terminal sends to its foreground group: the helper must outlive
// them so that the caller learns the command's status.
sigset_t terminalSignals()
{
    sigset_t set;
    sigemptyset(&set);
    for (int sig :
         {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU})
        sigaddset(&set, sig);
    return set;
}

[[noreturn]] void helperMain(const Target &t, pid_t caller, int sock)
{
    try {
        sigset_t set = terminalSignals();
        check(sigprocmask(SIG_BLOCK, &set, nullptr), "block signals", "exec helper");
        // Not dumpable: a process of the container, even root with fewer
        // capabilities, must not open /proc/<us>/exe or our fds while we are in
        // its namespaces (runc's CVE-2016-9962). The command's exec resets it.
        check(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "make the exec helper non-dumpable", "");
        joinTargetNamespaces(t);
        enterRoot(t);
        dieWithParent(caller);
        FdPair hangup = makePipe();
        pid_t pid = fork();
        if (pid < 0)
            throw Error::sys("fork", "exec command", errno);
        if (pid == 0) {
            hangup.second.reset();
            commandMain(t, sock, std::move(hangup.first));
        }
        hangup.first.reset();
        sendMessage(sock, kMsgPid, std::to_string(pid));
        close(sock); // ours from the caller's socket pair; the command holds its own copy
        if (t.detach)
            _exit(0); // the command re-parents to the caller's subreaper, which reaps it
        _exit(waitFor(pid));
    } catch (const std::exception &e) {
        sendError(sock, kExecEngineError, e.what());
    }
    _exit(kExecEngineError);
}

// ---- in the caller --------------------------------------------------------

struct Replies {
    pid_t pid = -1;
    Fd console;
    std::vector<std::string> warnings;
    std::string error;
    int status = kExecEngineError;
};

// Until end of file: the command exec'd, or both children reported and ended.
Replies readReplies(int sock)
{
    Replies r;
    for (;;) {
        std::string m;
        int fd = -1;
        if (receiveMessage(sock, m, &fd) <= 0)
            return r;
        if (m[0] == kMsgPid)
            r.pid = static_cast<pid_t>(std::stol(m.substr(1)));
        else if (m[0] == kMsgConsole)
            r.console.reset(fd);
        else if (m[0] == kMsgWarning)
            r.warnings.push_back(m.substr(1));
        else if (m[0] == kMsgError && m.size() > 1 && r.error.empty()) {
            r.status = static_cast<unsigned char>(m[1]);
            r.error = m.substr(2);
        }
    }
}

Fd pidfdOpen(pid_t pid)
{
    return Fd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
}

} // namespace

ExecProcess::ExecProcess(const std::string &stateDir, const ExecRequest &request)
{
    trace::begin("exec"); // the helper's setns, cgroup and chroot steps count for the kill-at-every-step hook
    Target t = openTarget(stateDir, request);
    FdPair socks = makeSocketPair(SOCK_SEQPACKET);
    pid_t caller = getpid();
    m_helper = fork();
    if (m_helper < 0)
        throw engineError(Error::sys("fork", "exec helper", errno).what());
    if (m_helper == 0) {
        socks.first.reset();
        helperMain(t, caller, socks.second.get());
    }
    socks.second.reset();
    m_helperPidfd = pidfdOpen(m_helper);
    Replies r = readReplies(socks.first.get());
    socks.first.reset();
    m_console = std::move(r.console);
    m_warnings = std::move(r.warnings);
    if (!m_helperPidfd && r.error.empty())
        r.error = Error::sys("pidfd_open", "exec helper", errno).what()
                  + std::string(" (needs Linux 5.3 or later)");
    if (!r.error.empty() || r.pid < 0) {
        release();
        throw ExecError(r.error.empty() ? "the exec helper ended without a word" : r.error,
                        r.status);
    }
    m_pid = r.pid;
    m_pidfd = pidfdOpen(m_pid); // ESRCH when it has already ended: nothing left to signal
}

ExecProcess::~ExecProcess()
{
    release();
}

void ExecProcess::release() noexcept
{
    if (m_helper > 0) {
        ::kill(m_helper, SIGKILL); // the command dies with it (PR_SET_PDEATHSIG)
        waitFor(m_helper);
    }
    m_helper = -1;
    m_helperPidfd.reset();
    m_pidfd.reset();
    m_console.reset();
}

void ExecProcess::signal(int sig) const
{
    // Through a pidfd: once the helper has reaped the command, its pid may name
    // another process.
    if (m_pidfd)
        syscall(SYS_pidfd_send_signal, m_pidfd.get(), sig, nullptr, 0);
}

void ExecProcess::detach()
{
    if (m_helper > 0)
        waitFor(m_helper); // it exits as soon as the command is forked
    m_helper = -1;
}

int ExecProcess::wait()
{
    if (m_helper > 0) {
        m_status = waitFor(m_helper);
        m_helper = -1;
    }
    return m_status;
}

} // namespace hood
