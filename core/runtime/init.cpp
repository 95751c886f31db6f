// The container's init: what runs between clone and exec. It is kept small and in
// one straight line, so that the order of privileged steps can be read and audited:
//   wait for the monitor -> namespaces -> root filesystem -> switch root -> terminal
//   -> hostname, loopback, rlimits -> cwd, executable -> (wait for start) ->
//   capabilities and user -> no_new_privs -> exec
#include "launch.h"

#include "error.h"
#include "net/loopback.h"
#include "channel.h"
#include "process.h"
#include "rootfs.h"
#include "terminal.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <grp.h>
#include <functional>
#include <memory>
#include <sched.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

namespace hood {

namespace {

void warnToMonitor(const std::string &sentence, void *ctx)
{
    sendMessage(*static_cast<int *>(ctx), msg::Warning, sentence);
}

// Returns the scratch directory's fd for an ephemeral overlay, or -1; the image's
// fd, when the monitor sent one before Go, in *lowerFd.
int waitForGo(int sock, int *lowerFd)
{
    for (;;) {
        std::string message;
        int fd = -1;
        if (receiveMessage(sock, message, &fd) <= 0
            || (message[0] != msg::Go && message[0] != msg::Lower))
            _exit(125); // the monitor is gone: nothing to report to
        if (message[0] == msg::Go)
            return fd;
        *lowerFd = fd;
    }
}

// Moves this (single-threaded) process into its cgroup, while the monitor is
// still busy with the rest: see CgroupManager::selfJoinFiles() for why.
void joinCgroupSelf(const std::vector<std::string> &files)
{
    for (const std::string &file : files) {
        int fd = open(file.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "0", 1) != 1)
            throw Error::sys("join cgroup", file, errno);
        close(fd);
    }
}

void becomeRootInUserNamespace(const LaunchConfig &c)
{
    if (!c.userNamespace)
        return;
    // Safe: these ids are the ones the monitor just mapped; they only name root
    // inside this user namespace.
    check(setresgid(0, 0, 0), "setresgid", "0");
    check(setresuid(0, 0, 0), "setresuid", "0");
}

void joinNamespace(const NamespaceSetting &ns)
{
    int fd = open(ns.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error::sys("open namespace", ns.path, errno);
    if (setns(fd, nsInfo(ns.kind).cloneFlag) < 0)
        throw Error::sys("join " + std::string(nsInfo(ns.kind).ociName) + " namespace", ns.path, errno);
    close(fd);
}

// The user namespace first: joining the others needs privileges in their owner.
// A pid namespace is joined by the monitor before clone (it applies to children).
void joinNamespaces(const Spec &spec)
{
    if (const NamespaceSetting *user = spec.namespaceSetting(NsKind::User); user && !user->path.empty())
        joinNamespace(*user);
    for (const NamespaceSetting &ns : spec.namespaces) {
        if (!ns.path.empty() && ns.kind != NsKind::Pid && ns.kind != NsKind::User)
            joinNamespace(ns);
    }
}

void unshareCgroupNamespace(const Spec &spec)
{
    const NamespaceSetting *ns = spec.namespaceSetting(NsKind::Cgroup);
    // Unshared here, after the monitor moved us into our cgroup, so that the
    // namespace's root is the container's cgroup (runc does the same).
    if (ns && ns->path.empty())
        check(unshare(CLONE_NEWCGROUP), "unshare", "cgroup namespace");
}

std::string prepareRootfs(const LaunchConfig &c, int &sock, int scratchFd, int lowerFd)
{
    makeMountsPrivate();
    std::string rootfs = c.rootfs;
    if (c.ephemeralOverlay)
        rootfs = mountEphemeralOverlay(c.rootfs, lowerFd, scratchFd, c.stateDir + "/rootfs");
    else
        bindRootfs(rootfs);
    refuseSymlinkedSystemDirs(rootfs);
    mountSpecMounts(rootfs, c.spec.mounts, warnToMonitor, &sock);
    struct stat st {};
    if (stat((rootfs + "/dev").c_str(), &st) == 0)
        populateDev(rootfs);
    return rootfs;
}

void redirectToLog(const LaunchConfig &c)
{
    if (c.stdio != StdioMode::Log)
        return;
    int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) < 0 || dup2(c.logFd, 1) < 0 || dup2(c.logFd, 2) < 0)
        throw Error::sys("redirect output to", c.stateDir + "/container.log", errno);
    close(null);
}

