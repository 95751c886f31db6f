// The container's init: what runs between clone and exec. It is kept small and in
// one straight line, so that the order of privileged steps can be read and audited:
//   wait for the monitor -> namespaces -> root filesystem -> switch root -> terminal
//   -> hostname, loopback -> finishProcess (rlimits, cwd, executable, (wait for
//   start), capabilities and user, no_new_privs, seccomp, exec)
// Every privileged call goes through privops.h and is a step of the start-up trace.
#include "launch.h"

#include "channel.h"
#include "error.h"
#include "privops.h"
#include "process.h"
#include "rootfs.h"
#include "sys/fd.h"
#include "terminal.h"
#include "trace.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hood {

namespace {

void warnToMonitor(const std::string &sentence, void *ctx)
{
    sendMessage(*static_cast<int *>(ctx), msg::Warning, sentence);
}

// What the monitor sends before Go: the lower layers' fds (user namespace only),
// then the scratch directory's fd with Go itself.
struct GoMessage {
    std::vector<Fd> lowers;
    Fd scratch;
};

GoMessage waitForGo(int sock)
{
    GoMessage go;
    for (;;) {
        std::string message;
        int fd = -1;
        if (receiveMessage(sock, message, &fd) <= 0
            || (message[0] != msg::Go && message[0] != msg::Lower))
            _exit(125); // the monitor is gone: nothing to report to
        if (message[0] == msg::Go) {
            go.scratch.reset(fd);
            return go;
        }
        go.lowers.emplace_back(fd);
    }
}

// Moves this (single-threaded) process into its cgroup, while the monitor is
// still busy with the rest: see CgroupManager::selfJoinFiles() for why.
void joinCgroupSelf(const std::vector<std::string> &files)
{
    for (const std::string &file : files) {
        Fd fd(open(file.c_str(), O_WRONLY | O_CLOEXEC));
        if (!fd)
            throw Error::sys("join cgroup", file, errno);
        priv::joinCgroup(fd.get(), file);
    }
}

// The spec's namespaces given by path; pid is joined by the monitor before clone
// (it applies to children only).
void joinSpecNamespaces(const Spec &spec)
{
    std::vector<Fd> fds;
    std::vector<NamespaceFd> join;
    for (const NamespaceSetting &ns : spec.namespaces) {
        if (ns.path.empty() || ns.kind == NsKind::Pid)
            continue;
        fds.emplace_back(open(ns.path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fds.back())
            throw Error::sys("open namespace", ns.path, errno);
        join.push_back({ns.kind, fds.back().get(), ns.path});
    }
    joinNamespaces(join);
}

void unshareCgroupNamespace(const Spec &spec)
{
    const NamespaceSetting *ns = spec.namespaceSetting(NsKind::Cgroup);
    // Unshared here, after the monitor moved us into our cgroup, so that the
    // namespace's root is the container's cgroup (runc does the same).
    if (ns && ns->path.empty())
        priv::unshareCgroupNamespace();
}

MergedRoot prepareRootfs(const LaunchConfig &c, int &sock, const GoMessage &go)
{
    makeMountsPrivate();
    MergedRoot merged;
    std::string &rootfs = merged.path;
    if (c.layers.overlay()) {
        std::vector<int> lowerFds;
        for (const Fd &fd : go.lowers)
            lowerFds.push_back(fd.get());
        merged = mountOverlay(c.layers, lowerFds, go.scratch.get(), c.stateDir + "/rootfs");
    } else {
        rootfs = c.layers.lowers.front();
        bindRootfs(rootfs);
    }
    refuseSymlinkedSystemDirs(rootfs);
    mountSpecMounts(rootfs, c.spec.mounts, warnToMonitor, &sock);
    struct stat st {};
    if (stat((rootfs + "/dev").c_str(), &st) == 0)
        populateDev(rootfs);
    return merged;
}

void redirectToLog(const LaunchConfig &c)
{
    if (c.stdio != StdioMode::Log)
        return;
    Fd null(open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!null || dup2(null.get(), 0) < 0 || dup2(c.logFd, 1) < 0 || dup2(c.logFd, 2) < 0)
        throw Error::sys("redirect output to", c.stateDir + "/container.log", errno);
}

void waitForStart(const Fd &fifo)
{
    // Blocks until `hoodctl start` opens the fifo for reading (runc's exec.fifo).
    std::string self = "/proc/self/fd/" + std::to_string(fifo.get());
    Fd fd(open(self.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd)
        throw Error::sys("open", "exec.fifo", errno);
    char one = '0';
    if (write(fd.get(), &one, 1) != 1)
        throw Error::sys("write", "exec.fifo", errno);
}

void sendTrace(int sock)
{
    sendMessage(sock, msg::Trace, trace::toLines(trace::steps()));
}

void run(const LaunchConfig &c, int &sock, bool &started)
{
    const Spec &spec = c.spec;
    pid_t monitor = getppid(); // 0 inside a new pid namespace: the monitor is outside it
    // Die with the monitor during setup too; set again before exec, since the
    // credential changes on the way clear it.
    check(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), "set parent death signal", "");
    joinCgroupSelf(c.cgroupSelfJoin);
    GoMessage go = waitForGo(sock);
    if (c.userNamespace)
        priv::becomeRootInUserNamespace();
    joinSpecNamespaces(spec);
    unshareCgroupNamespace(spec);
    Fd fifo;
    if (c.waitForStart) {
        fifo.reset(open((c.stateDir + "/exec.fifo").c_str(), O_PATH | O_CLOEXEC));
        if (!fifo)
            throw Error::sys("open", c.stateDir + "/exec.fifo", errno);
    }
    redirectToLog(c);
    MergedRoot rootfs = prepareRootfs(c, sock, go);
    c.useChroot ? chrootInto(rootfs.path) : pivotInto(rootfs.path);
    rootfs.root.reset();
    go = {};
    maskPaths(spec.maskedPaths);
    readonlyPaths(spec.readonlyPaths);
    if (c.stdio == StdioMode::Terminal)
        attachNewTerminal(sock, msg::Console, true);
    else if (setsid() < 0) // its own session: the user's ^C reaches it once, through the monitor
        throw Error::sys("setsid", "container init", errno);
    if (spec.root.readonly)
        remountRootReadonly();
    if (!spec.hostname.empty())
        priv::sethostname(spec.hostname);
    if (const NamespaceSetting *net = spec.namespaceSetting(NsKind::Network); net && net->path.empty())
        priv::bringUpLoopback();
    FinishSteps steps;
    steps.setgroupsDenied = c.setgroupsDenied;
    steps.warn = [&](const std::string &w) {
        if (!started)
            warnToMonitor(w, &sock);
    };
    if (c.waitForStart)
        steps.beforeUserSwitch = [&] {
            sendTrace(sock); // `create` ends here: the steps so far are the start-up
            sendMessage(sock, msg::Ready, "");
            waitForStart(fifo);
            fifo.reset();
            started = true;
        };
    steps.dieWithParent = [&] { dieWithParent(monitor); };
    if (!c.waitForStart)
        steps.beforeExec = [&] { sendTrace(sock); };
    if (spec.seccomp) {
        steps.seccomp = &*spec.seccomp;
        if (!c.seccompProgram.empty())
            steps.seccompProgram = &c.seccompProgram;
    }
    finishProcess(spec.process, steps);
}

} // namespace

void containerInit(const LaunchConfig &config, int sock)
{
    // Our copy of the monitor's end would keep the socket open after a monitor
    // killed before PR_SET_PDEATHSIG took hold: the wait for Go would never see
    // end-of-file, and the init would wait for ever (found by tst_killsteps).
    if (config.monitorSock >= 0)
        close(config.monitorSock);
    bool started = false;
    try {
        sigset_t all;
        sigemptyset(&all);
        // The monitor blocks signals; we must not.
        check(sigprocmask(SIG_SETMASK, &all, nullptr), "unblock signals", "container init");
        run(config, sock, started);
    } catch (const Error &e) {
        sendMessage(sock, msg::Error, e.what());
        if (started) // after start, nobody waits on the socket: tell the container's stderr
            dprintf(2, "hood: %s\n", e.what());
        _exit(started ? 127 : 125);
    } catch (const std::exception &e) {
        sendMessage(sock, msg::Error, e.what());
        _exit(125);
    }
    _exit(125);
}

} // namespace hood
