#include "runtime.h"
#include "seccompfilter.h"

#include "cgroups/cgroups.h"
#include "cgroups/delegation.h"
#include "error.h"
#include "hooks.h"
#include "journal.h"
#include "monitor.h"
#include "net/slirp.h"
#include "netresources.h"
#include "procfs.h"
#include "statedir.h"
#include "trace.h"
#include "sys/fd.h"
#include "sys/fileio.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include <cerrno>
#include <cstdint>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace hood {

struct Runtime::Prepared {
    LaunchConfig config;
    ContainerState state;
};

namespace {

// A layer's directory, absolute (relative paths are relative to the bundle).
std::string absoluteRootfs(const std::string &path, const std::string &bundle)
{
    std::string abs = path[0] == '/' ? path : bundle + "/" + path;
    struct stat st {};
    if (stat(abs.c_str(), &st) < 0)
        throw Error::sys("rootfs", abs, errno);
    if (!S_ISDIR(st.st_mode))
        throw Error("rootfs " + abs + " is not a directory");
    auto close = [](DIR *d) { closedir(d); }; // (a lambda: closedir's attributes do not fit a template argument)
    std::unique_ptr<DIR, decltype(close)> dir(opendir(abs.c_str()), close);
    int entries = 0;
    while (dir && readdir(dir.get()))
        ++entries;
    if (entries <= 2)
        throw Error("rootfs " + abs + " is empty: there is no filesystem to run a command in");
    return abs;
}

// Rootless: a user namespace that maps the caller to root inside, as udocker and
// podman do. Root asking for --rootless gets root inside mapped to nobody outside.
void addUserNamespace(Spec &spec, LaunchConfig &config, bool asRoot)
{
    if (!spec.hasNamespace(NsKind::User))
        spec.setNamespace(NsKind::User, true);
    config.userNamespace = !spec.namespaceSetting(NsKind::User)->path.size();
    if (!config.userNamespace || !spec.uidMappings.empty())
        return;
    uint32_t uid = asRoot ? 65534 : geteuid();
    uint32_t gid = asRoot ? 65534 : getegid();
    spec.uidMappings = {{0, uid, 1}};
    spec.gidMappings = {{0, gid, 1}};
    // An unprivileged user may map only its own gid, and only with setgroups off.
    config.setgroupsDenied = !asRoot;
    spec.process.additionalGids.clear();
}

bool gidMapped(const std::vector<IdMapping> &maps, uint32_t gid)
{
    for (const IdMapping &m : maps) {
        if (gid >= m.containerID && gid - m.containerID < m.size)
            return true;
    }
    return false;
}

// devpts' gid=5 (tty) cannot be given when gid 5 is not mapped (rootless); runc's
// rootless spec drops it the same way.
void dropUnmappedDevptsGid(Spec &spec)
{
    for (Mount &m : spec.mounts) {
        if (m.type != "devpts")
            continue;
        std::erase_if(m.options, [&](const std::string &o) {
            return o.rfind("gid=", 0) == 0 && !gidMapped(spec.gidMappings, static_cast<uint32_t>(atoi(o.c_str() + 4)));
        });
    }
}

// Rootless, a cgroup of its own is made in the cgroup v2 subtree delegated to
// the caller (podman's way on a systemd desktop): its base, or empty when there
// is none and no limit needs it. Throws the reason when limits were asked for.
std::string rootlessCgroupBase(const Resources &resources)
{
    CgroupDelegation delegation = detectDelegation();
    if (!delegation.delegated()) {
        if (resources.empty())
            return {};
        throw Error("memory, CPU and pids limits need a cgroup of Hood's own, and without root "
                    "that takes a cgroup v2 subtree delegated to uid " + std::to_string(geteuid())
                    + ", which this machine has not: " + delegation.why
                    + "; run it with sudo, or without limits");
    }
    std::vector<std::string> missing = missingControllers(delegation, resources);
    if (!missing.empty())
        throw Error("the " + missing.front() + " controller is not delegated to uid "
                    + std::to_string(geteuid()) + " (" + delegation.why + "): run it with sudo, "
                      "or have systemd delegate it (systemctl edit user@.service, "
                      "[Service] Delegate=cpu memory pids)");
    return delegation.base;
}

} // namespace

void writePidFile(const std::string &path, pid_t pid)
{
    if (path.empty())
        return;
    try {
        replaceFile(path, std::to_string(pid), 0644);
    } catch (const Error &e) {
        throw Error("write pid file " + path + ": " + e.what(), e.code());
    }
}

