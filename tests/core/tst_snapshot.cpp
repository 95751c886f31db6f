// core/inspect/snapshot: where a cgroup directory sits (the arguments of
// pidsInCgroup), and a snapshot of this test's own process, whose parts are
// read independently of each other.
#include "inspect/snapshot.h"

#include <QTest>

#include <algorithm>
#include <unistd.h>

using namespace hood;
using namespace hood::inspect;

Q_DECLARE_METATYPE(hood::CgroupMode)

class TestSnapshot : public QObject {
    Q_OBJECT

private slots:
    void cgroupLocationOf_data();
    void cgroupLocationOf();
    void snapshotOfThisProcess();
};

void TestSnapshot::cgroupLocationOf_data()
{
    QTest::addColumn<QString>("dir");
    QTest::addColumn<CgroupMode>("mode");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("controller");
    QTest::addColumn<QString>("path");
    QTest::addRow("v1-pids") << "/sys/fs/cgroup/pids/hood/a" << CgroupMode::V1 << true << "pids"
                             << "/hood/a";
    QTest::addRow("v1-joined-hierarchy")
        << "/sys/fs/cgroup/cpu,cpuacct/hood/a" << CgroupMode::Hybrid << true << "cpu"
        << "/hood/a";
    QTest::addRow("v1-hierarchy-root")
        << "/sys/fs/cgroup/memory" << CgroupMode::V1 << true << "memory"
        << "/";
    QTest::addRow("hybrid-unified")
        << "/sys/fs/cgroup/unified/hood/a" << CgroupMode::Hybrid << true << ""
        << "/hood/a";
    QTest::addRow("v2") << "/sys/fs/cgroup/hood/a" << CgroupMode::V2 << true << ""
                        << "/hood/a";
    QTest::addRow("v2-root") << "/sys/fs/cgroup" << CgroupMode::V2 << true << ""
                             << "/";
    QTest::addRow("outside-root") << "/tmp/hood/a" << CgroupMode::V2 << false << ""
                                  << "";
    QTest::addRow("prefix-is-not-a-parent")
        << "/sys/fs/cgroupx/hood" << CgroupMode::V2 << false << ""
        << "";
}

void TestSnapshot::cgroupLocationOf()
{
    QFETCH(QString, dir);
    QFETCH(CgroupMode, mode);
    QFETCH(bool, found);
    QFETCH(QString, controller);
    QFETCH(QString, path);
    std::optional<CgroupLocation> where = cgroupLocation(dir.toStdString(), mode);
    QCOMPARE(where.has_value(), found);
    if (!where)
        return;
    QCOMPARE(QString::fromStdString(where->controller), controller);
    QCOMPARE(QString::fromStdString(where->path), path);
}

void TestSnapshot::snapshotOfThisProcess()
{
    SnapshotRequest request;
    request.pid = getpid();
    Snapshot s = takeSnapshot(request);
    QCOMPARE(s.pid, getpid());
    QVERIFY2(s.namespaces.value, s.namespaces.error.c_str());
    QVERIFY2(s.mounts.value, s.mounts.error.c_str());
    QVERIFY2(s.processes.value, s.processes.error.c_str());
    QVERIFY(s.processes.value->byPid(getpid()));
    // The network namespace is entered with setns even when it is our own, which
    // needs CAP_SYS_ADMIN: as a normal user that part fails alone, with a sentence.
    if (geteuid() == 0)
        QVERIFY2(s.network.value, s.network.error.c_str());
    else
        QVERIFY(s.network.value || s.network.error.find("setns") != std::string::npos);
    // Each part has either a value or a sentence, never neither.
    QVERIFY(s.cgroup.value || !s.cgroup.error.empty());
    nlohmann::json j = s;
    QCOMPARE(j["pid"].get<int>(), int(getpid()));
    QCOMPARE(j["errors"].contains("network"), !s.network.value);
    QCOMPARE(j["processes"].size(), s.processes.value->processes.size());
}

QTEST_GUILESS_MAIN(TestSnapshot)
#include "tst_snapshot.moc"
