#include "monitor.h"

#include "channel.h"
#include "error.h"
#include "procfs.h"
#include "statedir.h"
#include "terminal.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

namespace hood {

namespace {

// Signals the monitor handles through a signalfd: SIGCHLD for reaping, the rest
// are forwarded to the container's init (docker's --sig-proxy).
const int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGCONT, SIGWINCH};

sigset_t monitorSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    for (int sig : kForwarded)
        sigaddset(&set, sig);
    return set;
}

std::string mapText(const std::vector<IdMapping> &maps)
{
    std::string text;
    for (const IdMapping &m : maps)
        text += std::to_string(m.containerID) + " " + std::to_string(m.hostID) + " "
                + std::to_string(m.size) + "\n";
    return text;
}

// Opened through the init's root, so the fd belongs to the init's mount namespace
// (a mount on an fd of ours would be refused there) and the init need not walk
// root-only directories that its user namespace cannot.
int openThroughInit(pid_t init, const std::string &dir)
{
    std::string path = "/proc/" + std::to_string(init) + "/root" + dir;
    int fd = open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw Error::sys("open", path, errno);
    return fd;
}

} // namespace

Monitor::Monitor(LaunchConfig config, ContainerState state, WarnFn warn)
    : m_config(std::move(config)), m_state(std::move(state)), m_warn(std::move(warn)),
      m_journal(m_config.stateDir + "/journal")
{
}

Monitor::~Monitor()
{
    if (m_signalFd >= 0)
        close(m_signalFd);
    if (m_cloneIntoFd >= 0)
        close(m_cloneIntoFd);
    if (m_consoleMaster >= 0)
        close(m_consoleMaster);
    if (m_config.logFd >= 0)
        close(m_config.logFd);
    if (m_listenFd >= 0)
        close(m_listenFd);
    for (int client : m_clients)
        close(client);
}

void Monitor::makeStateDir()
{
    if (mkdir(m_config.stateDir.c_str(), 0700) < 0) {
        if (errno == EEXIST)
            throw Error("container \"" + m_config.id + "\" already exists (hoodctl delete " + m_config.id
                        + " removes it)");
        throw Error::sys("create state directory", m_config.stateDir, errno);
    }
    m_madeStateDir = true;
    // The spec as run (flags resolved, maps added): what `hoodctl exec` applies to
    // a new process, and what the GUI shows as the equivalent config.json.
    std::string config = specToJson(m_config.spec);
    std::string configPath = m_config.stateDir + "/config.json";
    int fd = open(configPath.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, config.data(), config.size()) != static_cast<ssize_t>(config.size()))
        throw Error::sys("write", configPath, errno);
    close(fd);
    if (m_config.ephemeralOverlay)
        check(mkdir((m_config.stateDir + "/rootfs").c_str(), 0700), "mkdir", m_config.stateDir + "/rootfs");
    if (m_config.detached) {
        std::string log = m_config.stateDir + "/container.log";
        m_config.logFd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (m_config.logFd < 0)
            throw Error::sys("create", log, errno);
    }
    if (m_config.waitForStart)
        check(mkfifo((m_config.stateDir + "/exec.fifo").c_str(), 0600), "mkfifo", m_config.stateDir + "/exec.fifo");
}

