// The preflight verdicts: made-up machines for every branch, then this machine.
#include "preflight.h"

#include <QStandardPaths>
#include <QtTest>

#include <unistd.h>

using namespace hood::gui;
using Level = PreflightItem::Level;

namespace {

MachineFacts goodRootMachine()
{
    MachineFacts f;
    f.uid = 0;
    f.cgroupMode = hood::CgroupMode::V2;
    f.maxUserNamespaces = 15000;
    f.kernelRelease = "6.1.0-13-amd64";
    f.overlayFilesystem = true;
    f.qemuSystem = "/usr/bin/qemu-system-x86_64";
    f.qemuUser = "/usr/bin/qemu-x86_64";
    return f;
}

const PreflightItem &item(const QVector<PreflightItem> &items, const QString &key)
{
    static PreflightItem none;
    for (const PreflightItem &it : items) {
        if (it.key == key)
            return it;
    }
    return none;
}

} // namespace

class TestPreflight : public QObject {
    Q_OBJECT

public:
    // Before anything makes a QSettings: the test's settings go to a test location
    // (~/.qttest), never to the person's own.
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void verdicts_data();
    void verdicts();
    void kernelVersion_data();
    void kernelVersion();
    void thisMachine();
};

void TestPreflight::verdicts_data()
{
    QTest::addColumn<MachineFacts>("facts");
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("level");
    QTest::addColumn<QString>("fixContains");
    MachineFacts f = goodRootMachine();
    QTest::addRow("root") << f << "privileges" << int(Level::Ok) << "";
    QTest::addRow("v2") << f << "cgroups" << int(Level::Ok) << "";
    QTest::addRow("qemu present") << f << "qemu" << int(Level::Ok) << "";
    f.uid = 1000;
    QTest::addRow("rootless") << f << "privileges" << int(Level::Limited) << "sudo";
    f.cgroupMode = hood::CgroupMode::Hybrid;
    QTest::addRow("hybrid as a user") << f << "cgroups" << int(Level::Limited) << "sudo";
    f = goodRootMachine();
    f.cgroupMode = std::nullopt;
    f.cgroupError = "statfs /sys/fs/cgroup: no such file or directory";
    QTest::addRow("no cgroups") << f << "cgroups" << int(Level::Missing) << "cgroup2";
    f = goodRootMachine();
    f.maxUserNamespaces = 0;
    QTest::addRow("userns disabled") << f << "userns" << int(Level::Missing) << "user.max_user_namespaces";
    f = goodRootMachine();
    f.uid = 1000;
    f.unprivilegedUsernsClone = 0;
    QTest::addRow("debian switch off") << f << "userns" << int(Level::Missing) << "unprivileged_userns_clone=1";
    f.uid = 0;
    QTest::addRow("debian switch off, root") << f << "userns" << int(Level::Ok) << "unprivileged_userns_clone=1";
    f = goodRootMachine();
    f.uid = 1000;
    f.apparmorRestrictsUserns = 1;
    QTest::addRow("apparmor") << f << "userns" << int(Level::Limited) << "AppArmor";
    f = goodRootMachine();
    f.uid = 1000;
    f.kernelRelease = "5.10.0-28-amd64";
    QTest::addRow("old kernel overlay") << f << "overlay" << int(Level::Limited) << "5.11";
    f.kernelRelease = "5.11.0";
    QTest::addRow("5.11 overlay") << f << "overlay" << int(Level::Ok) << "";
    f.overlayFilesystem = false;
    QTest::addRow("no overlayfs") << f << "overlay" << int(Level::Missing) << "modprobe overlay";
    f.overlayModule = true;
    QTest::addRow("overlay module not loaded yet") << f << "overlay" << int(Level::Ok) << "";
    f = goodRootMachine();
    f.qemuUser.clear();
    QTest::addRow("qemu-user missing") << f << "qemu" << int(Level::Limited) << "qemu-user";
}

void TestPreflight::verdicts()
{
    QFETCH(MachineFacts, facts);
    QFETCH(QString, key);
    QFETCH(int, level);
    QFETCH(QString, fixContains);
    const QVector<PreflightItem> items = judgeMachine(facts);
    QCOMPARE(items.size(), 5);
    const PreflightItem &it = item(items, key);
    QCOMPARE(it.key, key);
    QCOMPARE(int(it.level), level);
    QVERIFY(!it.verdict.isEmpty());
    QVERIFY(!it.reason.isEmpty());
    if (fixContains.isEmpty())
        QVERIFY2(it.level != Level::Ok || it.fix.isEmpty() || key == "cgroups", qPrintable(it.fix));
    else
        QVERIFY2(it.fix.contains(fixContains), qPrintable(it.fix));
}

void TestPreflight::kernelVersion_data()
{
    QTest::addColumn<QString>("release");
    QTest::addColumn<int>("major");
    QTest::addColumn<int>("minor");
    QTest::addRow("debian") << "6.1.0-13-amd64" << 6 << 1;
    QTest::addRow("plain") << "5.11" << 5 << 11;
    QTest::addRow("garbage") << "linux" << 0 << 0;
}

void TestPreflight::kernelVersion()
{
    QFETCH(QString, release);
    QFETCH(int, major);
    QFETCH(int, minor);
    QCOMPARE(hood::gui::kernelVersion(release), std::make_pair(major, minor));
}

void TestPreflight::thisMachine()
{
    const MachineFacts f = readMachineFacts();
    QCOMPARE(f.uid, unsigned(geteuid()));
    QVERIFY2(f.cgroupMode.has_value(), qPrintable(f.cgroupError));
    QVERIFY(hood::gui::kernelVersion(f.kernelRelease).first >= 3);
    QFile max("/proc/sys/user/max_user_namespaces");
    if (max.open(QIODevice::ReadOnly))
        QCOMPARE(f.maxUserNamespaces.value_or(-1), max.readAll().trimmed().toLong());
    const QVector<PreflightItem> items = judgeMachine(f);
    QCOMPARE(item(items, "privileges").level, geteuid() == 0 ? Level::Ok : Level::Limited);
}

QTEST_GUILESS_MAIN(TestPreflight)
#include "tst_preflight.moc"
