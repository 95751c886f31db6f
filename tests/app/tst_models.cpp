// Every model of the window under QAbstractItemModelTester, fed with real data read
// from this machine: the host's own mount tree and namespaces, this test's own
// process tree, this machine's preflight facts.
#include "inspection.h"
#include "models/containerlistmodel.h"
#include "models/mounttreemodel.h"
#include "models/namespacemodel.h"
#include "models/preflightmodel.h"
#include "models/processtreemodel.h"

#include <QAbstractItemModelTester>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

#include <unistd.h>

using namespace hood::gui;

namespace {

// Every index below `parent`, depth first; the count must equal the core struct's.
int countRows(const QAbstractItemModel &m, const QModelIndex &parent = {})
{
    int n = 0;
    for (int r = 0; r < m.rowCount(parent); ++r)
        n += 1 + countRows(m, m.index(r, 0, parent));
    return n;
}

ContainerRow row(const QString &id, const QString &status, int pid)
{
    ContainerRow r;
    r.id = id;
    r.status = status;
    r.pid = pid;
    r.created = QDateTime::currentDateTimeUtc().addSecs(-75);
    r.command = {"sh"};
    return r;
}

} // namespace

class TestModels : public QObject {
    Q_OBJECT

public:
    // Before anything makes a QSettings: the test's settings go to a test location
    // (~/.qttest), never to the person's own.
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void containerList();
    void namespacesOfThisProcess();
    void hostMountTree();
    void mountTreeMarksAddedMounts();
    void processTreeOfThisTest();
    void preflight();
};

void TestModels::containerList()
{
    ContainerListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ContainerRow stopped = row("b", "stopped", 0);
    stopped.exitCode = 137;
    stopped.finished = stopped.created.addSecs(10);
    model.setRows({row("a", "running", getpid()), stopped});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ContainerListModel::Name).data().toString(), QStringLiteral("a"));
    QCOMPARE(model.index(1, ContainerListModel::State).data().toString(), QStringLiteral("killed (signal 9)"));
    QCOMPARE(model.index(1, ContainerListModel::Uptime).data().toString(), QStringLiteral("10 s"));
    QVERIFY(model.index(0, ContainerListModel::Uptime).data().toString().startsWith("1 min"));
    // Same IDs: a data change; a new ID: a reset. The tester checks both.
    QVector<ContainerRow> rows = {row("a", "running", getpid()), stopped};
    rows[0].cpuPercent = 12.5;
    rows[0].memory = 3 * 1024 * 1024;
    model.setRows(rows);
    QCOMPARE(model.index(0, ContainerListModel::Cpu).data().toString(), QStringLiteral("12.5 %"));
    QCOMPARE(model.index(0, ContainerListModel::Memory).data().toString(), QStringLiteral("3 MiB"));
    rows << row("c", "created", 0);
    model.setRows(rows);
    QCOMPARE(model.rowOf("c"), 2);
    model.setRows({});
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::namespacesOfThisProcess()
{
    NamespaceTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    NamespaceSnapshot snap = readNamespaceSnapshot({});
    QCOMPARE(snap.participants.size(), 1);
    // This process as the "container": it shares every namespace with the host
    // reference when that reference is itself, or pid 1 in the same namespaces.
    snap.participants << NamespaceParticipant {"self", getpid(), false, hood::inspect::readNamespaces(getpid())};
    model.setSnapshot(snap, "self");
    QCOMPARE(model.rowCount(), 8);
    int readable = 0;
    for (const hood::NsInfo &info : hood::kNamespaces) {
        const auto &mine = snap.participants[1].set[size_t(info.kind)];
        const auto &host = snap.participants[0].set[size_t(info.kind)];
        const int r = model.rowOfKind(kindKey(info.kind));
        QCOMPARE(r, int(info.kind));
        QCOMPARE(model.index(r, NamespaceTableModel::ContainerInode).data().toString(), inodeText(mine));
        if (mine.state != hood::inspect::NsState::Ok || host.state != hood::inspect::NsState::Ok)
            continue;
        ++readable;
        const bool shared = mine.id == host.id;
        QCOMPARE(model.index(r, 0).data(NamespaceTableModel::SharedRole).toBool(), shared);
        QCOMPARE(model.index(r, NamespaceTableModel::Isolation).data().toString(),
                 shared ? QStringLiteral("shared with host") : QStringLiteral("private"));
        QVERIFY(!model.index(r, 0).data(Qt::ToolTipRole).toString().isEmpty());
    }
    QCOMPARE(model.comparedKinds(), readable);
    model.setSnapshot(snap, "not-there");
    QCOMPARE(model.comparedKinds(), 0);
}

