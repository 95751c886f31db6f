// The container's init: what runs between clone and exec. It is kept small and in
// one straight line, so that the order of privileged steps can be read and audited:
//   wait for the monitor -> namespaces -> root filesystem -> switch root -> terminal
//   -> hostname, loopback -> finishProcess (rlimits, cwd, executable, (wait for
//   start), capabilities and user, no_new_privs, seccomp, exec)
// Every privileged call goes through privops.h and is a step of the start-up trace.
#include "launch.h"

#include "channel.h"
#include "error.h"
#include "hooks.h"
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
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
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

// /etc/hosts, /etc/hostname and /etc/resolv.conf from the state directory, bound
// as docker binds them: the monitor rewrites hosts in place when a peer comes or
// goes. A missing target is made (in the overlay's upper layer for an image).
void bindNetworkFiles(const LaunchConfig &c, const std::string &rootfs)
{
    const std::string etc = rootfs + "/etc";
    struct stat dir {};
    if (lstat(etc.c_str(), &dir) == 0 && !S_ISDIR(dir.st_mode))
        throw Error("rootfs: /etc is not a directory; refusing to bind the network files into it "
                    "(a symlink there would point the mounts outside the container)");
    if (mkdir(etc.c_str(), 0755) < 0 && errno != EEXIST)
        throw Error::sys("mkdir", etc, errno);
    for (const char *name : {"hosts", "hostname", "resolv.conf"}) {
        const std::string target = etc + "/" + name;
        struct stat st {};
        if (lstat(target.c_str(), &st) < 0 || !S_ISREG(st.st_mode)) {
            unlink(target.c_str()); // a dangling symlink (resolv.conf -> /run/...) goes
            Fd made(open(target.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
            if (!made)
                throw Error::sys("create", target, errno);
        }
        priv::mount(c.stateDir + "/" + name, target, nullptr, MS_BIND, "");
    }
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
    if (c.networkFiles)
        bindNetworkFiles(c, rootfs);
    return merged;
}

// The mounts are made and the old root is still in sight (runc's point): the
// monitor runs prestart and createRuntime in its namespaces, then this process
// runs createContainer in the container's.
void runCreateHooks(const LaunchConfig &c, int sock)
{
    const Hooks &hooks = c.spec.hooks;
    if (!hooks.prestart.empty() || !hooks.createRuntime.empty()) {
        sendMessage(sock, msg::Hooks, "");
        std::string reply;
        if (receiveMessage(sock, reply, nullptr) <= 0 || reply[0] != msg::HooksDone)
            _exit(125); // the monitor failed (and says why) or is gone
    }
    runHooks("createContainer", hooks.createContainer, hookState(c.id, "creating", getpid(), c.bundle));
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
    Fd fifo(c.execFifoFd); // the monitor's O_PATH fd, our copy (launch.h)
    redirectToLog(c);
    MergedRoot rootfs = prepareRootfs(c, sock, go);
    runCreateHooks(c, sock);
    c.useChroot ? chrootInto(rootfs.path) : pivotInto(rootfs.path);
    rootfs.root.reset();
    go = {};
    // Before the read-only paths: podman and Docker list /proc/sys among them.
    for (const auto &[key, value] : spec.sysctl)
        priv::writeSysctl(key, value);
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
    if (c.attachment.bridged())
        priv::configureEth0(c.attachment.address, c.attachment.prefix, c.attachment.gateway);
    FinishSteps steps;
    steps.setgroupsDenied = c.setgroupsDenied;
    steps.warn = [&](const std::string &w) {
        if (!started)
            warnToMonitor(w, &sock);
    };
    steps.beforeUserSwitch = [&] {
        if (c.waitForStart) {
            sendTrace(sock); // `create` ends here: the steps so far are the start-up
            // runc mode: the caller of `create` exits now, and the init lives on
            // under the caller's subreaper.
            if (c.direct)
                check(prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0), "clear parent death signal", "");
            sendMessage(sock, msg::Ready, "");
            waitForStart(fifo);
            fifo.reset();
            started = true;
        }
        // In the container, as its root and before capabilities are dropped (runc runs
        // them a step later, as the process's user); the process's environment is the
        // default, as runc gives it.
        runHooks("startContainer", spec.hooks.startContainer,
                 hookState(c.id, "created", getpid(), c.bundle), spec.process.env);
    };
    if (!c.direct)
        steps.dieWithParent = [&] { dieWithParent(monitor); };
    steps.preserveFds = c.preserveFds;
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