void Monitor::makeCgroup()
{
    CgroupOptions options;
    options.name = m_config.id;
    options.base = m_config.cgroupBase;
    m_cgroup = makeCgroupManager(options);
    // The cgroup namespace is shared by every state root (/run/hood, a test's
    // HOOD_ROOT): a container of the same name elsewhere must not be adopted, nor
    // removed by our cleanup, so refuse before journaling anything.
    for (const std::string &path : m_cgroup->paths()) {
        struct stat st {};
        if (lstat(path.c_str(), &st) == 0) {
            m_cgroup.reset(); // not ours: cleanup must not destroy it
            throw Error("cgroup " + path + " already exists: a container named \"" + m_config.id
                        + "\" runs under another state root, or a crash left it (hoodctl gc "
                          "removes what dead containers left)");
        }
    }
    // Journal first: a crash between mkdir and the next line must not leak it.
    for (const std::string &path : m_cgroup->paths())
        m_journal.record(ResourceKind::Cgroup, path);
    m_state.cgroupPaths = m_cgroup->paths();
    m_cgroup->create();
    m_cgroup->apply(m_config.spec.resources);
    // Placing the init costs little when it is born in the cgroup (v2) or moves
    // its one thread itself (v1), and an RCU grace period when we write its pid.
    if (std::string into = m_cgroup->cloneIntoPath(); !into.empty()) {
        m_cloneIntoFd = open(into.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (m_cloneIntoFd < 0)
            throw Error::sys("open", into, errno);
    } else if (!m_config.userNamespace) {
        m_config.cgroupSelfJoin = m_cgroup->selfJoinFiles(); // a mapped uid may not write them
    }
}

pid_t Monitor::cloneInit(int childSock)
{
    uint64_t flags = 0;
    for (const NamespaceSetting &ns : m_config.spec.namespaces) {
        if (ns.path.empty() && ns.kind != NsKind::Cgroup)
            flags |= static_cast<uint64_t>(nsInfo(ns.kind).cloneFlag);
    }
    if (const NamespaceSetting *pid = m_config.spec.namespaceSetting(NsKind::Pid); pid && !pid->path.empty()) {
        int fd = open(pid->path.c_str(), O_RDONLY | O_CLOEXEC);
        // Applies to the monitor's future children only, never to the monitor itself.
        if (fd < 0 || setns(fd, CLONE_NEWPID) < 0)
            throw Error::sys("join pid namespace", pid->path, errno);
        close(fd);
    }
    clone_args args {};
    args.flags = flags;
    args.exit_signal = SIGCHLD;
    if (m_cloneIntoFd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = static_cast<uint64_t>(m_cloneIntoFd);
    }
    pid_t pid = static_cast<pid_t>(syscall(SYS_clone3, &args, sizeof args));
    m_placedAtClone = pid >= 0 && m_cloneIntoFd >= 0;
    if (pid < 0 && errno == ENOSYS) // kernels before 5.3: no time namespace then
        pid = static_cast<pid_t>(syscall(SYS_clone, (flags & ~uint64_t(CLONE_NEWTIME)) | SIGCHLD, 0, 0, 0, 0));
    if (pid < 0)
        throw Error::sys("clone", "container init", errno);
    if (pid == 0)
        containerInit(m_config, childSock); // never returns
    return pid;
}

void Monitor::writeIdMaps()
{
    if (!m_config.userNamespace)
        return;
    std::string proc = "/proc/" + std::to_string(m_state.pid);
    if (m_config.setgroupsDenied)
        writeFile(proc + "/setgroups", "deny");
    writeFile(proc + "/uid_map", mapText(m_config.spec.uidMappings));
    writeFile(proc + "/gid_map", mapText(m_config.spec.gidMappings));
}

void Monitor::sendGo(int sock)
{
    if (m_config.ephemeralOverlay && m_config.userNamespace) {
        // The image too: root's `run --rootless` of an image under /root or a 0700
        // home (a build tree there) maps the init to a uid that cannot reach it.
        int lower = openThroughInit(m_state.pid, m_config.rootfs);
        sendMessage(sock, msg::Lower, "", lower);
        close(lower);
    }
    int scratch = -1;
    if (m_config.ephemeralOverlay)
        scratch = openThroughInit(m_state.pid, m_config.stateDir + "/rootfs");
    sendMessage(sock, msg::Go, "", scratch);
    if (scratch >= 0)
        close(scratch);
}

void Monitor::awaitExecOrReady(int sock)
{
    for (;;) {
        std::string message;
        int fd = -1;
        ssize_t n = receiveMessage(sock, message, &fd);
        if (n <= 0)
            return; // end of file: the init's end closed on exec
        switch (message[0]) {
        case msg::Error: throw Error(message.substr(1));
        case msg::Warning: m_warn(message.substr(1)); break;
        case msg::Console: m_consoleMaster = fd; break;
        case msg::Ready: return;
        default: break;
        }
    }
}

void Monitor::launch()
{
    // The monitor adopts every orphan of the container, so none outlives it unseen.
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    sigset_t set = monitorSignals();
    sigprocmask(SIG_BLOCK, &set, nullptr);
    m_signalFd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    m_state.monitorPid = getpid();
    m_state.monitorStartTime = processStartTime(getpid());
    m_state.created = nowRfc3339();
    makeStateDir();
    int socks[2] = {-1, -1};
    try {
        if (m_config.useCgroup)
            makeCgroup();
        check(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, socks), "socketpair", "");
        m_state.pid = cloneInit(socks[1]);
        close(socks[1]);
        socks[1] = -1;
        m_state.pidStartTime = processStartTime(m_state.pid);
        writeIdMaps();
        if (m_cgroup && !m_placedAtClone && m_config.cgroupSelfJoin.empty())
            m_cgroup->addProcess(m_state.pid);
        saveState(m_config.stateDir, m_state);
        sendGo(socks[0]);
        awaitExecOrReady(socks[0]);
        close(socks[0]);
        openAttachSocket();
    } catch (...) {
        for (int fd : socks) {
            if (fd >= 0)
                close(fd);
        }
        cleanupAfterFailure();
        throw;
    }
}

