#include "inspection.h"

#include "cgroups/cgroup_paths.h"
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

namespace {

// The processes in the container's cgroup, found as core's inspector finds them.
std::vector<pid_t> pidsInContainerCgroup(const QStringList &cgroupPaths)
{
    std::vector<std::string> dirs;
    for (const QString &dir : cgroupPaths)
        dirs.push_back(dir.toStdString());
    if (dirs.empty())
        return {};
    try {
        auto where = processCgroupLocation(dirs, detectCgroupMode());
        return where ? inspect::pidsInCgroup(where->controller, where->path) : std::vector<pid_t> {};
    } catch (const Error &) {
        return {}; // no cgroup file system: the init's descendants stand alone
    }
}

} // namespace

NetworkSnapshot readNetworkSnapshot(const QVector<ContainerRow> &rows, const QString &stateRoot)
{
    NetworkSnapshot snap;
    snap.at = double(QDateTime::currentMSecsSinceEpoch()) / 1000.0;
    try {
        snap.host = inspect::readNetView(0);
    } catch (const Error &e) {
        snap.problem = QString::fromStdString(e.what());
    }
    for (const ContainerRow &row : rows) {
        if (!row.running() || row.pid <= 0)
            continue;
        NetworkMember m;
        m.id = row.id;
        m.pid = row.pid;
        try {
            m.attachment = net::loadAttachment((stateRoot + '/' + row.id).toStdString());
            if (!m.attachment || m.attachment->mode != net::Mode::Host)
                m.view = inspect::readNetView(row.pid);
        } catch (const Error &e) {
            m.problem = QString::fromStdString(e.what());
        }
        snap.members << m;
    }
    return snap;
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
    for (pid_t p : pidsInContainerCgroup(row.cgroupPaths))
        pids.insert(p);
    if (pids.empty() && row.running())
        snap.problem = QObject::tr("No process of %1 could be read from /proc.").arg(row.id);
    snap.tree = inspect::buildProcessTree({pids.begin(), pids.end()});
    return snap;
}

} // namespace hood::gui