namespace {

// The rootfs provider: the layers the container's root is made of. A bundle's
// root.path is used as it is (runc's way); the built-in image and the store's
// images get a writable layer on top.
RootfsLayers rootfsLayers(const RunRequest &r)
{
    RootfsLayers layers;
    if (r.lowers.empty()) {
        layers.lowers = {absoluteRootfs(r.spec.root.path, r.bundle)};
    } else {
        for (const std::string &lower : r.lowers) {
            layers.lowers.push_back(absoluteRootfs(lower, r.bundle));
        }
    }
    if (r.ephemeralOverlay || r.lowers.size() > 1)
        layers.upper = RootfsLayers::Upper::Scratch;
    if (!r.upperDir.empty()) {
        layers.upper = RootfsLayers::Upper::Persistent;
        layers.upperDir = r.upperDir;
        layers.workDir = r.workDir;
    }
    layers.userXattr = layers.overlay() && geteuid() != 0;
    return layers;
}

// Closes every fd from 3 up except keep.
void closeAllBut(int keep)
{
    if (keep > 3)
        syscall(SYS_close_range, 3U, static_cast<unsigned>(keep - 1), 0U);
    syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0U, 0U);
}

// Waits for a process that is not our child to end, through a pidfd.
bool waitForExit(pid_t pid, uint64_t startTime, int timeoutMs)
{
    Fd fd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
    if (!fd || !processAlive(pid, startTime))
        return !processAlive(pid, startTime);
    pollfd p {fd.get(), POLLIN, 0};
    return poll(&p, 1, timeoutMs) > 0;
}

// docker's default is bridge; Hood's is bridge as root on the system's state root,
// and slirp4netns (when installed) for a user on their own default state root, as
// rootless podman does. A private state root (--root, HOOD_ROOT: tests, other
// sandboxes) defaults to none, so that nothing changes the machine's network or
// starts a helper unless it is asked for; so does --rootless as root.
net::Mode defaultNetworkMode(bool bridgeAllowed, const std::string &root, bool asRoot)
{
    const char *env = getenv("HOOD_ROOT");
    if (env && *env)
        return net::Mode::None;
    if (bridgeAllowed && root == "/run/hood")
        return net::Mode::Bridge;
    if (!asRoot && root == defaultStateRoot() && net::findTool("slirp4netns"))
        return net::Mode::Slirp4netns;
    return net::Mode::None;
}

// The host pids in the container's cgroups (cgroup.procs of each hierarchy, once each).
std::vector<pid_t> cgroupPids(const ContainerState &s)
{
    std::vector<pid_t> pids;
    for (const std::string &dir : s.cgroupPaths) {
        std::string text;
        if (readFileNoThrow(dir + "/cgroup.procs", text) != 0)
            continue;
        size_t pos = 0;
        while (pos < text.size()) {
            size_t end = text.find('\n', pos);
            if (end == std::string::npos)
                end = text.size();
            pid_t pid = static_cast<pid_t>(atoi(text.c_str() + pos));
            if (pid > 0 && std::find(pids.begin(), pids.end(), pid) == pids.end())
                pids.push_back(pid);
            pos = end + 1;
        }
    }
    return pids;
}

// The spec a container was started with (<state>/config.json, as the monitor wrote
// it); a default one when it cannot be read, so that delete still works.
Spec specAsRun(const std::string &dir)
{
    try {
        return parseSpec(readFile(dir + "/config.json"), dir + "/config.json").spec;
    } catch (const Error &) {
        return {};
    }
}

} // namespace

void sendConsole(const std::string &path, int master)
{
    sockaddr_un addr {};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path)
        throw Error("console socket path " + path + " is too long for a unix socket");
    memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    Fd sock(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!sock || connect(sock.get(), reinterpret_cast<sockaddr *>(&addr), sizeof addr) < 0)
        throw Error::sys("connect to console socket", path, errno);
    char name[] = "/dev/ptmx";
    iovec iov {name, sizeof name - 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] {};
    msghdr m {};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &master, sizeof(int));
    if (sendmsg(sock.get(), &m, MSG_NOSIGNAL) < 0)
        throw Error::sys("send the terminal to console socket", path, errno);
}

