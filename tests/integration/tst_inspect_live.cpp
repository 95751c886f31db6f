// core/inspect against the tools people already trust, on a real process in
// fresh namespaces: `unshare --fork --pid --mount-proc --uts --ipc --net --mount
// sleep 30`. Hood's namespace inodes must equal lsns's, its mount tree
// findmnt's, its links, addresses and routes ip's, and its process tree must show
// the sleep as pid 1 of its own pid namespace.
//
// Needs root (new namespaces, setns). Nothing on the host changes: the veth
// pair is created inside the test's own network namespace and disappears with
// it; the cgroups made under <pids>/hood/ and <v2 root>/hood/ are removed at the end.
#include "error.h"
#include "inspect/mounttree.h"
#include "inspect/netview.h"
#include "inspect/nsview.h"
#include "inspect/procfs.h"
#include "inspect/proctree.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>
#include <csignal>
#include <functional>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <tuple>
#include <unistd.h>

using namespace hood;
using namespace hood::inspect;

namespace QTest {
template <> inline char *toString(const std::string &text)
{
    return qstrdup(text.c_str());
}
} // namespace QTest

namespace {

// Runs a command to completion; false (with the reason in *error) unless it
// exits 0.
bool run(const QStringList &command, QByteArray *out, QString *error)
{
    QProcess process;
    process.start(command.first(), command.mid(1));
    if (!process.waitForFinished(20000) || process.exitStatus() != QProcess::NormalExit
        || process.exitCode() != 0) {
        *error = command.join(' ') + ": " + process.readAllStandardError() + process.errorString();
        return false;
    }
    *out = process.readAllStandardOutput();
    return true;
}

QJsonDocument runJson(const QStringList &command)
{
    QByteArray out;
    QString error;
    if (!run(command, &out, &error)) {
        qWarning("%s", qPrintable(error));
        return {};
    }
    return QJsonDocument::fromJson(out);
}

void flattenLsns(const QJsonArray &nodes, QMap<QString, quint64> &byType)
{
    for (const QJsonValue &node : nodes) {
        QJsonObject object = node.toObject();
        byType.insert(object["type"].toString(), quint64(object["ns"].toDouble()));
        flattenLsns(object["children"].toArray(), byType);
    }
}

// (parent target, target, source, fstype) of every node of findmnt's JSON tree.
using MountRow = std::tuple<QString, QString, QString, QString>;

void flattenFindmnt(const QJsonArray &nodes, const QString &parent, QList<MountRow> &rows)
{
    for (const QJsonValue &node : nodes) {
        QJsonObject object = node.toObject();
        QString target = object["target"].toString();
        rows.append({parent, target, object["source"].toString(), object["fstype"].toString()});
        flattenFindmnt(object["children"].toArray(), target, rows);
    }
}

// Links come up, and IPv6 adds link-local addresses and routes, a moment after
// `ip link set up` returns. So ip runs before and after Hood's read, until both
// agree: then nothing changed around the read, and that output is the truth.
QJsonDocument stableAround(const QStringList &command, const std::function<void()> &read)
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        QJsonDocument before = runJson(command);
        read();
        QJsonDocument after = runJson(command);
        if (!after.isNull() && before == after)
            return after;
        QTest::qWait(100);
    }
    return {};
}

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

} // namespace

class TestInspectLive : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void namespacesMatchLsns();
    void namespacesOfRootProcessAreDeniedToNobody();
    void mountTreeMatchesFindmnt();
    void mountDiffShowsTheFreshProc();
    void linksAndAddressesMatchIp();
    void routesMatchIp();
    void loopbackCountersMatchIp();
    void netnsReaderLeavesTheCallerAlone();
    void netnsReaderErrorIsASentence();
    void processTreeShowsContainerPid1();
    void pidsInCgroupFindsTheContainer_data();
    void pidsInCgroupFindsTheContainer();

private:
    bool ns(const QStringList &command);

    QProcess m_unshare;
    pid_t m_outer = 0; // unshare itself: in the new mnt/uts/ipc/net namespaces
    pid_t m_inner = 0; // the sleep: pid 1 of the new pid namespace
};

