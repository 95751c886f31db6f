// What the launcher (and a lesson's "launch" action) asks for: one container, as
// `hoodctl run -d` flags. A plain value struct, so lessons, the launcher page, the
// recent-configurations list and the equivalent-commands page share one shape.
#pragma once

#include "spec/runoptions.h"

#include <QString>
#include <QStringList>

namespace hood::gui {

// Core's default namespaces (hood::defaultNamespaces()) by their short names.
inline QStringList defaultNamespaceNames()
{
    QStringList names;
    for (NsKind kind : defaultNamespaces())
        names << QString::fromLatin1(nsInfo(kind).shortName.data(), qsizetype(nsInfo(kind).shortName.size()));
    return names;
}

struct LaunchSettings {
    // "busybox" (the built-in image) or a directory holding a root filesystem.
    QString image = QStringLiteral("busybox");
    // The program and its arguments; empty means the image's shell ("sh").
    QStringList command = {QStringLiteral("sh")};
    // Namespace kinds to unshare, by their short names as hoodctl --ns, unshare and lsns
    // spell them: pid, mnt, uts, ipc, net, user, cgroup, time. The default is hoodctl's.
    QStringList namespaces = defaultNamespaceNames();
    qint64 memory = 0;  // bytes; 0 means no limit (hoodctl --memory)
    double cpus = 0;    // CPUs, e.g. 0.5; 0 means no limit (hoodctl --cpus)
    qint64 pids = 0;    // most tasks at once; 0 means no limit (hoodctl --pids)
    QString hostname;   // empty: hoodctl's default (the first 12 characters of the name)
    bool chroot = false;   // true: chroot(2) instead of pivot_root(2) (hoodctl --chroot)
    bool rootless = false; // true: a user namespace maps the caller to root (hoodctl --rootless)
    // false: no seccomp filter (hoodctl --security-opt seccomp=unconfined), for lessons
    // that show what the filter stops; true: Docker's default profile.
    bool seccomp = true;
    QString name;          // empty: hoodctl generates one
    // Not one of the lesson arguments: a terminal (hoodctl -t) lets the Console page
    // type into the container; without one the Console shows container.log.
    bool terminal = true;

    bool operator==(const LaunchSettings &) const = default;
};

} // namespace hood::gui