Runtime::Runtime(std::string root, WarnFn warn)
    : m_root(root.empty() ? defaultStateRoot() : std::move(root)), m_warn(std::move(warn))
{
    if (!m_warn)
        m_warn = [](const std::string &) {};
    registerNetworkResources(); // before any journal is read or written
}

// --network: the spec's network namespace for each mode, and the checks that need
// the machine (root for a bridge, a running container to share with).
void Runtime::applyNetwork(RunRequest &r, LaunchConfig &c, bool asRoot) const
{
    if (!r.network)
        return;
    net::NetworkOptions &n = *r.network;
    // --no-ns net without --network: the host's network, as before networking came
    // (a spec without a network namespace shares the caller's).
    if (!n.mode && !r.spec.hasNamespace(NsKind::Network))
        n.mode = net::Mode::Host;
    if (!n.mode)
        n.mode = defaultNetworkMode(asRoot && !r.rootless, m_root, asRoot);
    switch (*n.mode) {
    case net::Mode::Bridge:
        if (!asRoot)
            throw Error(std::string("--network bridge needs root: the bridge and veth pairs are made on the host "
                                    "(without root: --network none")
                        + (net::findTool("slirp4netns") ? ", or --network slirp4netns, which is installed" : "") + ")");
        r.spec.setNamespace(NsKind::Network, true);
        break;
    case net::Mode::Slirp4netns:
        if (!net::findTool("slirp4netns"))
            throw Error("--network slirp4netns: slirp4netns is not installed (Debian package slirp4netns); "
                        "use --network none");
        r.spec.setNamespace(NsKind::Network, true);
        break;
    case net::Mode::Host:
        r.spec.setNamespace(NsKind::Network, false);
        break;
    case net::Mode::Container: {
        ContainerInfo other = info(n.container);
        if (other.status != Status::Running)
            throw Error("--network container:" + n.container + ": that container is not running");
        r.spec.setNamespace(NsKind::Network, false);
        r.spec.namespaces.push_back({NsKind::Network, "/proc/" + std::to_string(other.state.pid) + "/ns/net"});
        break;
    }
    case net::Mode::None:
        r.spec.setNamespace(NsKind::Network, true);
        break;
    }
    c.network = n;
}

Runtime::Prepared Runtime::prepare(RunRequest &r, bool detached, bool waitForStart) const
{
    Prepared p;
    if (r.id.empty())
        r.id = generateId();
    validateId(r.id);
    bool asRoot = geteuid() == 0;
    if (!asRoot || r.rootless) {
        addUserNamespace(r.spec, p.config, asRoot);
    } else if (const NamespaceSetting *user = r.spec.namespaceSetting(NsKind::User);
               user && user->path.empty()) {
        p.config.userNamespace = true;
        // Root asked for a user namespace and gave no mapping: the identity map, as
        // `unshare --user --map-root-user` does for root.
        if (r.spec.uidMappings.empty()) {
            r.spec.uidMappings = {{0, 0, UINT32_MAX}};
            r.spec.gidMappings = {{0, 0, UINT32_MAX}};
        }
    }
    if (p.config.userNamespace)
        dropUnmappedDevptsGid(r.spec);
    applyNetwork(r, p.config, asRoot);
    validateSpec(r.spec, r.specSource);
    if (!r.spec.hasNamespace(NsKind::Mount))
        throw Error("the mount namespace cannot be turned off: the container's root filesystem "
                    "and its /proc are set up in it");
    if (!asRoot)
        p.config.cgroupBase = rootlessCgroupBase(r.spec.resources);
    p.config.useCgroup = asRoot || !p.config.cgroupBase.empty();
    ensureStateRoot(m_root);
    LaunchConfig &c = p.config;
    c.id = r.id;
    c.stateDir = containerDir(r.id);
    c.bundle = r.bundle;
    c.layers = rootfsLayers(r);
    c.useChroot = r.useChroot;
    c.waitForStart = waitForStart;
    c.detached = detached;
    c.stdio = r.spec.process.terminal ? StdioMode::Terminal : detached ? StdioMode::Log : StdioMode::Inherit;
    c.spec = r.spec;
    if (r.spec.seccomp)
        c.seccompProgram = cachedSeccompProgram(*r.spec.seccomp, m_root + "/#seccomp");
    ContainerState &s = p.state;
    s.id = r.id;
    s.bundle = r.bundle;
    s.rootfs = c.layers.lowers.front();
    s.image = r.image;
    s.imageId = r.imageId;
    if (!r.lowers.empty())
        s.lowers = c.layers.lowers;
    s.upperDir = c.layers.upperDir;
    s.command = r.spec.process.args;
    s.detached = detached;
    s.terminal = r.spec.process.terminal;
    s.rootless = c.userNamespace && !asRoot;
    s.memoryLimit = r.spec.resources.memoryLimit;
    return p;
}

