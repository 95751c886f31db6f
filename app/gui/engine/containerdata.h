// The value structs that travel from the controller, the sampler and the
// inspectors to the pages. Pages only draw these; they never read /proc or the
// state directory themselves.
#pragma once

#include "inspect/mounttree.h"
#include "inspect/netview.h"
#include "net/attachment.h"
#include "inspect/nsview.h"
#include "inspect/proctree.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace hood::gui {

// One line of the container list.
struct ContainerRow {
    QString id;
    QString status; // OCI status word: creating, created, running, stopped
    int pid = 0;    // container init as seen from the host
    QString image;
    QStringList command;
    QDateTime created;  // UTC
    QDateTime finished; // UTC; invalid while running
    bool terminal = false;
    bool rootless = false;
    std::optional<int> exitCode;
    bool oomKilled = false;
    QString error; // why it could not start
    QStringList cgroupPaths;
    std::optional<double> cpuPercent; // from the sampler, when running
    std::optional<quint64> memory;    // bytes, from the sampler
    std::optional<quint64> memoryLimit;

    bool running() const { return status == QLatin1String("running"); }
    // Seconds since creation (until the end, once stopped).
    qint64 uptimeSeconds(const QDateTime &now) const;
    // "exited 0", "killed by SIGKILL", "OOM killed", "running"
    QString statusText() const;
};

// One sample of a container's cgroup. Times are seconds on the sampler's clock.
struct ResourcePoint {
    double time = 0;
    double cpuPercent = 0;      // 100 = one CPU busy
    double memory = 0;          // bytes
    double pids = 0;
    double throttledMsPerSec = 0; // CPU time the quota held back, per second of wall time
};

struct ResourceHistory {
    QString id;
    QVector<ResourcePoint> points;        // oldest first
    QVector<double> oomKillTimes;         // sampler clock
    std::optional<double> memoryLimit;    // bytes
    std::optional<double> pidsMax;
    std::optional<double> cpuLimit;       // in percent (50 = half a CPU)
    quint64 throttledPeriods = 0;         // totals, for the page's caption
    quint64 oomKills = 0;
    quint64 pidsLimitHits = 0;            // forks refused at pids.max (pids.events "max")
    double memoryPeak = 0;                // bytes: the most ever used (catches spikes between samples)
    QString problem;                      // why sampling stopped, if it did
};

// Namespaces of the host and of every running container, for the drawing.
struct NamespaceParticipant {
    QString name; // "host" or the container ID
    int pid = 0;
    bool isHost = false;
    inspect::NsSet set;
};

struct NamespaceSnapshot {
    QString hostReference; // "pid 1", or which process stood in
    QVector<NamespaceParticipant> participants; // host first
};

struct MountSnapshot {
    QString id;
    int pid = 0;
    inspect::MountTree tree;
    inspect::MountTree host;
    inspect::MountDiff diff;
    QString problem;
};

// The Network page: the host's links and every running container's, with what its
// monitor set up (<state>/network.json; none for a container made without it).
struct NetworkMember {
    QString id;
    int pid = 0;
    std::optional<net::Attachment> attachment;
    inspect::NetView view; // its own namespace (empty in host mode: the host's is drawn)
    QString problem;
};

struct NetworkSnapshot {
    inspect::NetView host;
    QVector<NetworkMember> members;
    double at = 0; // seconds (monotonic) the counters were read at
    QString problem;
};

struct ProcessSnapshot {
    QString id;
    inspect::ProcessTree tree;
    QString problem;
};

} // namespace hood::gui