void Monitor::cleanupAfterFailure() noexcept
{
    if (m_state.pid > 0) {
        ::kill(m_state.pid, SIGKILL);
        waitpid(m_state.pid, nullptr, 0);
    }
    if (m_cgroup)
        m_cgroup->destroy();
    if (m_madeStateDir) {
        replayJournal(readJournal(m_journal.path()));
        removeTree(m_config.stateDir);
    }
}

void Monitor::openAttachSocket()
{
    // Only a detached terminal has no one at its other end; clients (hoodctl
    // attach, the GUI's console) connect here and share the terminal.
    if (!(m_config.stdio == StdioMode::Terminal && m_state.detached))
        return;
    std::string path = m_config.stateDir + "/attach.sock";
    sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) {
        m_warn("no attach socket: its path " + path + " is too long for a unix socket");
        return;
    }
    memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    m_listenFd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m_listenFd < 0 || bind(m_listenFd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0
        || listen(m_listenFd, 8) < 0) {
        m_warn("no attach socket at " + path + ": " + errnoText(errno));
        if (m_listenFd >= 0)
            close(m_listenFd);
        m_listenFd = -1;
    }
}

void Monitor::forwardConsoleOutput()
{
    char buf[8192];
    ssize_t n = read(m_consoleMaster, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) { // EIO: every holder of the pty's slave has closed it
        close(m_consoleMaster);
        m_consoleMaster = -1;
        return;
    }
    writeAll(m_state.detached ? m_config.logFd : 1, buf, static_cast<size_t>(n));
    for (int &client : m_clients) {
        if (!writeAll(client, buf, static_cast<size_t>(n))) {
            close(client);
            client = -1;
        }
    }
    std::erase(m_clients, -1);
}

void Monitor::forwardInput(int from)
{
    char buf[4096];
    ssize_t n = read(from, buf, sizeof buf);
    if (n > 0 && m_consoleMaster >= 0) {
        writeAll(m_consoleMaster, buf, static_cast<size_t>(n));
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (from == 0) {
        // The user's input ended: pass it on as end-of-file (^D) on the terminal,
        // as typing it would, and stop reading.
        m_stdinOpen = false;
        if (m_consoleMaster >= 0)
            writeAll(m_consoleMaster, "\x04", 1);
        return;
    }
    close(from);
    std::erase(m_clients, from);
}

void Monitor::handleSignals()
{
    bool interactive = m_config.stdio == StdioMode::Terminal && !m_state.detached;
    signalfd_siginfo info {};
    while (read(m_signalFd, &info, sizeof info) == sizeof info) {
        int sig = static_cast<int>(info.ssi_signo);
        if (sig == SIGWINCH && m_consoleMaster >= 0 && interactive)
            copyWindowSize(0, m_consoleMaster);
        else if (sig != SIGCHLD && sig != SIGWINCH)
            ::kill(m_state.pid, sig);
    }
    int status = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == m_state.pid) {
            m_initExited = true;
            m_initStatus = status;
        }
    }
}