int Runtime::run(RunRequest request, std::string *sentence, trace::Trace *startTrace)
{
    Prepared p = prepare(request, false, false);
    Monitor monitor(std::move(p.config), std::move(p.state), m_warn);
    monitor.launch();
    writePidFile(request.pidFile, monitor.state().pid);
    if (startTrace)
        *startTrace = monitor.startTrace();
    int status = monitor.supervise(true);
    if (sentence)
        *sentence = monitor.exitSentence();
    return status;
}

std::string Runtime::spawn(RunRequest request, bool waitForStart)
{
    Prepared p = prepare(request, true, waitForStart);
    FdPair report = makePipe();
    pid_t first = fork();
    if (first < 0)
        throw Error::sys("fork", "monitor", errno);
    if (first == 0) {
        // Double fork + setsid: the monitor belongs to no terminal and no caller.
        report.first.reset();
        setsid();
        if (fork() != 0)
            _exit(0);
        Fd null(open("/dev/null", O_RDWR | O_CLOEXEC));
        for (int target = 0; target < 3 && null; ++target)
            dup2(null.get(), target);
        null.reset();
        // The monitor may live for days: it keeps none of its caller's fds (a test
        // runner's log, a shell's pipe, a flock held by the caller's caller).
        closeAllBut(report.second.get());
        auto say = [&](char kind, const std::string &text) {
            std::string line = std::string(1, kind) + text + "\n";
            writeAll(report.second.get(), line.data(), line.size());
        };
        try {
            Monitor monitor(std::move(p.config), std::move(p.state),
                            [&](const std::string &w) { say('W', w); });
            monitor.launch();
            writePidFile(request.pidFile, monitor.state().pid);
            say('K', "");
            report.second.reset();
            monitor.supervise(false);
        } catch (const Error &e) {
            say('E', std::to_string(e.code()) + " " + e.what());
        } catch (const std::exception &e) {
            say('E', std::string("0 ") + e.what());
        }
        _exit(0);
    }
    report.second.reset();
    waitpid(first, nullptr, 0);
    // Read line by line and stop at the verdict: a created container's init still
    // holds a copy of the pipe (it has not exec'd yet), so end-of-file may never come.
    std::string error = "the container's monitor ended without a word";
    std::string pending;
    char buf[4096];
    ssize_t n;
    while ((n = read(report.first.get(), buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
        pending.append(buf, n > 0 ? static_cast<size_t>(n) : 0);
        size_t end;
        while ((end = pending.find('\n')) != std::string::npos) {
            std::string line = pending.substr(0, end);
            pending.erase(0, end + 1);
            if (line[0] == 'W') {
                m_warn(line.substr(1));
            } else if (line[0] == 'K') {
                return request.id;
            } else {
                size_t space = line.find(' ');
                throw Error(line.substr(space + 1), atoi(line.c_str() + 1)); // "E<errno> <sentence>"
            }
        }
    }
    throw Error(error);
}

void Runtime::create(RunRequest request, const CreateOptions &options)
{
    Prepared p = prepare(request, false, true);
    p.config.direct = true;
    p.config.preserveFds = options.preserveFds;
    if (p.config.spec.process.terminal && options.consoleSocket.empty())
        throw Error("process.terminal is true: give --console-socket, where the terminal's master goes "
                    "(runc's rule; without a terminal, create's stdio is the container's)");
    Monitor creator(std::move(p.config), std::move(p.state), m_warn);
    creator.launch();
    if (!options.consoleSocket.empty()) {
        Fd master = creator.takeConsole();
        if (!master)
            throw Error("the container's init sent no terminal for " + options.consoleSocket);
        sendConsole(options.consoleSocket, master.get());
    }
    writePidFile(request.pidFile, creator.state().pid);
}

ContainerInfo Runtime::info(const std::string &id) const
{
    validateId(id);
    std::string dir = containerDir(id);
    struct stat st {};
    if (stat(dir.c_str(), &st) < 0)
        throw NoSuchContainer(id);
    ContainerInfo info {loadState(dir), Status::Stopped};
    info.status = currentStatus(dir, info.state);
    return info;
}

// The container's lock, or "does not exist" when it was deleted meanwhile.
Fd Runtime::lock(const std::string &id) const
{
    validateId(id);
    Fd held = lockStateDir(containerDir(id));
    if (!held)
        throw NoSuchContainer(id);
    return held;
}

void Runtime::start(const std::string &id)
{
    Fd held = lock(id);
    ContainerInfo i = info(id);
    if (i.status != Status::Created)
        throw Error("container \"" + id + "\" cannot be started: it is " + statusName(i.status)
                    + ", not created");
    std::string fifo = containerDir(id) + "/exec.fifo";
    Fd fd(open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd)
        throw Error::sys("open", fifo, errno);
    pollfd p {fd.get(), POLLIN, 0};
    char byte = 0;
    bool ok = poll(&p, 1, 10000) > 0 && read(fd.get(), &byte, 1) == 1;
    fd.reset();
    unlink(fifo.c_str());
    if (!ok)
        throw Error("container \"" + id + "\" did not start: its init is not waiting any more");
    const Hooks hooks = specAsRun(containerDir(id)).hooks;
    try {
        // "created", as runc's poststart reads it (its state still sees the fifo then).
        runHooks("poststart", hooks.poststart, hookState(id, "created", i.state.pid, i.state.bundle));
    } catch (const Error &) {
        ::kill(i.state.pid, SIGKILL); // runc's rule: a failed poststart ends the container
        throw;
    }
}

void Runtime::kill(const std::string &id, int sig, bool all)
{
    ContainerInfo i = info(id);
    if (all) {
        for (pid_t pid : cgroupPids(i.state))
            ::kill(pid, sig);
        if (i.status == Status::Stopped)
            return;
    }
    if (i.status == Status::Stopped)
        throw Error("container \"" + id + "\" is not running");
    check(::kill(i.state.pid, sig), "kill", "container " + id);
}

void Runtime::pause(const std::string &id)
{
    ContainerInfo i = info(id);
    if (i.status != Status::Running)
        throw Error("container \"" + id + "\" cannot be paused: it is " + statusName(i.status) + ", not running");
    freezeCgroup(i.state.cgroupPaths, true);
}

void Runtime::resume(const std::string &id)
{
    ContainerInfo i = info(id);
    if (i.status != Status::Paused)
        throw Error("container \"" + id + "\" cannot be resumed: it is " + statusName(i.status) + ", not paused");
    freezeCgroup(i.state.cgroupPaths, false);
}

void Runtime::update(const std::string &id, const Resources &resources)
{
    Fd held = lock(id);
    ContainerInfo i = info(id);
    if (i.status == Status::Stopped)
        throw Error("container \"" + id + "\" cannot be updated: it is stopped");
    if (i.state.cgroupPaths.empty())
        throw Error("container \"" + id + "\" has no cgroup of its own (rootless without a delegated "
                    "subtree), so it has no limits to update");
    // The manager that made the cgroup, rebuilt from what made it.
    const Spec spec = specAsRun(containerDir(id));
    CgroupOptions options;
    options.name = id;
    options.path = spec.cgroupsPath;
    options.devices = !spec.resources.devices.empty();
    if (geteuid() != 0)
        options.base = detectDelegation().base;
    std::unique_ptr<CgroupManager> cgroup = makeCgroupManager(options);
    if (cgroup->paths() != i.state.cgroupPaths)
        throw Error("container \"" + id + "\": its cgroup " + i.state.cgroupPaths.front()
                    + " is not where this hoodctl finds it (" + cgroup->paths().front()
                    + "; a relative cgroupsPath is read from the caller's own cgroup)");
    Resources limits = resources;
    limits.devices.clear();
    cgroup->apply(limits);
    if (resources.memoryLimit) {
        i.state.memoryLimit = resources.memoryLimit;
        saveState(containerDir(id), i.state);
    }
}

void Runtime::waitForMonitorExit(const ContainerState &s, int timeoutMs) const
{
    waitForExit(s.monitorPid, s.monitorStartTime, timeoutMs);
}

void Runtime::stop(const std::string &id, int graceSeconds)
{
    Fd held = lock(id);
    ContainerInfo i = info(id);
    if (i.status == Status::Stopped)
        return;
    ::kill(i.state.pid, SIGTERM);
    // A frozen task neither handles SIGTERM nor dies of SIGKILL: with the signal
    // pending, the freezer lets go, so it never runs a moment without it (docker stop
    // of a paused container does the same). Found by tst_hardening::stopPaused.
    if (i.status == Status::Paused)
        freezeCgroup(i.state.cgroupPaths, false);
    if (!waitForExit(i.state.pid, i.state.pidStartTime, graceSeconds * 1000))
        ::kill(i.state.pid, SIGKILL);
    waitForExit(i.state.pid, i.state.pidStartTime, 5000);
    waitForMonitorExit(i.state, 5000);
}

void Runtime::remove(const std::string &id, bool force)
{
    trace::begin("delete"); // its undo steps are trace steps: the kill-at-every-step hook counts them
    Fd held = lock(id);
    ContainerInfo i = info(id);
    if ((i.status == Status::Running || i.status == Status::Paused) && !force)
        throw Error("container \"" + id + "\" is running: stop it first, or use delete --force");
    if (i.status == Status::Paused)
        freezeCgroup(i.state.cgroupPaths, false); // a frozen task does not die of SIGKILL
    if (i.status != Status::Stopped) {
        ::kill(i.state.pid, SIGKILL);
        waitForExit(i.state.pid, i.state.pidStartTime, 5000);
    }
    // Without a pid namespace the init's end leaves the others running (runc's
    // delete --force kills them too).
    for (pid_t pid : cgroupPids(i.state))
        ::kill(pid, SIGKILL);
    waitForMonitorExit(i.state, 5000);
    std::string dir = containerDir(id);
    const Hooks hooks = specAsRun(dir).hooks;
    std::vector<std::string> left = replayJournal(readJournal(dir + "/journal"));
    std::string why;
    if (!removeTree(dir, &why))
        left.push_back(why);
    runPoststopHooks(hooks, i.state, m_warn);
    if (!left.empty())
        throw Error("container \"" + id + "\" was not removed completely: " + left.front());
}

std::vector<pid_t> Runtime::pids(const std::string &id) const
{
    ContainerInfo i = info(id);
    std::vector<pid_t> all = cgroupPids(i.state);
    if (all.empty() && i.status != Status::Stopped)
        all.push_back(i.state.pid); // no cgroup of its own (rootless without delegation)
    return all;
}

std::vector<ContainerInfo> Runtime::list() const
{
    std::vector<ContainerInfo> out;
    for (const std::string &id : listContainerIds(m_root)) {
        try {
            out.push_back(info(id));
        } catch (const Error &) {
            // being created or removed right now
        }
    }
    return out;
}

GcReport Runtime::gc()
{
    GcReport report;
    // Half-made state directories of monitors that died before naming them: they
    // hold no journal yet, so the directory is all there is to remove.
    for (const auto &[name, monitor] : listNewStateDirs(m_root)) {
        std::string why;
        if (!processAlive(monitor, 0) && !removeTree(m_root + "/" + name, &why))
            report.problems.push_back(name + ": " + why);
    }
    for (const std::string &id : listContainerIds(m_root)) {
        std::string dir = containerDir(id);
        ContainerState s;
        try {
            s = loadState(dir);
        } catch (const Error &) {
            struct stat st {};
            // No state yet: a container still being created, unless it is old.
            if (stat(dir.c_str(), &st) < 0 || time(nullptr) - st.st_mtime < 30)
                continue;
        }
        if (processAlive(s.monitorPid, s.monitorStartTime))
            continue;
        // runc mode: the client that made it (conmon, a shim) owns a live one and deletes it.
        if (s.direct && processAlive(s.pid, s.pidStartTime))
            continue;
        Fd held = lockStateDir(dir, false);
        if (!held)
            continue; // a hoodctl is working on it right now (or just removed it)
        if (processAlive(s.pid, s.pidStartTime))
            ::kill(s.pid, SIGKILL);
        std::vector<std::string> left = replayJournal(readJournal(dir + "/journal"));
        // The journal stays until everything in it is gone, so the next gc retries
        // what this one could not remove (a cgroup whose last task is still exiting).
        std::string why;
        if (left.empty() && !removeTree(dir, &why))
            left.push_back(why);
        if (left.empty())
            report.removed.push_back(id);
        for (const std::string &l : left)
            report.problems.push_back(id + ": " + l);
    }
    return report;
}

} // namespace hood
