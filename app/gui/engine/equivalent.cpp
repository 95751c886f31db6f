#include "equivalent.h"

#include "cgroups/cgroup_paths.h"

#include "controller.h"

#include "error.h"
#include "net/attachment.h"
#include "net/netcommands.h"
#include "runtime/state.h"
#include "spec/runoptions.h"
#include "spec/units.h"
#include "sys/fileio.h"

#include <QRegularExpression>
#include <QStringList>

namespace hood::gui {

namespace {

QString nameOrPlaceholder(const LaunchSettings &s)
{
    return s.name.isEmpty() ? QStringLiteral("demo") : s.name;
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

QStringList words(const std::vector<std::string> &list)
{
    QStringList out;
    for (const std::string &w : list)
        out << qs(w);
    return out;
}

} // namespace

QString shellQuote(const QString &word)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_@%+=:,./-]+$"));
    if (plain.match(word).hasMatch())
        return word;
    QString q = word;
    q.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return '\'' + q + '\'';
}

static QString joinQuoted(const QStringList &words)
{
    QStringList out;
    for (const QString &w : words)
        out << shellQuote(w);
    return out.join(' ');
}

RunOptions runOptionsOf(const LaunchSettings &s, const QString &rootfs)
{
    RunOptions o;
    o.id = nameOrPlaceholder(s).toStdString();
    o.rootfs = rootfs.toStdString();
    for (const QString &word : s.command)
        o.command.push_back(word.toStdString());
    o.hostname = s.hostname.toStdString();
    o.namespaces.emplace();
    for (const QString &name : s.namespaces) {
        if (const NsInfo *info = findNamespace(name.toStdString()))
            o.namespaces->push_back(info->kind);
    }
    // 0 is the launcher's "no limit".
    if (s.memory > 0)
        o.memory = s.memory;
    if (s.cpus > 0)
        o.cpus = s.cpus;
    if (s.pids > 0)
        o.pids = s.pids;
    o.terminal = s.terminal;
    o.rootless = s.rootless;
    if (!s.seccomp)
        o.seccomp = RunOptions::Seccomp::Unconfined;
    return o;
}

Spec specFor(const LaunchSettings &s, const QString &rootfs)
{
    return specFromRunOptions(runOptionsOf(s, rootfs));
}

