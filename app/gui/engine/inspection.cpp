#include "inspection.h"

#include "error.h"

#include <QFileInfo>

#include <set>
#include <unistd.h>

namespace hood::gui {

NamespaceSnapshot readNamespaceSnapshot(const QVector<ContainerRow> &rows)
{
    NamespaceSnapshot snap;
    const inspect::HostNamespaces host = inspect::readHostNamespaces();
    snap.hostReference = QString::fromStdString(host.reference);
    snap.participants << NamespaceParticipant {QStringLiteral("host"), host.isPid1 ? 1 : 0, true, host.set};
    for (const ContainerRow &row : rows) {
        if (!row.running() || row.pid <= 0)
            continue;
        snap.participants << NamespaceParticipant {row.id, row.pid, false, inspect::readNamespaces(row.pid)};
    }
    return snap;
}

MountSnapshot readMountSnapshot(const ContainerRow &row)
{
    MountSnapshot snap;
    snap.id = row.id;
    snap.pid = row.pid;
    try {
        snap.host = inspect::readMountTree(1);
    } catch (const Error &) {
        // pid 1 may be out of reach (a sandbox, a normal user): our own table stands in.
        try {
            snap.host = inspect::readMountTree(getpid());
        } catch (const Error &e) {
            snap.problem = QString::fromStdString(e.what());
            return snap;
        }
    }
    try {
        snap.tree = inspect::readMountTree(row.pid);
        snap.diff = inspect::diffMounts(snap.tree, snap.host);
    } catch (const Error &e) {
        snap.problem = QString::fromStdString(e.what());
    }
    return snap;
}

std::pair<QString, QString> cgroupControllerAndPath(const QString &dir, const QString &mountRoot)
{
    if (!dir.startsWith(mountRoot + '/'))
        return {};
    const QString rest = dir.mid(mountRoot.size() + 1); // "pids/hood/x" or "hood/x"
    const qsizetype hood = rest.indexOf(QStringLiteral("hood/"));
    if (hood == 0)
        return {QString(), '/' + rest};
    if (hood > 0 && rest[hood - 1] == '/')
        return {rest.left(hood - 1), '/' + rest.mid(hood)};
    return {};
}

ProcessSnapshot readProcessSnapshot(const ContainerRow &row)
{
    ProcessSnapshot snap;
    snap.id = row.id;
    std::set<pid_t> pids;
    if (row.pid > 0) {
        for (pid_t p : inspect::descendantsOf(row.pid))
            pids.insert(p);
    }
    for (const QString &dir : row.cgroupPaths) {
        const auto [controller, path] = cgroupControllerAndPath(dir);
        if (path.isEmpty() || !(controller.isEmpty() || controller == QLatin1String("pids")))
            continue;
        for (pid_t p : inspect::pidsInCgroup(controller.toStdString(), path.toStdString()))
            pids.insert(p);
        break;
    }
    if (pids.empty() && row.running())
        snap.problem = QObject::tr("No process of %1 could be read from /proc.").arg(row.id);
    snap.tree = inspect::buildProcessTree({pids.begin(), pids.end()});
    return snap;
}

} // namespace hood::gui