void TestInspectLive::initTestCase()
{
    if (::geteuid() != 0)
        QSKIP("needs root to create pid, mount and network namespaces and to setns into them; "
              "run as root: sudo ctest -L privileged");
    for (const char *tool : {"unshare", "lsns", "findmnt", "nsenter", "ip"}) {
        if (QStandardPaths::findExecutable(tool).isEmpty())
            QSKIP(qPrintable(QString("%1 is not installed (util-linux / iproute2)").arg(tool)));
    }
    m_unshare.start("unshare", {"--fork", "--pid", "--mount-proc", "--uts", "--ipc", "--net",
                                "--mount", "sleep", "30"});
    QVERIFY2(m_unshare.waitForStarted(), qPrintable(m_unshare.errorString()));
    m_outer = pid_t(m_unshare.processId());
    const std::string children =
        "/proc/" + std::to_string(m_outer) + "/task/" + std::to_string(m_outer) + "/children";
    // The inner pid is ready once it has exec'd sleep (after --mount-proc).
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            std::string text;
            readFileNoThrow(children, text);
            auto pid = parsePid(text.substr(0, text.find(' ')));
            std::string status;
            if (!pid || readFileNoThrow(procPath("/proc", *pid, "status"), status) != 0)
                return false;
            m_inner = *pid;
            return parseStatus(status).name == "sleep";
        }(),
        5000);
    // More than lo to look at, all inside the new network namespace: a veth
    // pair, addresses of both families, a default route and one in table 100.
    QVERIFY(ns({"ip", "link", "set", "lo", "up"}));
    QVERIFY(ns({"ip", "link", "add", "hoodv0", "type", "veth", "peer", "name", "hoodv1"}));
    QVERIFY(ns({"ip", "addr", "add", "10.213.0.1/24", "dev", "hoodv0"}));
    QVERIFY(ns({"ip", "addr", "add", "fd00:686f:6f64::1/64", "dev", "hoodv1"}));
    QVERIFY(ns({"ip", "link", "set", "hoodv0", "up"}));
    QVERIFY(ns({"ip", "link", "set", "hoodv1", "mtu", "1400", "up"}));
    QVERIFY(ns({"ip", "route", "add", "default", "via", "10.213.0.254", "dev", "hoodv0"}));
    QVERIFY(ns({"ip", "route", "add", "192.0.2.0/24", "via", "10.213.0.2", "dev", "hoodv0", "table",
                "100", "proto", "static"}));
}

void TestInspectLive::cleanupTestCase()
{
    // SIGKILL: the pid namespace's init ignores SIGTERM; unshare then exits.
    if (m_inner > 0)
        ::kill(m_inner, SIGKILL);
    if (m_unshare.state() != QProcess::NotRunning && !m_unshare.waitForFinished(5000)) {
        m_unshare.kill();
        m_unshare.waitForFinished(5000);
    }
}

bool TestInspectLive::ns(const QStringList &command)
{
    QByteArray out;
    QString error;
    bool ok =
        run(QStringList{"nsenter", "-t", QString::number(m_inner), "-n"} + command, &out, &error);
    if (!ok)
        qWarning("%s", qPrintable(error));
    return ok;
}

void TestInspectLive::namespacesMatchLsns()
{
    QJsonDocument lsns = runJson({"lsns", "-J", "-p", QString::number(m_inner)});
    QMap<QString, quint64> byType;
    flattenLsns(lsns.object()["namespaces"].toArray(), byType);
    QCOMPARE(byType.size(), 8);
    NsView view = inspectNamespaces(m_inner, {m_outer});
    for (const NsInfo &info : kNamespaces) {
        const NsEntry &entry = view.entry(info.kind);
        QCOMPARE(entry.state, NsState::Ok);
        QCOMPARE(entry.id.inode,
                 byType.value(QString::fromLatin1(info.procName.data(), info.procName.size())));
    }
    // unshare created these five; the other three are the host's.
    for (NsKind kind : {NsKind::Pid, NsKind::Mount, NsKind::Uts, NsKind::Ipc, NsKind::Network})
        QVERIFY2(!view.entry(kind).sharedWithHost, nsInfo(kind).procName.data());
    for (NsKind kind : {NsKind::User, NsKind::Cgroup, NsKind::Time})
        QVERIFY2(view.entry(kind).sharedWithHost, qPrintable(q(view.hostReference)));
    // unshare --fork itself joined the new namespaces except the pid one, which
    // only its child entered.
    QCOMPARE(view.entry(NsKind::Network).sharedWith, std::vector<pid_t>{m_outer});
    QCOMPARE(view.entry(NsKind::Mount).sharedWith, std::vector<pid_t>{m_outer});
    QVERIFY(view.entry(NsKind::Pid).sharedWith.empty());
}

