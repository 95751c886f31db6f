#include "exec.h"
#include "terminal.h"

#include "channel.h"
#include "process.h"
#include "procfs.h"
#include "spec/spec.h"
#include "state.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
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

class OwnedFd {
public:
    explicit OwnedFd(int fd = -1) : m_fd(fd) {}
    OwnedFd(OwnedFd &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    OwnedFd &operator=(OwnedFd &&other) noexcept
    {
        std::swap(m_fd, other.m_fd);
        return *this;
    }
    ~OwnedFd()
    {
        if (m_fd >= 0)
            close(m_fd);
    }
    int get() const { return m_fd; }

private:
    int m_fd;
};

// What the caller opens from the host's point of view before forking: after
// setns the host's /proc and /sys/fs/cgroup are out of sight.
struct Target {
    std::string id;
    ContainerState state;
    Process process;
    std::vector<std::pair<NsKind, OwnedFd>> namespaces; // differing kinds, user first
    OwnedFd cgroupNamespace;                            // joined by the command
    OwnedFd root;
    std::vector<std::pair<std::string, OwnedFd>> cgroupProcs;
    bool setgroupsDenied = false;
};

ExecError engineError(const std::string &sentence)
{
    return ExecError(sentence, kExecEngineError);
}

std::string readText(const std::string &path)
{
    std::ifstream in(path);
    if (!in)
        throw engineError(Error::sys("open", path, errno).what());
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

ContainerState runningState(const std::string &stateDir, const std::string &id)
{
    struct stat st {};
    if (stat(stateDir.c_str(), &st) < 0)
        throw engineError("container \"" + id + "\" does not exist");
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
Process execProcessSettings(const std::string &stateDir, const ExecRequest &r)
{
    std::string path = stateDir + "/config.json";
    Process p = parseSpec(readText(path), path).spec.process;
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
int openNamespaceIfOther(int procDir, const NsInfo &info, const std::string &where)
{
    std::string rel = "ns/" + std::string(info.procName);
    int fd = openat(procDir, rel.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        return -1;
    if (fd < 0)
        throw engineError(Error::sys("open", where + "/" + rel, errno).what());
    struct stat theirs {
    }, mine{};
    std::string self = "/proc/self/" + rel;
    if (fstat(fd, &theirs) == 0 && stat(self.c_str(), &mine) == 0 && sameFile(theirs, mine)) {
        close(fd);
        return -1;
    }
    return fd;
}

void openNamespaces(Target &t, int procDir, const std::string &where)
{
    // The user namespace first: joining the others needs privileges in their owner.
    if (int fd = openNamespaceIfOther(procDir, nsInfo(NsKind::User), where); fd >= 0)
        t.namespaces.emplace_back(NsKind::User, OwnedFd(fd));
    for (const NsInfo &info : kNamespaces) {
        if (info.kind == NsKind::User)
            continue;
        int fd = openNamespaceIfOther(procDir, info, where);
        if (fd < 0)
            continue;
        if (info.kind == NsKind::Cgroup)
            t.cgroupNamespace = OwnedFd(fd);
        else
            t.namespaces.emplace_back(info.kind, OwnedFd(fd));
    }
}

void openCgroups(Target &t)
{
    for (const std::string &dir : t.state.cgroupPaths) {
        std::string path = dir + "/cgroup.procs";
        int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            throw engineError(Error::sys("open", path, errno).what());
        t.cgroupProcs.emplace_back(path, OwnedFd(fd));
    }
}

Target openTarget(const std::string &stateDir, const ExecRequest &r)
{
    if (r.args.empty())
        throw engineError("give the command to run after -- (hoodctl exec ID -- CMD...)");
    if (!r.cwd.empty() && r.cwd[0] != '/')
        throw engineError("working directory " + r.cwd + " must be an absolute path");
    Target t;
    t.id = stateDir.substr(stateDir.find_last_of('/') + 1);
    t.state = runningState(stateDir, t.id);
    t.process = execProcessSettings(stateDir, r);
    std::string where = "/proc/" + std::to_string(t.state.pid);
    // The directory fd pins this very process: if the pid is reused later, every
    // openat() below fails instead of reading another process's namespaces.
    OwnedFd procDir(open(where.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (procDir.get() < 0 || processStartTime(t.state.pid) != t.state.pidStartTime)
        throw engineError("container \"" + t.id + "\" is not running (its init has just ended)");
    openNamespaces(t, procDir.get(), where);
    t.root = OwnedFd(openat(procDir.get(), "root", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (t.root.get() < 0)
        throw engineError(Error::sys("open", where + "/root", errno).what());
    openCgroups(t);
    std::string setgroups;
    std::ifstream(where + "/setgroups") >> setgroups;
    t.setgroupsDenied = setgroups == "deny";
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
    for (const auto &[path, fd] : t.cgroupProcs) {
        if (write(fd.get(), "0", 1) != 1)
            throw Error::sys("join cgroup", path, errno);
    }
    // After joining the cgroup, so that the namespace's root is above us (runc
    // does the same).
    if (t.cgroupNamespace.get() >= 0 && setns(t.cgroupNamespace.get(), CLONE_NEWCGROUP) < 0)
        throw Error::sys("join cgroup namespace",
                         "/proc/" + std::to_string(t.state.pid) + "/ns/cgroup", errno);
}

// A pty from the container's own devpts instance (/dev/ptmx -> pts/ptmx inside),
// so `tty` names a device that exists in the container; the master goes to the
// caller, as the container's init hands its own to the monitor.
void openTerminal(int sock)
{
    Pty pty = openPty();
    sendMessage(sock, kMsgConsole, pty.name, pty.master);
    close(pty.master);
    becomeTerminalOf(pty.slave, pty.name);
}

// dieWithParent() checks getppid(), which reads 0 here whether the helper lives
// or not: the helper is outside this pid namespace. So the helper keeps the only
// write end of a pipe, and a hang-up on it says the helper has gone.
void dieWithHelper(int hangup)
{
    check(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), "set parent death signal", "");
    pollfd p{hangup, POLLIN, 0};
    if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)))
        _exit(kExecEngineError);
    close(hangup);
}

std::string findCommand(const Process &p)
{
    try {
        return findExecutable(p);
    } catch (const Error &e) {
        throw ExecError(e.what(), e.code() == EACCES ? kExecCannotRun : kExecNotFound);
    }
}

[[noreturn]] void execCommand(const Process &p, const std::string &path)
{
    try {
        execProcess(p, path);
    } catch (const Error &e) {
        // ENOENT from execve on a file that exists: its interpreter is missing.
        throw ExecError(e.what(), e.code() == ENOENT ? kExecNotFound : kExecCannotRun);
    }
}

// The same order as the container's init after its namespaces and root.
[[noreturn]] void commandMain(const Target &t, int sock, int hangup)
{
    try {
        joinCgroups(t);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr); // the helper blocks signals; the command must not
        if (t.process.terminal)
            openTerminal(sock);
        else
            setsid(); // its own session: the user's ^C reaches it once, forwarded by hoodctl
        applyRlimits(t.process.rlimits);
        if (chdir(t.process.cwd.c_str()) < 0)
            throw Error::sys("chdir to cwd", t.process.cwd, errno);
        std::string exe = findCommand(t.process);
        switchUser(t.process, t.setgroupsDenied,
                   [&](const std::string &w) { sendMessage(sock, kMsgWarning, w); });
        if (t.process.noNewPrivileges)
            check(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "set no_new_privs", "");
        dieWithHelper(hangup);
        execCommand(t.process, exe);
    } catch (const ExecError &e) {
        sendError(sock, e.status(), e.what());
        _exit(e.status());
    } catch (const std::exception &e) {
        sendError(sock, kExecEngineError, e.what());
    }
    _exit(kExecEngineError);
}

// ---- in the helper (first child) -----------------------------------------

void joinNamespaces(const Target &t)
{
    const std::string where = "/proc/" + std::to_string(t.state.pid) + "/ns/";
    for (const auto &[kind, fd] : t.namespaces) {
        const NsInfo &info = nsInfo(kind);
        if (setns(fd.get(), info.cloneFlag) < 0)
            throw Error::sys("join " + std::string(info.ociName) + " namespace",
                             where + std::string(info.procName), errno);
    }
}

// The root of the container's init, which is not always the root of its mount
// namespace: with --chroot the namespace's root is still the host's /.
void enterRoot(const Target &t)
{
    const std::string where = "/proc/" + std::to_string(t.state.pid) + "/root";
    if (fchdir(t.root.get()) < 0 || chroot(".") < 0 || chdir("/") < 0)
        throw Error::sys("enter the container's root", where, errno);
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
        sigprocmask(SIG_BLOCK, &set, nullptr);
        // Not dumpable: a process of the container, even root with fewer
        // capabilities, must not open /proc/<us>/exe or our fds while we are in
        // its namespaces (runc's CVE-2016-9962). The command's exec resets it.
        check(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), "make the exec helper non-dumpable", "");
        joinNamespaces(t);
        enterRoot(t);
        dieWithParent(caller);
        int hangup[2];
        check(pipe2(hangup, O_CLOEXEC), "pipe", "");
        pid_t pid = fork();
        if (pid < 0)
            throw Error::sys("fork", "exec command", errno);
        if (pid == 0) {
            close(hangup[1]);
            commandMain(t, sock, hangup[0]);
        }
        close(hangup[0]);
        sendMessage(sock, kMsgPid, std::to_string(pid));
        close(sock);
        _exit(waitFor(pid));
    } catch (const std::exception &e) {
        sendError(sock, kExecEngineError, e.what());
    }
    _exit(kExecEngineError);
}

// ---- in the caller --------------------------------------------------------

struct Replies {
    pid_t pid = -1;
    int console = -1;
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
            r.console = fd;
        else if (m[0] == kMsgWarning)
            r.warnings.push_back(m.substr(1));
        else if (m[0] == kMsgError && m.size() > 1 && r.error.empty()) {
            r.status = static_cast<unsigned char>(m[1]);
            r.error = m.substr(2);
        }
    }
}

int pidfdOpen(pid_t pid)
{
    return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}

} // namespace

ExecProcess::ExecProcess(const std::string &stateDir, const ExecRequest &request)
{
    Target t = openTarget(stateDir, request);
    int socks[2];
    check(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks), "socketpair", "");
    pid_t caller = getpid();
    m_helper = fork();
    if (m_helper < 0) {
        close(socks[0]);
        close(socks[1]);
        throw engineError(Error::sys("fork", "exec helper", errno).what());
    }
    if (m_helper == 0) {
        close(socks[0]);
        helperMain(t, caller, socks[1]);
    }
    close(socks[1]);
    m_helperPidfd = pidfdOpen(m_helper);
    Replies r = readReplies(socks[0]);
    close(socks[0]);
    m_console = r.console;
    m_warnings = std::move(r.warnings);
    if (m_helperPidfd < 0 && r.error.empty())
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
    for (int *fd : {&m_helperPidfd, &m_pidfd, &m_console}) {
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
    }
}

void ExecProcess::signal(int sig) const
{
    // Through a pidfd: once the helper has reaped the command, its pid may name
    // another process.
    if (m_pidfd >= 0)
        syscall(SYS_pidfd_send_signal, m_pidfd, sig, nullptr, 0);
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