namespace {

QStringList noLimitLines()
{
    return {"# No limits set: the container stays in the host's cgroups (Hood still makes",
            "# one per container so that it can count what the container uses)."};
}

QString pidsValue(int64_t pids)
{
    return pids < 0 ? QStringLiteral("max") : QString::number(pids);
}

// Where the runtime puts the container's cgroup, by core's layout rule.
QString cgroupDir(CgroupMode mode, const char *controller, const QString &name)
{
    CgroupOptions options;
    options.name = name.toStdString();
    return QString::fromStdString(containerCgroupDir(mode, controller, options));
}

QStringList cgroupV2Lines(const Resources &r, const QString &name)
{
    const QString dir = cgroupDir(CgroupMode::V2, "", name);
    const QString parent = dir.left(dir.lastIndexOf('/'));
    QStringList out = {"# cgroup v2: one directory in the unified hierarchy", "mkdir -p " + dir,
                       "echo '+memory +cpu +pids' > " + parent + "/cgroup.subtree_control"};
    if (r.memoryLimit)
        out << QStringLiteral("echo %1 > %2/memory.max").arg(*r.memoryLimit).arg(dir);
    if (r.cpuQuota && r.cpuPeriod)
        out << QStringLiteral("echo '%1 %2' > %3/cpu.max").arg(*r.cpuQuota).arg(*r.cpuPeriod).arg(dir);
    if (r.pidsLimit)
        out << QStringLiteral("echo %1 > %2/pids.max").arg(pidsValue(*r.pidsLimit), dir);
    out << "echo $$ > " + dir + "/cgroup.procs   # this shell joins; what it starts inherits it";
    return out;
}

QStringList cgroupV1Lines(const Resources &r, const QString &name)
{
    QStringList out = {"# cgroup v1: one directory per controller hierarchy"};
    QStringList joins;
    auto dir = [&](const char *ctrl) { return cgroupDir(CgroupMode::V1, ctrl, name); };
    if (r.memoryLimit) {
        out << "mkdir -p " + dir("memory")
            << QStringLiteral("echo %1 > %2/memory.limit_in_bytes").arg(*r.memoryLimit).arg(dir("memory"));
        joins << dir("memory");
    }
    if (r.cpuQuota && r.cpuPeriod) {
        out << "mkdir -p " + dir("cpu") << QStringLiteral("echo %1 > %2/cpu.cfs_period_us").arg(*r.cpuPeriod).arg(dir("cpu"))
            << QStringLiteral("echo %1 > %2/cpu.cfs_quota_us").arg(*r.cpuQuota).arg(dir("cpu"));
        joins << dir("cpu");
    }
    if (r.pidsLimit) {
        out << "mkdir -p " + dir("pids") << QStringLiteral("echo %1 > %2/pids.max").arg(pidsValue(*r.pidsLimit), dir("pids"));
        joins << dir("pids");
    }
    for (const QString &j : joins)
        out << "echo $$ > " + j + "/cgroup.procs";
    return out;
}

QStringList cgroupLines(const Spec &spec, const QString &name, CgroupMode mode)
{
    const Resources &r = spec.resources;
    if (!r.memoryLimit && !(r.cpuQuota && r.cpuPeriod) && !r.pidsLimit)
        return noLimitLines();
    return mode == CgroupMode::V2 ? cgroupV2Lines(r, name) : cgroupV1Lines(r, name);
}

QString unshareLine(const Spec &spec)
{
    QStringList flags = {"unshare"};
    const std::pair<NsKind, const char *> table[] = {
        {NsKind::User, "--user --map-root-user"}, {NsKind::Pid, "--pid --fork"}, {NsKind::Mount, "--mount"},
        {NsKind::Uts, "--uts"}, {NsKind::Ipc, "--ipc"}, {NsKind::Network, "--net"},
        {NsKind::Cgroup, "--cgroup"}, {NsKind::Time, "--time"}};
    for (const auto &[kind, flag] : table) {
        if (spec.hasNamespace(kind))
            flags << QLatin1String(flag);
    }
    return flags.join(' ');
}

QStringList rootfsLines(const LaunchSettings &s, const Spec &spec)
{
    const QString tmp = "/tmp/hood-" + nameOrPlaceholder(s);
    const QString command = joinQuoted(words(spec.process.args));
    QStringList out;
    if (!spec.hasNamespace(NsKind::Mount))
        out << "# No mount namespace: these mounts would change the HOST's mount table."
            << "# Hood refuses nothing here, but think twice before running them.";
    out << "mount --make-rprivate /           # our mounts stay in this namespace"
        << "mkdir -p " + tmp + "/upper " + tmp + "/work " + tmp + "/merged"
        << "mount -t overlay overlay -o lowerdir=" + shellQuote(qs(spec.root.path)) + ",upperdir=" + tmp
               + "/upper,workdir=" + tmp + "/work " + tmp + "/merged"
        << "cd " + tmp + "/merged"
        << "mount -t proc proc proc" << "mount -t tmpfs -o nosuid,mode=755 tmpfs dev"
        << "mount -t sysfs -o ro,nosuid,nodev,noexec sysfs sys";
    if (spec.hasNamespace(NsKind::Uts) && !spec.hostname.empty())
        out << "hostname " + shellQuote(qs(spec.hostname));
    if (s.chroot)
        out << "exec chroot . " + command;
    else
        out << "mkdir -p .old && pivot_root . .old   # the old root moves under /.old"
            << "cd / && umount -l /.old && rmdir /.old"
            << "exec " + command;
    return out;
}

QStringList dockerNotes(const LaunchSettings &s, const Spec &spec)
{
    QStringList notes;
    if (!spec.hasNamespace(NsKind::Mount))
        notes << "# docker always gives a container its own mount namespace.";
    if (spec.hasNamespace(NsKind::User))
        notes << "# a user namespace: docker does it daemon-wide (dockerd --userns-remap), or use rootless docker.";
    if (spec.hasNamespace(NsKind::Time))
        notes << "# docker has no flag for a time namespace.";
    if (spec.hasNamespace(NsKind::Network))
        notes << "# --network none: like Hood's own network namespace, only loopback inside.";
    if (s.image != "busybox" && !s.image.isEmpty())
        notes << "# IMAGE: docker needs an image; import the directory with: tar -C " + shellQuote(s.image)
                     + " -c . | docker import - IMAGE";
    return notes;
}

QString dockerLine(const LaunchSettings &s, const Spec &spec)
{
    const Resources &r = spec.resources;
    QStringList d = {"docker run --rm"};
    d << (spec.process.terminal ? "-it" : "-d");
    if (!s.name.isEmpty())
        d << "--name " + shellQuote(s.name);
    if (spec.hasNamespace(NsKind::Uts) && !s.hostname.isEmpty())
        d << "--hostname " + shellQuote(s.hostname);
    if (r.memoryLimit)
        d << "--memory " + qs(formatBytesFlag(*r.memoryLimit)).toLower();
    if (const auto cpus = cpusOf(r))
        d << "--cpus " + qs(formatCpus(*cpus));
    if (r.pidsLimit)
        d << "--pids-limit " + QString::number(*r.pidsLimit);
    d << (spec.hasNamespace(NsKind::Network) ? "--network none" : "--network host");
    if (!spec.hasNamespace(NsKind::Pid))
        d << "--pid host";
    if (!spec.hasNamespace(NsKind::Ipc))
        d << "--ipc host";
    if (!spec.hasNamespace(NsKind::Uts))
        d << "--uts host";
    d << (spec.hasNamespace(NsKind::Cgroup) ? "--cgroupns private" : "--cgroupns host");
    if (!spec.seccomp)
        d << "--security-opt seccomp=unconfined";
    d << (s.image.isEmpty() || s.image == "busybox" ? "busybox" : "IMAGE");
    d << joinQuoted(words(spec.process.args));
    const QStringList notes = dockerNotes(s, spec);
    return d.join(' ') + (notes.isEmpty() ? QString() : '\n' + notes.join('\n'));
}

// Every form from one spec: the one specFromRunOptions makes, or a container's own.
EquivalentCommands commandsFor(const LaunchSettings &s, const Spec &spec, const QString &configJson, CgroupMode mode)
{
    EquivalentCommands c;
    c.hoodctl = "hoodctl " + joinQuoted(ContainerController::runArguments(s));
    QStringList sh = {"# As root. 1. The limits, written into cgroup files:"};
    sh << cgroupLines(spec, nameOrPlaceholder(s), mode) << QString()
       << "# 2. New namespaces for a shell (it becomes the container's first process):"
       << unshareLine(spec) + " sh -e <<'EOF'"
       << "# 3. Inside them: the root filesystem, a fresh /proc, the new root, the command."
       << rootfsLines(s, spec) << "EOF";
    c.shell = sh.join('\n');
    c.configJson = configJson;
    c.docker = dockerLine(s, spec);
    return c;
}

// Settings hoodctl would refuse: the page says why instead of showing commands.
EquivalentCommands refused(const LaunchSettings &s, const QString &sentence)
{
    EquivalentCommands c;
    c.hoodctl = "hoodctl " + joinQuoted(ContainerController::runArguments(s));
    c.shell = c.configJson = c.docker = "# hoodctl refuses these settings: " + sentence;
    return c;
}

// A container's network as ip and nft commands (net::equivalentCommands), from the
// network.json its monitor wrote; the init's pid from state.json, "$PID" without one.
QStringList networkLines(const std::string &dir, const net::Attachment &a)
{
    net::CommandOptions o;
    try {
        if (pid_t pid = loadState(dir).pid; pid > 0)
            o.pidWord = std::to_string(pid);
    } catch (const Error &) {
        // no state yet: the placeholder stays
    }
    const std::string id = dir.substr(dir.rfind('/') + 1);
    QStringList out = {"# 4. The network, from a second root shell while the one above runs (PID: its first process):"};
    for (const std::string &line : net::equivalentCommands(id, a, o))
        out << qs(line);
    return out;
}

QString dockerNetworkFlags(const net::Attachment &a)
{
    QStringList d;
    if (a.bridged()) {
        d << "--network " + shellQuote(qs(a.network == "hood" ? std::string("bridge") : a.network));
        for (const net::PortMapping &p : a.ports)
            d << QStringLiteral("-p %1%2:%3/%4")
                     .arg(p.hostIp.empty() ? QString() : qs(p.hostIp) + ':')
                     .arg(p.hostPort)
                     .arg(p.containerPort)
                     .arg(qs(p.protocol));
    } else if (a.mode == net::Mode::Container) {
        d << "--network container:" + shellQuote(qs(a.container));
    } else {
        d << "--network " + qs(net::modeName(a.mode));
    }
    return d.join(' ');
}

} // namespace

