#include "equivalent.h"

#include "controller.h"

#include <QRegularExpression>
#include <QStringList>

namespace hood::gui {

namespace {

QString nameOrPlaceholder(const LaunchSettings &s)
{
    return s.name.isEmpty() ? QStringLiteral("demo") : s.name;
}

bool has(const LaunchSettings &s, const char *ns)
{
    return s.namespaces.contains(QLatin1String(ns));
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

Spec specFor(const LaunchSettings &s, const QString &rootfs)
{
    Spec spec = defaultSpec();
    spec.namespaces.clear();
    for (const QString &name : s.namespaces) {
        if (const NsInfo *info = findNamespace(name.toStdString()))
            spec.setNamespace(info->kind, true);
    }
    if (s.rootless)
        spec.setNamespace(NsKind::User, true);
    const QString name = nameOrPlaceholder(s);
    spec.hostname = has(s, "uts") ? (s.hostname.isEmpty() ? name.left(12) : s.hostname).toStdString() : "";
    if (s.memory > 0)
        spec.resources.memoryLimit = s.memory;
    if (s.cpus > 0) {
        spec.resources.cpuPeriod = 100000;
        spec.resources.cpuQuota = int64_t(s.cpus * 100000);
    }
    if (s.pids > 0)
        spec.resources.pidsLimit = s.pids;
    Process &p = spec.process;
    p.terminal = s.terminal;
    for (const QString &word : s.command.isEmpty() ? QStringList {"sh"} : s.command)
        p.args.push_back(word.toStdString());
    p.args.erase(p.args.begin()); // defaultSpec's "sh"
    if (p.args.empty())
        p.args = {"sh"};
    p.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=" + spec.hostname};
    if (p.terminal)
        p.env.push_back("TERM=xterm");
    p.capabilities = Capabilities {};
    p.capabilities->bounding = p.capabilities->effective = p.capabilities->permitted = dockerDefaultCapabilities();
    p.noNewPrivileges = false;
    spec.root = {rootfs.toStdString(), false};
    return spec;
}

namespace {

QStringList cgroupLines(const LaunchSettings &s, CgroupMode mode)
{
    const QString name = nameOrPlaceholder(s);
    QStringList out;
    if (s.memory <= 0 && s.cpus <= 0 && s.pids <= 0)
        return {"# No limits set: the container stays in the host's cgroups (Hood still makes",
                "# one per container so that it can count what the container uses)."};
    const QString quota = QString::number(qint64(s.cpus * 100000));
    if (mode == CgroupMode::V2) {
        const QString dir = "/sys/fs/cgroup/hood/" + name;
        out << "# cgroup v2: one directory in the unified hierarchy"
            << "mkdir -p " + dir
            << "echo '+memory +cpu +pids' > /sys/fs/cgroup/hood/cgroup.subtree_control";
        if (s.memory > 0)
            out << QStringLiteral("echo %1 > %2/memory.max").arg(s.memory).arg(dir);
        if (s.cpus > 0)
            out << QStringLiteral("echo '%1 100000' > %2/cpu.max").arg(quota, dir);
        if (s.pids > 0)
            out << QStringLiteral("echo %1 > %2/pids.max").arg(s.pids).arg(dir);
        out << "echo $$ > " + dir + "/cgroup.procs   # this shell joins; what it starts inherits it";
        return out;
    }
    out << "# cgroup v1: one directory per controller hierarchy";
    QStringList joins;
    auto dir = [&](const QString &ctrl) { return "/sys/fs/cgroup/" + ctrl + "/hood/" + name; };
    if (s.memory > 0) {
        out << "mkdir -p " + dir("memory")
            << QStringLiteral("echo %1 > %2/memory.limit_in_bytes").arg(s.memory).arg(dir("memory"));
        joins << dir("memory");
    }
    if (s.cpus > 0) {
        out << "mkdir -p " + dir("cpu") << "echo 100000 > " + dir("cpu") + "/cpu.cfs_period_us"
            << "echo " + quota + " > " + dir("cpu") + "/cpu.cfs_quota_us";
        joins << dir("cpu");
    }
    if (s.pids > 0) {
        out << "mkdir -p " + dir("pids") << QStringLiteral("echo %1 > %2/pids.max").arg(s.pids).arg(dir("pids"));
        joins << dir("pids");
    }
    for (const QString &j : joins)
        out << "echo $$ > " + j + "/cgroup.procs";
    return out;
}

QString unshareLine(const LaunchSettings &s)
{
    QStringList flags = {"unshare"};
    const std::pair<const char *, const char *> table[] = {
        {"pid", "--pid --fork"}, {"mnt", "--mount"}, {"uts", "--uts"}, {"ipc", "--ipc"},
        {"net", "--net"},        {"cgroup", "--cgroup"}, {"time", "--time"}};
    if (s.rootless || has(s, "user"))
        flags << "--user --map-root-user";
    for (const auto &[ns, flag] : table) {
        if (has(s, ns))
            flags << QLatin1String(flag);
    }
    return flags.join(' ');
}

QStringList rootfsLines(const LaunchSettings &s, const QString &rootfs)
{
    const QString name = nameOrPlaceholder(s);
    const QString tmp = "/tmp/hood-" + name;
    QStringList out;
    if (!has(s, "mnt"))
        out << "# No mount namespace: these mounts would change the HOST's mount table."
            << "# Hood refuses nothing here, but think twice before running them.";
    out << "mount --make-rprivate /           # our mounts stay in this namespace"
        << "mkdir -p " + tmp + "/upper " + tmp + "/work " + tmp + "/merged"
        << "mount -t overlay overlay -o lowerdir=" + shellQuote(rootfs) + ",upperdir=" + tmp
               + "/upper,workdir=" + tmp + "/work " + tmp + "/merged"
        << "cd " + tmp + "/merged"
        << "mount -t proc proc proc" << "mount -t tmpfs -o nosuid,mode=755 tmpfs dev"
        << "mount -t sysfs -o ro,nosuid,nodev,noexec sysfs sys";
    if (has(s, "uts"))
        out << "hostname " + shellQuote(s.hostname.isEmpty() ? name.left(12) : s.hostname);
    if (s.chroot)
        out << "exec chroot . " + joinQuoted(s.command.isEmpty() ? QStringList {"sh"} : s.command);
    else
        out << "mkdir -p .old && pivot_root . .old   # the old root moves under /.old"
            << "cd / && umount -l /.old && rmdir /.old"
            << "exec " + joinQuoted(s.command.isEmpty() ? QStringList {"sh"} : s.command);
    return out;
}

QString dockerLine(const LaunchSettings &s)
{
    QStringList d = {"docker run --rm"};
    d << (s.terminal ? "-it" : "-d");
    if (!s.name.isEmpty())
        d << "--name " + shellQuote(s.name);
    if (has(s, "uts") && !s.hostname.isEmpty())
        d << "--hostname " + shellQuote(s.hostname);
    if (s.memory > 0)
        d << "--memory " + ContainerController::memoryFlag(s.memory).toLower();
    if (s.cpus > 0)
        d << "--cpus " + QString::number(s.cpus, 'g', 4);
    if (s.pids > 0)
        d << "--pids-limit " + QString::number(s.pids);
    d << (has(s, "net") ? "--network none" : "--network host");
    if (!has(s, "pid"))
        d << "--pid host";
    if (!has(s, "ipc"))
        d << "--ipc host";
    if (!has(s, "uts"))
        d << "--uts host";
    d << (has(s, "cgroup") ? "--cgroupns private" : "--cgroupns host");
    d << (s.image.isEmpty() || s.image == "busybox" ? "busybox" : "IMAGE");
    d << joinQuoted(s.command.isEmpty() ? QStringList {"sh"} : s.command);
    QStringList notes;
    if (!has(s, "mnt"))
        notes << "# docker always gives a container its own mount namespace.";
    if (s.rootless || has(s, "user"))
        notes << "# a user namespace: docker does it daemon-wide (dockerd --userns-remap), or use rootless docker.";
    if (has(s, "time"))
        notes << "# docker has no flag for a time namespace.";
    if (has(s, "net"))
        notes << "# --network none: like Hood's own network namespace, only loopback inside.";
    if (s.image != "busybox" && !s.image.isEmpty())
        notes << "# IMAGE: docker needs an image; import the directory with: tar -C " + shellQuote(s.image)
                     + " -c . | docker import - IMAGE";
    return d.join(' ') + (notes.isEmpty() ? QString() : '\n' + notes.join('\n'));
}

} // namespace

EquivalentCommands equivalentCommands(const LaunchSettings &s, const QString &rootfs, CgroupMode mode)
{
    EquivalentCommands c;
    c.hoodctl = "hoodctl " + joinQuoted(ContainerController::runArguments(s));
    QStringList sh = {"# As root. 1. The limits, written into cgroup files:"};
    sh << cgroupLines(s, mode) << QString()
       << "# 2. New namespaces for a shell (it becomes the container's first process):"
       << unshareLine(s) + " sh -e <<'EOF'"
       << "# 3. Inside them: the root filesystem, a fresh /proc, the new root, the command."
       << rootfsLines(s, rootfs) << "EOF";
    c.shell = sh.join('\n');
    c.configJson = QString::fromStdString(specToJson(specFor(s, rootfs)));
    c.docker = dockerLine(s);
    return c;
}

} // namespace hood::gui