// A child drops to nobody and looks at the root-owned sleep: every kind must
// come back Denied with errno's sentence, not as an exception. Only raw system
// calls and the reader run in the child, which reports through its exit code.
void TestInspectLive::namespacesOfRootProcessAreDeniedToNobody()
{
    pid_t child = ::fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        if (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)
            ::_exit(2);
        NsSet set = readNamespaces(m_inner);
        for (const NsEntry &entry : set) {
            if (entry.state != NsState::Denied
                || entry.error.find(": permission denied") == std::string::npos)
                ::_exit(1);
        }
        ::_exit(0);
    }
    int status = 0;
    QCOMPARE(::waitpid(child, &status, 0), child);
    QVERIFY(WIFEXITED(status));
    QCOMPARE(WEXITSTATUS(status), 0);
}

void TestInspectLive::mountTreeMatchesFindmnt()
{
    QJsonDocument findmnt = runJson({"findmnt", "-J", "-N", QString::number(m_inner)});
    QList<MountRow> expected;
    flattenFindmnt(findmnt.object()["filesystems"].toArray(), QString(), expected);
    QVERIFY(!expected.isEmpty());

    MountTree tree = readMountTree(m_inner);
    QList<MountRow> actual;
    for (const MountEntry &mount : tree.mounts) {
        QString parent =
            mount.parent >= 0 ? q(tree.mounts[size_t(mount.parent)].target) : QString();
        actual.append({parent, q(mount.target), q(findmntSource(mount)), q(mount.fstype)});
    }
    std::sort(expected.begin(), expected.end());
    std::sort(actual.begin(), actual.end());
    QCOMPARE(actual, expected);
}

// The inner table is a copy of this process's plus the proc that --mount-proc
// put over /proc, so against this process that is the only change.
void TestInspectLive::mountDiffShowsTheFreshProc()
{
    MountTree inner = readMountTree(m_inner);
    MountTree mine = readMountTree(::getpid());
    MountDiff diff = diffMounts(inner, mine);
    QCOMPARE(diff.added.size(), size_t(1));
    const MountEntry &proc = inner.mounts[size_t(diff.added[0])];
    QCOMPARE(proc.target, std::string("/proc"));
    QCOMPARE(proc.fstype, std::string("proc"));
    QVERIFY(diff.removed.empty());
}

void TestInspectLive::linksAndAddressesMatchIp()
{
    NetView view;
    QJsonDocument ip =
        stableAround({"nsenter", "-t", QString::number(m_inner), "-n", "ip", "-j", "addr"},
                     [&] { view = readNetView(m_inner); });
    QVERIFY2(!ip.isNull(), "ip -j addr never gave the same output twice in a row");
    QJsonArray links = ip.array();
    QCOMPARE(view.links.size(), size_t(links.size()));
    QSet<QString> expectedAddresses;
    for (const QJsonValue &value : links) {
        QJsonObject link = value.toObject();
        const NetLink *mine = view.link(link["ifindex"].toInt());
        QVERIFY(mine);
        QCOMPARE(q(mine->name), link["ifname"].toString());
        QCOMPARE(int(mine->mtu), link["mtu"].toInt());
        QCOMPARE(q(mine->mac), link["address"].toString());
        QCOMPARE(q(mine->operState), link["operstate"].toString());
        QCOMPARE(q(mine->linkType), link["link_type"].toString());
        QCOMPARE(mine->up, link["flags"].toArray().contains("UP"));
        QCOMPARE(mine->lowerUp, link["flags"].toArray().contains("LOWER_UP"));
        QCOMPARE(q(view.linkName(mine->linkIndex)), link["link"].toString());
        for (const QJsonValue &addr : link["addr_info"].toArray()) {
            QJsonObject a = addr.toObject();
            expectedAddresses.insert(QString("%1 %2 %3/%4 %5")
                                         .arg(link["ifindex"].toInt())
                                         .arg(a["family"].toString(), a["local"].toString())
                                         .arg(a["prefixlen"].toInt())
                                         .arg(a["scope"].toString()));
        }
    }
    QSet<QString> actualAddresses;
    for (const NetAddress &a : view.addresses)
        actualAddresses.insert(QString("%1 %2 %3/%4 %5")
                                   .arg(a.ifindex)
                                   .arg(q(a.family), q(a.address))
                                   .arg(a.prefixLen)
                                   .arg(q(a.scope)));
    QCOMPARE(actualAddresses, expectedAddresses);
    QVERIFY(actualAddresses.contains(
        QString("%1 inet 10.213.0.1/24 global").arg(view.links.back().ifindex)));

    // What ip -j addr does not print without -d: the veth kind and the peer.
    const NetLink *lo = view.link(1);
    QVERIFY(lo);
    QCOMPARE(lo->type(), std::string("loopback"));
    for (const NetLink &link : view.links) {
        if (link.name == "hoodv0" || link.name == "hoodv1") {
            QCOMPARE(link.type(), std::string("veth"));
            QVERIFY(!link.linkNetnsId); // the peer is in this same namespace
            QCOMPARE(view.linkName(link.linkIndex), link.name == "hoodv0" ? "hoodv1" : "hoodv0");
        }
    }
}

