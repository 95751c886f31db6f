#include "monitor.h"

#include "channel.h"
#include "netstep.h"
#include "error.h"
#include "hooks.h"
#include "privops.h"
#include "procfs.h"
#include "statedir.h"
#include "sys/fileio.h"
#include "terminal.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace hood {

namespace {

using trace::Phase;

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
Fd openThroughInit(pid_t init, const std::string &dir)
{
    std::string path = "/proc/" + std::to_string(init) + "/root" + dir;
    Fd fd(open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        throw Error::sys("open", path, errno);
    return fd;
}

uint64_t cloneFlags(const Spec &spec)
{
    uint64_t flags = 0;
    for (const NamespaceSetting &ns : spec.namespaces) {
        if (ns.path.empty() && ns.kind != NsKind::Cgroup)
            flags |= static_cast<uint64_t>(nsInfo(ns.kind).cloneFlag);
    }
    return flags;
}

} // namespace

Monitor::Monitor(LaunchConfig config, ContainerState state, WarnFn warn)
    : m_config(std::move(config)), m_state(std::move(state)), m_warn(std::move(warn)),
      m_resources(m_config.stateDir + "/journal")
{
}

Monitor::~Monitor() = default;

void Monitor::makeStateDir()
{
    const std::string &dir = m_config.stateDir;
    std::string fresh = dir.substr(0, dir.rfind('/') + 1) + newStateDirName(m_config.id, getpid());
    auto exists = [&] {
        return Error("container \"" + m_config.id + "\" already exists (hoodctl delete " + m_config.id
                     + " removes it)");
    };
    struct stat st {};
    if (lstat(dir.c_str(), &st) == 0)
        throw exists();
    {
        trace::Scope step(Phase::State, "mkdir", fresh);
        if (mkdir(fresh.c_str(), 0700) < 0) {
            step.fail(errno);
            throw Error::sys("create state directory", fresh, errno);
        }
    }
    try {
        // The spec as run (flags resolved, maps added): what `hoodctl exec` applies
        // to a new process, and what the GUI shows as the equivalent config.json.
        writeNewFile(fresh + "/config.json", specToJson(m_config.spec));
        if (m_config.detached) {
            std::string log = fresh + "/container.log";
            m_logFd.reset(open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
            if (!m_logFd)
                throw Error::sys("create", dir + "/container.log", errno);
            m_config.logFd = m_logFd.get();
        }
        if (m_config.waitForStart)
            check(mkfifo((fresh + "/exec.fifo").c_str(), 0600), "mkfifo", dir + "/exec.fifo");
        // With the monitor's pid, before the directory has its name: gc then always
        // finds a state.json and can tell a dead monitor from one still starting.
        saveState(fresh, m_state);
        trace::Scope step(Phase::State, "rename", fresh + " to " + dir);
        if (renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, dir.c_str(), RENAME_NOREPLACE) < 0) {
            step.fail(errno);
            throw errno == EEXIST ? exists() : Error::sys("rename " + fresh + " to", dir, errno);
        }
    } catch (...) {
        removeTree(fresh);
        throw;
    }
    m_madeStateDir = true;
    if (m_config.waitForStart)
        openExecFifo();
}

// The init opens the fifo for writing through its own copy of this fd; with a user
// namespace it is then root inside but not outside, so the fifo becomes the
// mapped root's (runc chowns it the same way).
void Monitor::openExecFifo()
{
    const std::string path = m_config.stateDir + "/exec.fifo";
    m_execFifo.reset(open(path.c_str(), O_PATH | O_CLOEXEC));
    if (!m_execFifo)
        throw Error::sys("open", path, errno);
    m_config.execFifoFd = m_execFifo.get();
    if (!m_config.userNamespace)
        return;
    auto hostIdOfRoot = [](const std::vector<IdMapping> &maps) -> std::optional<uint32_t> {
        for (const IdMapping &m : maps)
            if (m.containerID == 0 && m.size > 0)
                return m.hostID;
        return std::nullopt;
    };
    auto uid = hostIdOfRoot(m_config.spec.uidMappings);
    auto gid = hostIdOfRoot(m_config.spec.gidMappings);
    if (uid && gid && (*uid != geteuid() || *gid != getegid()))
        priv::giveExecFifo(m_execFifo.get(), path, *uid, *gid);
}

// The overlay's mount point (<state>/rootfs, gone with the state directory) and,
// for a persistent upper layer, its upper and work directories, journaled first:
// they live outside the state directory.
void Monitor::makeRootfsDirs()
{
    const RootfsLayers &layers = m_config.layers;
    if (!layers.overlay())
        return;
    check(mkdir((m_config.stateDir + "/rootfs").c_str(), 0700), "mkdir", m_config.stateDir + "/rootfs");
    if (layers.upper != RootfsLayers::Upper::Persistent)
        return;
    for (const std::string &dir : {layers.upperDir, layers.workDir}) {
        m_resources.acquire(resource::Dir, dir, [&] {
            trace::Scope step(Phase::State, "mkdir", dir);
            if (mkdir(dir.c_str(), 0700) < 0 && errno != EEXIST) {
                step.fail(errno);
                throw Error::sys("mkdir", dir, errno);
            }
        });
    }
}

void Monitor::makeCgroup()
{
    CgroupOptions options;
    options.name = m_config.id;
    options.base = m_config.cgroupBase;
    options.devices = !m_config.spec.resources.devices.empty();
    options.path = m_config.spec.cgroupsPath;
    m_cgroup = makeCgroupManager(options);
    if (options.devices && m_cgroup->mode() == CgroupMode::V2)
        m_warn("linux.resources.devices is not enforced: on cgroup v2 it takes an eBPF device program, "
               "which Hood does not load yet; the container has the device nodes its /dev holds");
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
    // A cgroupsPath's new parents go first, so that replay (newest first) tries
    // them after the leaves.
    for (const std::string &path : m_cgroup->missingParents())
        m_resources.journal().record(resource::CgroupParent, path);
    const ResourceType &kind = options.path.empty() ? resource::Cgroup : resource::SpecCgroup;
    for (const std::string &path : m_cgroup->paths())
        m_resources.journal().record(kind, path);
    m_state.cgroupPaths = m_cgroup->paths();
    m_cgroup->create(); // each mkdir and control-file write is a step of its own
    m_cgroup->apply(m_config.spec.resources);
    // Placing the init costs little when it is born in the cgroup (v2) or moves
    // its one thread itself (v1), and an RCU grace period when we write its pid.
    if (std::string into = m_cgroup->cloneIntoPath(); !into.empty()) {
        m_cloneIntoFd.reset(open(into.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!m_cloneIntoFd)
            throw Error::sys("open", into, errno);
    } else if (!m_config.userNamespace) {
        m_config.cgroupSelfJoin = m_cgroup->selfJoinFiles(); // a mapped uid may not write them
    }
}

pid_t Monitor::cloneInit(int childSock)
{
    if (const NamespaceSetting *pid = m_config.spec.namespaceSetting(NsKind::Pid); pid && !pid->path.empty())
        priv::joinPidNamespaceForChildren(pid->path);
    pid_t pid = priv::cloneInit(cloneFlags(m_config.spec), m_cloneIntoFd.get(), &m_placedAtClone);
    if (pid == 0)
        containerInit(m_config, childSock); // never returns
    return pid;
}

void Monitor::writeIdMaps()
{
    if (!m_config.userNamespace)
        return;
    priv::writeIdMaps(m_state.pid, mapText(m_config.spec.uidMappings), mapText(m_config.spec.gidMappings),
                      m_config.setgroupsDenied);
}

void Monitor::sendGo(int sock)
{
    const RootfsLayers &layers = m_config.layers;
    if (layers.overlay() && m_config.userNamespace) {
        // The layers too: root's `run --rootless` of an image under /root or a 0700
        // home (a build tree there) maps the init to a uid that cannot reach them.
        for (const std::string &lower : layers.lowers)
            sendMessage(sock, msg::Lower, "", openThroughInit(m_state.pid, lower).get());
    }
    Fd scratch;
    if (layers.overlay())
        scratch = openThroughInit(m_state.pid, m_config.stateDir + "/rootfs");
    sendMessage(sock, msg::Go, "", scratch.get());
}

void Monitor::awaitExecOrReady(int sock)
{
    for (;;) {
        std::string message;
        int fd = -1;
        ssize_t n = receiveMessage(sock, message, &fd);
        Fd received(fd);
        if (n <= 0)
            break; // end of file: the init's end closed on exec
        switch (message[0]) {
        case msg::Error: throw Error(message.substr(1));
        case msg::Warning: m_warn(message.substr(1)); break;
        case msg::Console: m_consoleMaster = std::move(received); break;
        case msg::Hooks: {
            // The init's pid as this (the runtime's) pid namespace sees it, as runc gives it.
            const std::string state = hookState(m_state.id, "creating", m_state.pid, m_state.bundle);
            runHooks("prestart", m_config.spec.hooks.prestart, state);
            runHooks("createRuntime", m_config.spec.hooks.createRuntime, state);
            sendMessage(sock, msg::HooksDone, "");
            break;
        }
        case msg::Trace: {
            double execStart = trace::now();
            for (trace::Step &s : trace::fromLines(message.substr(1)))
                m_trace.steps.push_back(std::move(s));
            if (!m_config.waitForStart) // `create`: the exec comes with `start`
                m_trace.steps.push_back({"init", Phase::Exec, "execve", m_config.spec.process.args.front(),
                                         0, "ok", execStart, 0});
            break;
        }
        case msg::Ready: return;
        default: break;
        }
    }
    // The exec step lasts from the init's last word to the close-on-exec of its end.
    if (!m_trace.steps.empty() && m_trace.steps.back().phase == Phase::Exec)
        m_trace.steps.back().durationUs = trace::now() - m_trace.steps.back().startUs;
}

// <state>/trace.json: the monitor's steps and the init's, in time order, for
// `hoodctl run --trace` and the GUI's Start-up page.
void Monitor::collectTrace()
{
    std::vector<trace::Step> all = trace::steps();
    all.insert(all.end(), m_trace.steps.begin(), m_trace.steps.end());
    std::stable_sort(all.begin(), all.end(),
                     [](const trace::Step &a, const trace::Step &b) { return a.startUs < b.startUs; });
    m_trace.steps = std::move(all);
    m_trace.totalUs = trace::now();
}

// Written once the caller has its answer (spawn's 'K'), off the start's critical
// path; a foreground run, whose state goes with it, keeps its steps in memory for
// `run --trace` only.
void Monitor::writeTrace()
{
    if (m_traceWritten || !m_state.detached)
        return;
    m_traceWritten = true;
    try {
        replaceFile(m_config.stateDir + "/trace.json", trace::toJson(m_trace));
    } catch (const Error &e) {
        m_warn("the start-up steps were not saved: " + std::string(e.what()));
    }
}

void Monitor::launch()
{
    trace::begin("monitor");
    if (!m_config.direct) {
        // The monitor adopts every orphan of the container, so none outlives it unseen.
        check(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "become the container's subreaper", "monitor");
        sigset_t set = monitorSignals();
        check(sigprocmask(SIG_BLOCK, &set, nullptr), "block signals", "monitor");
        // Without it the relay would block for ever on a signal it cannot see.
        m_signalFd.reset(signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
        if (!m_signalFd)
            throw Error::sys("signalfd", "monitor", errno);
    }
    // runc mode too: while `create` runs, gc must tell it from a dead creator.
    m_state.monitorPid = getpid();
    m_state.direct = m_config.direct;
    m_state.monitorStartTime = processStartTime(getpid());
    m_state.created = nowRfc3339();
    makeStateDir();
    try {
        makeRootfsDirs();
        if (m_config.useCgroup)
            makeCgroup();
        prepareNetwork(m_config, m_resources, m_warn);
        FdPair socks = makeSocketPair(SOCK_SEQPACKET);
        m_config.monitorSock = socks.first.get();
        m_state.pid = cloneInit(socks.second.get());
        socks.second.reset();
        m_execFifo.reset(); // the init has its copy
        m_state.pidStartTime = processStartTime(m_state.pid);
        writeIdMaps();
        attachNetwork(m_config, m_resources, m_state.pid);
        m_slirp = startUserModeNetwork(m_config, m_state.pid);
        if (m_cgroup && !m_placedAtClone && m_config.cgroupSelfJoin.empty())
            m_cgroup->addProcess(m_state.pid);
        m_state.settingUp = true;
        saveState(m_config.stateDir, m_state);
        trace::faultPoint(); // state.json is on disk: a step of its own for the kill test
        sendGo(socks.first.get());
        awaitExecOrReady(socks.first.get());
        // The root is made: `exec` may join the container from now on (runc mode
        // saves it below, with the monitor gone).
        m_state.settingUp = false;
        if (!m_config.direct)
            saveState(m_config.stateDir, m_state);
        if (!m_config.waitForStart) // `create`: `start` runs them
            runHooks("poststart", m_config.spec.hooks.poststart,
                     hookState(m_state.id, "created", m_state.pid, m_state.bundle)); // runc's word here
        collectTrace();
        if (m_config.direct) {
            // No monitor from here on: the caller of `create` is about to exit.
            m_state.monitorPid = 0;
            m_state.monitorStartTime = 0;
            saveState(m_config.stateDir, m_state);
        }
        openAttachSocket();
    } catch (...) {
        cleanupAfterFailure();
        throw;
    }
}

// slirp4netns ends when its exit fd closes (it polls it); reaped here, so that it
// never outlives the container as a zombie or a process.
void Monitor::stopUserModeNetwork() noexcept
{
    if (m_slirp.pid <= 0)
        return;
    m_slirp.exit.reset();
    waitpid(m_slirp.pid, nullptr, 0);
    m_slirp.pid = -1;
}

void Monitor::cleanupAfterFailure() noexcept
{
    stopUserModeNetwork();
    if (m_state.pid > 0) {
        ::kill(m_state.pid, SIGKILL);
        waitpid(m_state.pid, nullptr, 0);
    }
    if (m_cgroup)
        m_cgroup->destroy();
    if (m_madeStateDir) {
        m_resources.releaseAll();
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
    m_listenFd.reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!m_listenFd || bind(m_listenFd.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0
        || listen(m_listenFd.get(), 8) < 0) {
        m_warn("no attach socket at " + path + ": " + errnoText(errno));
        m_listenFd.reset();
    }
}

void Monitor::dropClient(int fd)
{
    std::erase_if(m_clients, [fd](const Client &client) { return client.fd.get() == fd; });
}

void Monitor::forwardConsoleOutput()
{
    char buf[8192];
    ssize_t n = read(m_consoleMaster.get(), buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) { // EIO: every holder of the pty's slave has closed it
        m_consoleMaster.reset();
        return;
    }
    writeAll(m_state.detached ? m_logFd.get() : 1, buf, static_cast<size_t>(n));
    std::erase_if(m_clients, [&](const Client &client) {
        return !writeAll(client.fd.get(), buf, static_cast<size_t>(n));
    });
}

// The user's own terminal (a foreground run -t): raw keys.
void Monitor::forwardInput(int from)
{
    char buf[4096];
    ssize_t n = read(from, buf, sizeof buf);
    if (n > 0 && m_consoleMaster) {
        writeAll(m_consoleMaster.get(), buf, static_cast<size_t>(n));
        return;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    // The user's input ended: pass it on as end-of-file (^D) on the terminal, as
    // typing it would, and stop reading.
    m_stdinOpen = false;
    if (m_consoleMaster)
        writeAll(m_consoleMaster.get(), "\x04", 1);
}

void Monitor::acceptClient()
{
    Fd fd(accept4(m_listenFd.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!fd)
        return;
    Client client {std::move(fd), {}};
    client.frames.onInput = [this](std::string_view keys) {
        if (m_consoleMaster)
            writeAll(m_consoleMaster.get(), keys.data(), keys.size());
    };
    // The pty's size is the attached window's: busybox's sh and vi wrap at it.
    client.frames.onWindowSize = [this](attach::WindowSize size) {
        if (m_consoleMaster)
            setWindowSize(m_consoleMaster.get(), size.rows, size.cols);
    };
    m_clients.push_back(std::move(client));
}

// A client of attach.sock: frames (attachframe.h); a malformed stream or its end
// drops the client, the container goes on.
void Monitor::readClient(int fd)
{
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    auto it = std::find_if(m_clients.begin(), m_clients.end(), [fd](const Client &c) { return c.fd.get() == fd; });
    if (it == m_clients.end())
        return;
    if (n <= 0 || !it->frames.feed(std::string_view(buf, static_cast<size_t>(n))))
        dropClient(fd);
}

void Monitor::handleSignals()
{
    bool interactive = m_config.stdio == StdioMode::Terminal && !m_state.detached;
    signalfd_siginfo info {};
    while (read(m_signalFd.get(), &info, sizeof info) == sizeof info) {
        int sig = static_cast<int>(info.ssi_signo);
        if (sig == SIGWINCH && m_consoleMaster && interactive)
            copyWindowSize(0, m_consoleMaster.get());
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
    std::vector<pollfd> fds = {{m_signalFd.get(), POLLIN, 0},
                               {m_consoleMaster.get(), POLLIN, 0},
                               {interactive && m_stdinOpen ? 0 : -1, POLLIN, 0},
                               {m_listenFd.get(), POLLIN, 0}};
    for (const Client &client : m_clients)
        fds.push_back({client.fd.get(), POLLIN, 0});
    if (poll(fds.data(), fds.size(), timeoutMs) <= 0)
        return;
    if (fds[1].revents)
        forwardConsoleOutput();
    if (fds[2].revents)
        forwardInput(0);
    if (fds[3].revents & POLLIN)
        acceptClient();
    for (size_t i = 4; i < fds.size(); ++i) {
        if (fds[i].revents)
            readClient(fds[i].fd);
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
    writeTrace();
    bool interactive = m_config.stdio == StdioMode::Terminal && !m_state.detached && m_consoleMaster;
    RawTerminal raw(interactive);
    if (interactive)
        copyWindowSize(0, m_consoleMaster.get());
    while (!m_initExited)
        relayOnce(-1);
    // Drain what the container wrote last, then everything its init left behind.
    for (;;) {
        pollfd p {m_consoleMaster.get(), POLLIN, 0};
        if (!m_consoleMaster || poll(&p, 1, 0) <= 0)
            break;
        forwardConsoleOutput();
    }
    m_clients.clear();
    stopUserModeNetwork();
    recordExit(m_initStatus, !removeWhenDone);
    if (m_cgroup)
        m_cgroup->destroy();
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    if (removeWhenDone) {
        m_resources.releaseAll();
        removeTree(m_config.stateDir);
        runPoststopHooks(m_config.spec.hooks, m_state, m_warn);
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