EquivalentCommands equivalentCommands(const LaunchSettings &s, const QString &rootfs, CgroupMode mode)
{
    try {
        const Spec spec = specFor(s, rootfs);
        return commandsFor(s, spec, qs(specToJson(spec)), mode);
    } catch (const Error &e) {
        return refused(s, qs(e.what()));
    }
}

EquivalentCommands storedEquivalentCommands(const LaunchSettings &s, const QString &stateDir, CgroupMode mode)
{
    const std::string path = (stateDir + "/config.json").toStdString();
    try {
        const std::string text = readFile(path);
        EquivalentCommands c = commandsFor(s, parseSpec(text, path).spec, qs(text), mode);
        if (std::optional<net::Attachment> a = net::loadAttachment(stateDir.toStdString())) {
            c.shell += "\n\n" + networkLines(stateDir.toStdString(), *a).join('\n');
            static const QRegularExpression netFlag(QStringLiteral("--network (none|host)"));
            if (a->mode != net::Mode::None) // the note is about none (and would match below)
                c.docker.remove(QStringLiteral("\n# --network none: like Hood's own network namespace, only loopback inside."));
            c.docker.replace(netFlag, dockerNetworkFlags(*a));
        }
        return c;
    } catch (const Error &e) {
        EquivalentCommands c = refused(s, {});
        c.shell = c.configJson = c.docker = "# " + qs(e.what());
        return c;
    }
}

} // namespace hood::gui
