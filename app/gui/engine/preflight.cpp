#include "preflight.h"

#include "error.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>

#include <sys/utsname.h>
#include <unistd.h>

namespace hood::gui {

namespace {

std::optional<long> readNumber(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    bool ok = false;
    const long v = f.readAll().trimmed().toLong(&ok);
    return ok ? std::optional<long>(v) : std::nullopt;
}

using Level = PreflightItem::Level;

PreflightItem privileges(const MachineFacts &f)
{
    if (f.uid == 0)
        return {"privileges", QObject::tr("Privileges"), Level::Ok, QObject::tr("root"),
                QObject::tr("Hood runs as root, so it can make every namespace and write cgroup limits."), {}};
    return {"privileges", QObject::tr("Privileges"), Level::Limited, QObject::tr("rootless (uid %1)").arg(f.uid),
            QObject::tr("Without root every container gets a user namespace mapping your uid to root inside; "
                        "cgroup limits work only where systemd delegates a subtree to you."),
            QObject::tr("For every feature run Hood with sudo, or inside a VM where you are root.")};
}

PreflightItem cgroups(const MachineFacts &f)
{
    PreflightItem it {"cgroups", QObject::tr("cgroups"), Level::Ok, {}, {}, {}};
    if (!f.cgroupMode) {
        it.level = Level::Missing;
        it.verdict = QObject::tr("unknown");
        it.reason = f.cgroupError;
        it.fix = QObject::tr("Mount cgroup2 on /sys/fs/cgroup (systemd does this at boot).");
        return it;
    }
    switch (*f.cgroupMode) {
    case CgroupMode::V2:
        it.verdict = QObject::tr("v2 (unified)");
        it.reason = QObject::tr("/sys/fs/cgroup is a cgroup2 mount: one tree with every controller.");
        break;
    case CgroupMode::Hybrid:
        it.verdict = QObject::tr("hybrid (limits through v1)");
        it.reason = QObject::tr("The controllers are on v1 hierarchies under /sys/fs/cgroup/<controller>; "
                                "/sys/fs/cgroup/unified is a v2 tree without controllers.");
        it.fix = QObject::tr("Nothing needed. To switch to pure v2, boot with systemd.unified_cgroup_hierarchy=1.");
        break;
    case CgroupMode::V1:
        it.verdict = QObject::tr("v1 (legacy)");
        it.reason = QObject::tr("Every controller has its own hierarchy under /sys/fs/cgroup.");
        it.fix = QObject::tr("Nothing needed. Modern desktops use v2: boot with systemd.unified_cgroup_hierarchy=1.");
        break;
    }
    if (f.uid != 0 && *f.cgroupMode != CgroupMode::V2) {
        it.level = Level::Limited;
        it.fix = QObject::tr("Limits need root on cgroup v1: run Hood with sudo to try them.");
    }
    return it;
}

PreflightItem userns(const MachineFacts &f)
{
    PreflightItem it {"userns", QObject::tr("User namespaces"), Level::Ok, QObject::tr("available"), {}, {}};
    if (f.maxUserNamespaces && *f.maxUserNamespaces == 0) {
        it.level = Level::Missing;
        it.verdict = QObject::tr("disabled");
        it.reason = QObject::tr("/proc/sys/user/max_user_namespaces is 0: no process may create one.");
        it.fix = QObject::tr("sudo sysctl -w user.max_user_namespaces=15000");
        return it;
    }
    if (f.unprivilegedUsernsClone && *f.unprivilegedUsernsClone == 0) {
        it.level = f.uid == 0 ? Level::Ok : Level::Missing;
        it.verdict = f.uid == 0 ? QObject::tr("root only") : QObject::tr("root only: rootless mode cannot work");
        it.reason = QObject::tr("/proc/sys/kernel/unprivileged_userns_clone is 0 (a Debian switch): only root may "
                                "create user namespaces.");
        it.fix = QObject::tr("sudo sysctl -w kernel.unprivileged_userns_clone=1");
        return it;
    }
    if (f.apparmorRestrictsUserns && *f.apparmorRestrictsUserns == 1 && f.uid != 0) {
        it.level = Level::Limited;
        it.verdict = QObject::tr("restricted by AppArmor");
        it.reason = QObject::tr("kernel.apparmor_restrict_unprivileged_userns is 1: an unconfined program gets a "
                                "user namespace without capabilities.");
        it.fix = QObject::tr("Give hoodctl an AppArmor profile with \"userns,\", or run Hood with sudo.");
        return it;
    }
    it.reason = f.maxUserNamespaces
                    ? QObject::tr("/proc/sys/user/max_user_namespaces allows %1 per user.").arg(*f.maxUserNamespaces)
                    : QObject::tr("The kernel has no limit file; user namespaces are assumed to work.");
    return it;
}

PreflightItem overlay(const MachineFacts &f)
{
    PreflightItem it {"overlay", QObject::tr("Overlay in a user namespace"), Level::Ok, QObject::tr("available"), {}, {}};
    const auto [major, minor] = kernelVersion(f.kernelRelease);
    if (!f.overlayFilesystem && f.overlayModule) {
        it.verdict = QObject::tr("available (module loads on first use)");
        it.reason = QObject::tr("overlayfs is a module here; the kernel loads it at the first overlay mount.");
    } else if (!f.overlayFilesystem) {
        it.level = Level::Missing;
        it.verdict = QObject::tr("no overlayfs");
        it.reason = QObject::tr("\"overlay\" is not in /proc/filesystems: the module is not loaded.");
        it.fix = QObject::tr("sudo modprobe overlay");
        return it;
    }
    if (major > 5 || (major == 5 && minor >= 11)) {
        it.reason += (it.reason.isEmpty() ? QString() : QStringLiteral(" ")) + QObject::tr("Linux %1 ≥ 5.11 lets a user namespace's root mount overlayfs, so rootless "
                                "containers get a writable layer over the image.")
                        .arg(f.kernelRelease);
        return it;
    }
    it.level = f.uid == 0 ? Level::Ok : Level::Limited;
    it.verdict = f.uid == 0 ? QObject::tr("root only") : QObject::tr("not in a user namespace");
    it.reason = QObject::tr("Linux %1 is older than 5.11, which first allowed overlayfs inside a user namespace.")
                    .arg(f.kernelRelease);
    it.fix = QObject::tr("Run Hood as root, or use a kernel from 5.11 on.");
    return it;
}

PreflightItem qemu(const MachineFacts &f)
{
    PreflightItem it {"qemu", QObject::tr("QEMU"), Level::Ok, {}, {}, {}};
    if (!f.qemuSystem.isEmpty() && !f.qemuUser.isEmpty()) {
        it.verdict = QObject::tr("present");
        it.reason = QObject::tr("%1 boots the VM lessons; %2 shows binary translation.").arg(f.qemuSystem, f.qemuUser);
        return it;
    }
    it.level = Level::Limited;
    it.verdict = f.qemuSystem.isEmpty() && f.qemuUser.isEmpty() ? QObject::tr("missing") : QObject::tr("partly there");
    it.reason = QObject::tr("The lessons that compare containers with virtual machines need qemu-system-x86_64 "
                            "and qemu-x86_64; %1 not found on PATH.")
                    .arg(f.qemuSystem.isEmpty() ? QStringLiteral("qemu-system-x86_64") : QStringLiteral("qemu-x86_64"));
    it.fix = QObject::tr("sudo apt install qemu-system-x86 qemu-user");
    return it;
}

} // namespace

std::pair<int, int> kernelVersion(const QString &release)
{
    static const QRegularExpression re(QStringLiteral("^(\\d+)\\.(\\d+)"));
    const auto m = re.match(release);
    return m.hasMatch() ? std::pair {m.captured(1).toInt(), m.captured(2).toInt()} : std::pair {0, 0};
}

QString levelWord(PreflightItem::Level level)
{
    switch (level) {
    case Level::Ok: return QObject::tr("ok");
    case Level::Limited: return QObject::tr("limited");
    case Level::Missing: return QObject::tr("missing");
    }
    return {};
}

MachineFacts readMachineFacts(const QString &procRoot)
{
    MachineFacts f;
    f.uid = geteuid();
    try {
        f.cgroupMode = detectCgroupMode();
    } catch (const Error &e) {
        f.cgroupError = QString::fromStdString(e.what());
    }
    f.maxUserNamespaces = readNumber(procRoot + "/sys/user/max_user_namespaces");
    f.unprivilegedUsernsClone = readNumber(procRoot + "/sys/kernel/unprivileged_userns_clone");
    f.apparmorRestrictsUserns = readNumber(procRoot + "/sys/kernel/apparmor_restrict_unprivileged_userns");
    struct utsname u {};
    if (uname(&u) == 0)
        f.kernelRelease = QString::fromLatin1(u.release);
    QFile fs(procRoot + "/filesystems");
    if (fs.open(QIODevice::ReadOnly))
        f.overlayFilesystem = fs.readAll().contains("\toverlay\n");
    const QDir modules("/lib/modules/" + f.kernelRelease + "/kernel/fs/overlayfs");
    f.overlayModule = !modules.entryList({"overlay.ko*"}, QDir::Files).isEmpty();
    f.qemuSystem = QStandardPaths::findExecutable("qemu-system-x86_64");
    f.qemuUser = QStandardPaths::findExecutable("qemu-x86_64");
    return f;
}

QVector<PreflightItem> judgeMachine(const MachineFacts &f)
{
    return {privileges(f), cgroups(f), userns(f), overlay(f), qemu(f)};
}

} // namespace hood::gui