void Monitor::relayOnce(int timeoutMs)
{
    bool interactive = m_config.stdio == StdioMode::Terminal && !m_state.detached;
    std::vector<pollfd> fds = {{m_signalFd, POLLIN, 0},
                               {m_consoleMaster, POLLIN, 0},
                               {interactive && m_stdinOpen ? 0 : -1, POLLIN, 0},
                               {m_listenFd, POLLIN, 0}};
    for (int client : m_clients)
        fds.push_back({client, POLLIN, 0});
    if (poll(fds.data(), fds.size(), timeoutMs) <= 0)
        return;
    if (fds[1].revents)
        forwardConsoleOutput();
    if (fds[2].revents)
        forwardInput(0);
    if (fds[3].revents & POLLIN) {
        int client = accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (client >= 0)
            m_clients.push_back(client);
    }
    for (size_t i = 4; i < fds.size(); ++i) {
        if (fds[i].revents)
            forwardInput(fds[i].fd);
    }
    if (fds[0].revents & POLLIN)
        handleSignals();
}

void Monitor::recordExit(int status, bool keepState)
{
    if (WIFSIGNALED(status)) {
        m_state.exitSignal = WTERMSIG(status);
        m_state.exitCode = 128 + WTERMSIG(status);
    } else {
        m_state.exitCode = WEXITSTATUS(status);
    }
    // The final usage is kept for `list` and the GUI; a foreground run's state goes
    // with it, so it reads the cgroup only to tell an OOM kill from another SIGKILL.
    if (m_cgroup && (keepState || m_state.exitSignal == SIGKILL)) {
        try {
            CgroupStats stats = m_cgroup->stats();
            // The init was killed and the kernel's OOM killer killed something in
            // this cgroup: the limit, not a user, ended the container.
            m_state.oomKilled = m_state.exitSignal == SIGKILL && stats.oomKills > 0;
            m_state.cpuUsageNs = stats.cpuUsageNs;
            m_state.memoryPeak = stats.memoryPeak;
        } catch (const Error &e) {
            m_warn("could not read the final cgroup statistics: " + std::string(e.what()));
        }
    }
    m_state.finished = nowRfc3339();
}

int Monitor::supervise(bool removeWhenDone)
{
    bool interactive = m_config.stdio == StdioMode::Terminal && !m_state.detached && m_consoleMaster >= 0;
    RawTerminal raw(interactive);
    if (interactive)
        copyWindowSize(0, m_consoleMaster);
    while (!m_initExited)
        relayOnce(-1);
    // Drain what the container wrote last, then everything its init left behind.
    for (;;) {
        pollfd p {m_consoleMaster, POLLIN, 0};
        if (m_consoleMaster < 0 || poll(&p, 1, 0) <= 0)
            break;
        forwardConsoleOutput();
    }
    for (int client : m_clients)
        close(client);
    m_clients.clear();
    recordExit(m_initStatus, !removeWhenDone);
    if (m_cgroup)
        m_cgroup->destroy();
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    if (removeWhenDone) {
        replayJournal(readJournal(m_journal.path()));
        removeTree(m_config.stateDir);
    } else {
        try {
            saveState(m_config.stateDir, m_state);
        } catch (const Error &) {
            // `hoodctl delete --force` may have removed the directory already.
        }
    }
    return *m_state.exitCode;
}

std::string Monitor::exitSentence() const
{
    if (m_state.oomKilled) {
        std::string limit = m_state.memoryLimit ? " (memory limit " + formatBytes(static_cast<uint64_t>(*m_state.memoryLimit)) + ")" : "";
        return "container was OOM-killed" + limit;
    }
    if (m_state.exitSignal)
        return "container was killed by " + signalName(m_state.exitSignal) + " (exit status "
               + std::to_string(*m_state.exitCode) + ")";
    return {};
}

} // namespace hood
