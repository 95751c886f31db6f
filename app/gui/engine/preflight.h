// What this machine allows, in plain words: root or rootless, the cgroup mode,
// user namespaces, overlayfs inside a user namespace, QEMU. Facts are read once
// (readMachineFacts), then judged by a pure function, so every verdict, reason and
// fix is tested on made-up machines as well as on this one.
#pragma once

#include "cgroups/cgroups.h"

#include <QString>
#include <QVector>

#include <optional>

namespace hood::gui {

struct MachineFacts {
    unsigned uid = 0;
    std::optional<CgroupMode> cgroupMode;
    QString cgroupError;                        // why the mode is unknown
    std::optional<long> maxUserNamespaces;      // /proc/sys/user/max_user_namespaces
    std::optional<long> unprivilegedUsernsClone; // Debian's kernel.unprivileged_userns_clone
    std::optional<long> apparmorRestrictsUserns; // Ubuntu's kernel.apparmor_restrict_unprivileged_userns
    QString kernelRelease;                      // uname -r
    bool overlayFilesystem = false;             // "overlay" in /proc/filesystems
    bool overlayModule = false;                 // overlay.ko in /lib/modules/<release>: loaded on first mount
    QString qemuSystem;                         // path of qemu-system-x86_64, if any
    QString qemuUser;                           // path of qemu-x86_64, if any
};

struct PreflightItem {
    enum class Level { Ok, Limited, Missing };
    QString key;     // "privileges", "cgroups", "userns", "overlay", "qemu"
    QString title;   // "User namespaces"
    Level level = Level::Ok;
    QString verdict; // one short line: "available", "hybrid (v1 controllers)"
    QString reason;  // why, with the file or number that says so
    QString fix;     // what to do; empty when nothing needs doing
};

MachineFacts readMachineFacts(const QString &procRoot = QStringLiteral("/proc"));
QVector<PreflightItem> judgeMachine(const MachineFacts &facts);

// "6.18.0-1-amd64" -> {6, 18}; {0, 0} when unreadable.
std::pair<int, int> kernelVersion(const QString &release);
QString levelWord(PreflightItem::Level level); // "ok", "limited", "missing"

} // namespace hood::gui