void TestInspectLive::routesMatchIp()
{
    NetView view;
    QJsonDocument ip = stableAround({"nsenter", "-t", QString::number(m_inner), "-n", "ip", "-j",
                                     "route", "show", "table", "all"},
                                    [&] { view = readNetView(m_inner); });
    QVERIFY2(!ip.isNull(), "ip -j route never gave the same output twice in a row");
    QSet<QString> expected;
    for (const QJsonValue &value : ip.array()) {
        QJsonObject r = value.toObject();
        // ip leaves out the defaults: table main, type unicast, protocol boot.
        expected.insert(QStringList{r["dst"].toString(), r["gateway"].toString(),
                                    r["dev"].toString(),
                                    r.contains("table") ? r["table"].toString() : "main",
                                    r.contains("type") ? r["type"].toString() : "unicast",
                                    r.contains("protocol") ? r["protocol"].toString() : "boot"}
                            .join(' '));
    }
    QSet<QString> actual;
    for (const NetRoute &r : view.routes) {
        // One row per next hop, as ip prints IPv6 routes that libnl merged.
        for (const NetNextHop &hop : r.nextHops) {
            actual.insert(QStringList{q(r.dst), q(hop.gateway), q(view.linkName(hop.ifindex)),
                                      q(r.table), q(r.type), q(r.protocol)}
                              .join(' '));
        }
    }
    QCOMPARE(actual, expected);
    QVERIFY(actual.contains("default 10.213.0.254 hoodv0 main unicast boot"));
    QVERIFY(actual.contains("192.0.2.0/24 10.213.0.2 hoodv0 100 unicast static"));
}

// Traffic on lo only, which nothing else in this namespace uses, so ip and
// Hood must read the same counters.
void TestInspectLive::loopbackCountersMatchIp()
{
    QVERIFY(ns({"bash", "-c", "echo hood > /dev/udp/127.0.0.1/9"}));
    NetView view = readNetView(m_inner);
    QJsonDocument ip = runJson(
        {"nsenter", "-t", QString::number(m_inner), "-n", "ip", "-j", "-s", "link", "show", "lo"});
    QJsonObject stats = ip.array().at(0).toObject()["stats64"].toObject();
    const NetLink *lo = view.link(1);
    QVERIFY(lo);
    QVERIFY(lo->txPackets > 0);
    QCOMPARE(lo->rxBytes, quint64(stats["rx"].toObject()["bytes"].toDouble()));
    QCOMPARE(lo->rxPackets, quint64(stats["rx"].toObject()["packets"].toDouble()));
    QCOMPARE(lo->txBytes, quint64(stats["tx"].toObject()["bytes"].toDouble()));
    QCOMPARE(lo->txPackets, quint64(stats["tx"].toObject()["packets"].toDouble()));
}

// The setns happens on a thread of its own: the calling thread stays in its
// namespace, and the socket keeps reading the container's after the thread is
// gone (a second read sees the same links).
void TestInspectLive::netnsReaderLeavesTheCallerAlone()
{
    struct stat before {};
    struct stat after {};
    QCOMPARE(::stat("/proc/thread-self/ns/net", &before), 0);
    NetnsReader reader(m_inner);
    NetView first = reader.read();
    QCOMPARE(::stat("/proc/thread-self/ns/net", &after), 0);
    QCOMPARE(after.st_ino, before.st_ino);
    NetView own = NetnsReader().read();
    QVERIFY(first.link(1));
    QCOMPARE(reader.read().links.size(), first.links.size());
    bool sameAsOwn = own.links.size() == first.links.size();
    for (size_t i = 0; sameAsOwn && i < own.links.size(); ++i)
        sameAsOwn = own.links[i].name == first.links[i].name;
    QVERIFY(!sameAsOwn);
}