// A pty from the container's own devpts instance (so `tty` names a device that
// exists inside); the master goes to the monitor, like runc's console socket.
void setupTerminal(int sock)
{
    Pty pty = openPty();
    int fd = open("/dev/console", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
        close(fd);
        check(mount(pty.name.c_str(), "/dev/console", nullptr, MS_BIND, nullptr), "bind console", pty.name);
    }
    sendMessage(sock, msg::Console, pty.name, pty.master);
    close(pty.master);
    becomeTerminalOf(pty.slave, pty.name);
}

void waitForStart(int fifo)
{
    // Blocks until `hoodctl start` opens the fifo for reading (runc's exec.fifo).
    std::string self = "/proc/self/fd/" + std::to_string(fifo);
    int fd = open(self.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error::sys("open", "exec.fifo", errno);
    char one = '0';
    if (write(fd, &one, 1) != 1)
        throw Error::sys("write", "exec.fifo", errno);
    close(fd);
    close(fifo);
}


void run(const LaunchConfig &c, int &sock, bool &started)
{
    const Spec &spec = c.spec;
    pid_t monitor = getppid(); // 0 inside a new pid namespace: the monitor is outside it
    // Die with the monitor during setup too; set again before exec, since the
    // credential changes on the way clear it.
    check(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), "set parent death signal", "");
    joinCgroupSelf(c.cgroupSelfJoin);
    int lowerFd = -1;
    int scratchFd = waitForGo(sock, &lowerFd);
    becomeRootInUserNamespace(c);
    joinNamespaces(spec);
    unshareCgroupNamespace(spec);
    int fifo = -1;
    if (c.waitForStart) {
        fifo = open((c.stateDir + "/exec.fifo").c_str(), O_PATH | O_CLOEXEC);
        if (fifo < 0)
            throw Error::sys("open", c.stateDir + "/exec.fifo", errno);
    }
    redirectToLog(c);
    std::string rootfs = prepareRootfs(c, sock, scratchFd, lowerFd);
    c.useChroot ? chrootInto(rootfs) : pivotInto(rootfs);
    maskPaths(spec.maskedPaths);
    readonlyPaths(spec.readonlyPaths);
    if (c.stdio == StdioMode::Terminal)
        setupTerminal(sock);
    else
        setsid(); // its own session: the user's ^C reaches it once, through the monitor
    if (spec.root.readonly)
        remountRootReadonly();
    if (!spec.hostname.empty())
        check(sethostname(spec.hostname.data(), spec.hostname.size()), "sethostname", spec.hostname);
    if (const NamespaceSetting *net = spec.namespaceSetting(NsKind::Network); net && net->path.empty())
        bringUpLoopback();
    applyRlimits(spec.process.rlimits);
    if (chdir(spec.process.cwd.c_str()) < 0)
        throw Error::sys("chdir to cwd", spec.process.cwd, errno);
    std::string exe = findExecutable(spec.process);
    if (c.waitForStart) {
        sendMessage(sock, msg::Ready, "");
        waitForStart(fifo);
        started = true;
    }
    switchUser(c.spec.process, c.setgroupsDenied, [&](const std::string &w) {
        if (!started)
            warnToMonitor(w, &sock);
    });
    if (spec.process.noNewPrivileges)
        check(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "set no_new_privs", "");
    dieWithParent(monitor);
    execProcess(spec.process, exe);
}

} // namespace

void containerInit(const LaunchConfig &config, int sock)
{
    bool started = false;
    try {
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, nullptr); // the monitor blocks signals; we must not
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
