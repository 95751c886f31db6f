// The preflight verdicts: made-up machines for every branch, then this machine,
// and what `hoodctl info --json` says about it: the same words.
#include "preflight.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <cerrno>
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
    f.kvmDevice = true;
    f.nft = "/usr/sbin/nft";
    f.libnftables = "/usr/lib/x86_64-linux-gnu/libnftables.so.1";
    f.stateRoot = "/run/hood";
    f.store = "/usr/share/hood/images/busybox/rootfs";
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
    void agreesWithHoodctlInfo();
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
    f = goodRootMachine();
    f.uid = 1000;
    f.delegation.why = "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope (this process's "
                       "cgroup) is not delegated to uid 1000";
    QTest::addRow("v2, not delegated") << f << "cgroups" << int(Level::Limited) << "user@1000.service";
    f.delegation.base = "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service";
    f.delegation.controllers = {"memory", "pids"};
    QTest::addRow("v2, delegated without cpu") << f << "cgroups" << int(Level::Limited) << "Delegate=";
    f.delegation.controllers = {"cpu", "io", "memory", "pids"};
    QTest::addRow("v2, delegated") << f << "cgroups" << int(Level::Ok) << "";
    f = goodRootMachine();
    f.kvmDevice = false;
    QTest::addRow("no kvm") << f << "kvm" << int(Level::Limited) << "modprobe kvm";
    f.kvmDevice = true;
    f.kvmErrno = EACCES;
    QTest::addRow("kvm not ours") << f << "kvm" << int(Level::Limited) << "usermod -aG kvm";
    f = goodRootMachine();
    f.libnftables.clear();
    QTest::addRow("no libnftables") << f << "nftables" << int(Level::Limited) << "libnftables1";
    f = goodRootMachine();
    QTest::addRow("kernel 6.1") << f << "kernel" << int(Level::Ok) << "";
    f.kernelRelease = "5.4.0";
    QTest::addRow("kernel 5.4") << f << "kernel" << int(Level::Limited) << "5.11";
    f = goodRootMachine();
    f.stateRootProblem = "write to /run/hood: permission denied";
    QTest::addRow("state root closed") << f << "stateroot" << int(Level::Missing) << "--root";
    f = goodRootMachine();
    f.storeProblem = "image busybox not found (looked in /nowhere)";
    QTest::addRow("no image") << f << "store" << int(Level::Missing) << "HOOD_IMAGES_DIR";
}

void TestPreflight::verdicts()
{
    QFETCH(MachineFacts, facts);
    QFETCH(QString, key);
    QFETCH(int, level);
    QFETCH(QString, fixContains);
    const QVector<PreflightItem> items = judgeMachine(facts);
    QCOMPARE(items.size(), 10);
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
    QVERIFY2(f.cgroupMode.has_value(), f.cgroupError.c_str());
    QVERIFY(hood::gui::kernelVersion(QString::fromStdString(f.kernelRelease)).first >= 3);
    QFile max("/proc/sys/user/max_user_namespaces");
    if (max.open(QIODevice::ReadOnly))
        QCOMPARE(f.maxUserNamespaces.value_or(-1), max.readAll().trimmed().toLong());
    const QVector<PreflightItem> items = judgeMachine(f);
    QCOMPARE(item(items, "privileges").level, geteuid() == 0 ? Level::Ok : Level::Limited);
}

// The window's model and `hoodctl info --json` on this machine: every check in
// the same order with the same words, so neither can drift from core's.
void TestPreflight::agreesWithHoodctlInfo()
{
    QTemporaryDir root;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOOD_ROOT", root.path());
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(HOODCTL), {"info", "--json"});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(p.readAllStandardOutput(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonArray checks = doc.object().value("checks").toArray();
    QCOMPARE(doc.object().value("facts").toObject().value("stateRoot").toString(), root.path());

    qputenv("HOOD_ROOT", root.path().toLocal8Bit());
    const QVector<PreflightItem> items = judgeMachine(readMachineFacts());
    qunsetenv("HOOD_ROOT");
    QCOMPARE(checks.size(), items.size());
    for (int i = 0; i < items.size(); ++i) {
        const QJsonObject c = checks[i].toObject();
        const PreflightItem &it = items[i];
        QCOMPARE(c.value("key").toString(), it.key);
        QCOMPARE(c.value("title").toString(), it.title);
        QCOMPARE(c.value("level").toString(), levelWord(it.level));
        QCOMPARE(c.value("verdict").toString(), it.verdict);
        QCOMPARE(c.value("reason").toString(), it.reason);
        QCOMPARE(c.value("fix").toString(), it.fix);
    }
}

QTEST_GUILESS_MAIN(TestPreflight)
#include "tst_preflight.moc"