void TestInspectLive::netnsReaderErrorIsASentence()
{
    pid_t gone = 0x3ffffff; // above pid_max's 4194304 ceiling: never a process
    try {
        NetnsReader reader(gone);
        QFAIL("no error for a pid that does not exist");
    } catch (const Error &e) {
        QCOMPARE(std::string(e.what()),
                 "open /proc/" + std::to_string(gone) + "/ns/net: no such file or directory");
    }
}

void TestInspectLive::processTreeShowsContainerPid1()
{
    ProcessTree tree = buildProcessTree(descendantsOf(m_outer));
    QCOMPARE(tree.processes.size(), size_t(2));
    const ProcessInfo *outer = tree.byPid(m_outer);
    const ProcessInfo *inner = tree.byPid(m_inner);
    QVERIFY(outer && inner);
    QCOMPARE(outer->nsPid, m_outer); // unshare stays in the host's pid namespace
    QCOMPARE(inner->nsPid, 1);
    QCOMPARE(inner->ppid, m_outer);
    QCOMPARE(inner->commandLine(), std::string("sleep 30"));
    QCOMPARE(inner->state, 'S');
    QCOMPARE(inner->threads, 1);
    QCOMPARE(inner->uid, uid_t(0));
    QCOMPARE(tree.roots, std::vector<int>{int(outer - tree.processes.data())});
    QCOMPARE(tree.processes[size_t(inner->parent)].pid, m_outer);
}

// Where a hierarchy is mounted, and the controller pidsInCgroup() names it by.
// v1's pids hierarchy (this build machine's hybrid layout) and the v2 one: at
// /sys/fs/cgroup on a pure v2 machine (desktops, the QEMU VM of tests/vm), at
// /sys/fs/cgroup/unified in hybrid mode. Its /proc/PID/cgroup line is "0::/path".
void TestInspectLive::pidsInCgroupFindsTheContainer_data()
{
    QTest::addColumn<QString>("hierarchy");
    QTest::addColumn<QString>("controller");
    QTest::addRow("v1-pids") << "/sys/fs/cgroup/pids" << "pids";
    const QString v2 = QFile::exists("/sys/fs/cgroup/cgroup.procs") ? "/sys/fs/cgroup"
                                                                      : "/sys/fs/cgroup/unified";
    QTest::addRow("v2") << v2 << "";
}

// The inner pid moves into a cgroup of its own under <hierarchy>/hood, is found
// there, and moves back before the cgroup is removed.
void TestInspectLive::pidsInCgroupFindsTheContainer()
{
    QFETCH(QString, hierarchy);
    QFETCH(QString, controller);
    if (!QFile::exists(hierarchy + "/cgroup.procs"))
        QSKIP(qPrintable("no cgroup hierarchy mounted at " + hierarchy + " on this machine"));
    const std::string ctrl = controller.toStdString();
    std::string original;
    for (const CgroupLine &line : parseProcCgroup(readFile(procPath("/proc", m_inner, "cgroup")))) {
        const bool match = ctrl.empty()
            ? line.isUnified()
            : std::find(line.controllers.begin(), line.controllers.end(), ctrl)
                != line.controllers.end();
        if (match)
            original = line.path;
    }
    QVERIFY2(!original.empty(), qPrintable("the sleep has no line for " + hierarchy
                                           + " in /proc/PID/cgroup"));
    const QString name = QString("hood/inspect-live-%1").arg(::getpid());
    const bool madeParent = QDir(hierarchy).mkdir("hood");
    QVERIFY(QDir(hierarchy).mkpath(name));
    auto moveTo = [&](const QString &cgroup) {
        QFile procs(hierarchy + cgroup + "/cgroup.procs");
        return procs.open(QIODevice::WriteOnly) && procs.write(QByteArray::number(m_inner)) > 0;
    };
    bool moved = moveTo("/" + name);
    std::vector<pid_t> found = inspect::pidsInCgroup(ctrl, "/" + name.toStdString());
    bool back = moveTo(q(original));
    QDir(hierarchy).rmdir(name);
    if (madeParent)
        QDir(hierarchy).rmdir("hood");
    QVERIFY(moved);
    QVERIFY(back);
    QCOMPARE(found, std::vector<pid_t>{m_inner});
}

QTEST_GUILESS_MAIN(TestInspectLive)
#include "tst_inspect_live.moc"