void TestModels::hostMountTree()
{
    MountTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    MountSnapshot snap;
    snap.id = "self";
    snap.pid = getpid();
    snap.tree = hood::inspect::readMountTree(getpid());
    snap.host = snap.tree;
    snap.diff = hood::inspect::diffMounts(snap.tree, snap.host);
    model.setSnapshot(snap);
    QVERIFY(model.mountCount() > 0);
    QCOMPARE(countRows(model), model.mountCount());
    QCOMPARE(model.addedCount(), 0);
    const QModelIndex root = model.indexOfTarget("/");
    QVERIFY(root.isValid());
    QCOMPARE(root.data().toString(), QStringLiteral("/"));
    QCOMPARE(root.siblingAtColumn(MountTreeModel::Compared).data().toString(), QStringLiteral("as on host"));
    // Read again a second later: the same mounts update in place, no reset (the
    // page keeps its scroll position and selection).
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    MountSnapshot again = snap;
    again.tree = hood::inspect::readMountTree(getpid());
    QCOMPARE(model.setSnapshot(again), again.tree.mounts.size() != snap.tree.mounts.size());
    if (again.tree.mounts.size() == snap.tree.mounts.size()) {
        QCOMPARE(resets.count(), 0);
        QVERIFY(changes.count() > 0);
    }
    MountSnapshot other = again;
    other.id = "other";
    QVERIFY(model.setSnapshot(other)); // another container: always a new tree
}

// Kernel-made fixtures (tests/core/fixtures/inspect/mountinfo): a container's
// table and its host's. The container's overlay root and its /proc, /dev are not
// on the host, and the model must mark exactly those.
namespace {
hood::inspect::MountTree fixtureTree(const QString &name)
{
    QFile f(QStringLiteral(HOOD_SOURCE_DIR "/tests/core/fixtures/inspect/mountinfo/") + name);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return hood::inspect::parseMountInfo(f.readAll().toStdString(), f.fileName().toStdString());
}

int countAdded(const QAbstractItemModel &m, const QModelIndex &parent = {})
{
    int n = 0;
    for (int r = 0; r < m.rowCount(parent); ++r) {
        const QModelIndex i = m.index(r, 0, parent);
        n += i.data(MountTreeModel::AddedRole).toBool() + countAdded(m, i);
    }
    return n;
}
} // namespace

void TestModels::mountTreeMarksAddedMounts()
{
    MountTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    MountSnapshot snap;
    snap.tree = fixtureTree("container-overlay.txt");
    snap.host = fixtureTree("host.txt");
    QVERIFY(!snap.tree.mounts.empty() && !snap.host.mounts.empty());
    snap.diff = hood::inspect::diffMounts(snap.tree, snap.host);
    model.setSnapshot(snap);
    QCOMPARE(countRows(model), int(snap.tree.mounts.size()));
    QVERIFY(model.addedCount() > 0);
    QCOMPARE(countAdded(model), model.addedCount());
    const QModelIndex root = model.indexOfTarget("/");
    QVERIFY(root.isValid());
    QCOMPARE(root.siblingAtColumn(MountTreeModel::Type).data().toString(), QStringLiteral("overlay"));
    QCOMPARE(root.siblingAtColumn(MountTreeModel::Compared).data().toString(), QStringLiteral("added"));
    QVERIFY(root.data(Qt::BackgroundRole).isValid());
}

void TestModels::processTreeOfThisTest()
{
    // A child with a grandchild, so the tree has depth.
    QProcess child;
    child.start("sh", {"-c", "sleep 30 & sleep 30; wait"});
    QVERIFY(child.waitForStarted());
    QTRY_VERIFY(hood::inspect::descendantsOf(getpid()).size() >= 4); // us, sh, two sleeps
    ProcessTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    ProcessSnapshot snap;
    snap.id = "self";
    snap.tree = hood::inspect::buildProcessTree(hood::inspect::descendantsOf(getpid()));
    model.setSnapshot(snap);
    QCOMPARE(countRows(model), model.processCount());
    QCOMPARE(model.rowCount(), 1); // this test process is the only root
    const QModelIndex me = model.index(0, ProcessTreeModel::HostPid);
    QCOMPARE(me.data().toInt(), int(getpid()));
    const QModelIndex sh = model.index(0, 0, model.index(0, 0));
    QVERIFY(sh.isValid());
    QVERIFY2(sh.data().toString().contains("sh -c sleep 30"), qPrintable(sh.data().toString()));
    QCOMPARE(model.rowCount(sh), 2); // the two sleeps
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QVERIFY(!model.setSnapshot(snap)); // same processes: values update in place
    QCOMPARE(resets.count(), 0);
    child.kill();
    child.waitForFinished();
    model.setSnapshot({});
    QCOMPARE(model.rowCount(), 0);
}

void TestModels::preflight()
{
    PreflightModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setItems(judgeMachine(readMachineFacts()));
    QCOMPARE(model.rowCount(), int(judgeMachine(readMachineFacts()).size()));
    for (int r = 0; r < model.rowCount(); ++r) {
        const QString verdict = model.index(r, PreflightModel::Verdict).data().toString();
        QVERIFY2(verdict.startsWith("ok:") || verdict.startsWith("limited:") || verdict.startsWith("missing:"),
                 qPrintable(verdict));
        QVERIFY(model.index(r, PreflightModel::Verdict).data(Qt::BackgroundRole).isValid());
    }
}

QTEST_MAIN(TestModels)
#include "tst_models.moc"
