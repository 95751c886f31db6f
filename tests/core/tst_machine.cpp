// probeMachine on fixture trees (a made-up /proc, /sys/fs/cgroup, PATH, library
// dirs) and the checks it leads to: each row a machine.
#include "cgroupfixture.h"
#include "machine/machine.h"

#include <QtTest>

#include <unistd.h>

using namespace cgfixture;

namespace {

// /proc as probeMachine reads it; an empty value leaves the file out.
struct ProcFiles {
    QString maxUserNamespaces;
    QString unprivilegedClone;
    QString osrelease = "6.1.0-13-amd64\n";
    QString filesystems = "nodev\ttmpfs\nnodev\toverlay\n\text4\n";
};

void writeProc(Tree &tree, const ProcFiles &p)
{
    tree.mkdir("proc/sys/user");
    tree.mkdir("proc/sys/kernel");
    tree.mkdir("proc/self");
    tree.write("proc/self/cgroup", "0::/user-1000/shell\n");
    if (!p.maxUserNamespaces.isEmpty())
        tree.write("proc/sys/user/max_user_namespaces", p.maxUserNamespaces);
    if (!p.unprivilegedClone.isEmpty())
        tree.write("proc/sys/kernel/unprivileged_userns_clone", p.unprivilegedClone);
    tree.write("proc/sys/kernel/osrelease", p.osrelease);
    tree.write("proc/filesystems", p.filesystems);
}

void writeExecutable(Tree &tree, const QString &rel)
{
    tree.write(rel, "#!/bin/sh\n");
    QVERIFY(QFile::setPermissions(tree.path(rel), QFile::ReadOwner | QFile::ExeOwner));
}

hood::MachineSources sourcesIn(const Tree &tree, unsigned uid)
{
    hood::MachineSources s;
    s.procRoot = tree.rootStd() + "/proc";
    s.cgroupRoot = "/sys/fs/cgroup"; // the mode needs statfs of a real cgroup mount
    s.modulesRoot = tree.rootStd() + "/modules";
    s.devKvm = tree.rootStd() + "/dev/kvm";
    s.path = tree.rootStd() + "/bin";
    s.libraryDirs = {tree.rootStd() + "/lib"};
    s.uid = uid;
    s.stateRoot = tree.rootStd() + "/state/hood";
    s.findStore = false;
    return s;
}

const hood::MachineCheck &check(const std::vector<hood::MachineCheck> &checks, const std::string &key)
{
    static hood::MachineCheck none;
    for (const hood::MachineCheck &c : checks)
        if (c.key == key)
            return c;
    return none;
}

} // namespace

Q_DECLARE_METATYPE(ProcFiles)

class TestMachine : public QObject {
    Q_OBJECT

private slots:
    void proc_data();
    void proc();
    void programs();
    void stateRoot();
    void kernelVersion_data();
    void kernelVersion();
    void json();
};

void TestMachine::proc_data()
{
    QTest::addColumn<ProcFiles>("files");
    QTest::addColumn<unsigned>("uid");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("level");
    QTest::addColumn<QString>("reasonContains");
    ProcFiles p;
    p.maxUserNamespaces = "15000\n";
    QTest::addRow("userns allowed") << p << 1000u << "userns" << "ok" << "allows 15000 per user";
    p.maxUserNamespaces = "0\n";
    QTest::addRow("userns off") << p << 1000u << "userns" << "missing" << "is 0";
    p.maxUserNamespaces = "15000\n";
    p.unprivilegedClone = "0\n";
    QTest::addRow("debian switch, user") << p << 1000u << "userns" << "missing" << "unprivileged_userns_clone is 0";
    QTest::addRow("debian switch, root") << p << 0u << "userns" << "ok" << "only root";
    p = {};
    QTest::addRow("no limit file") << p << 1000u << "userns" << "ok" << "no limit file";
    QTest::addRow("overlay listed") << p << 1000u << "overlay" << "ok" << "6.1.0-13-amd64";
    p.filesystems = "nodev\ttmpfs\n";
    QTest::addRow("overlay absent") << p << 1000u << "overlay" << "missing" << "not in /proc/filesystems";
    p = {};
    p.osrelease = "5.4.0-42-generic\n";
    QTest::addRow("old kernel") << p << 1000u << "kernel" << "limited" << "5.4.0-42-generic is older than 5.11";
    QTest::addRow("old kernel overlay") << p << 1000u << "overlay" << "limited" << "older than 5.11";
}

void TestMachine::proc()
{
    QFETCH(ProcFiles, files);
    QFETCH(unsigned, uid);
    QFETCH(QString, key);
    QFETCH(QString, level);
    QFETCH(QString, reasonContains);
    Tree tree;
    writeProc(tree, files);
    const hood::MachineFacts facts = hood::probeMachine(sourcesIn(tree, uid));
    const std::vector<hood::MachineCheck> checks = hood::machineChecks(facts);
    const hood::MachineCheck &c = check(checks, key.toStdString());
    QCOMPARE(QString::fromStdString(c.key), key);
    QCOMPARE(QString(hood::checkLevelName(c.level)), level);
    QVERIFY2(QString::fromStdString(c.reason).contains(reasonContains), c.reason.c_str());
}

void TestMachine::programs()
{
    Tree tree;
    writeProc(tree, {});
    tree.mkdir("bin");
    tree.mkdir("lib");
    hood::MachineFacts f = hood::probeMachine(sourcesIn(tree, 1000));
    QVERIFY(f.qemuSystem.empty());
    QVERIFY(f.libnftables.empty());
    QVERIFY(!f.kvmDevice);
    auto checks = hood::machineChecks(f);
    QCOMPARE(check(checks, "qemu").level, hood::CheckLevel::Limited);
    QCOMPARE(check(checks, "kvm").verdict, std::string("no /dev/kvm"));
    QCOMPARE(check(checks, "nftables").level, hood::CheckLevel::Limited);

    writeExecutable(tree, "bin/qemu-system-x86_64");
    writeExecutable(tree, "bin/qemu-x86_64");
    tree.write("lib/libnftables.so.1", "");
    tree.write("bin/not-executable", "");
    f = hood::probeMachine(sourcesIn(tree, 1000));
    QCOMPARE(QString::fromStdString(f.qemuSystem), tree.path("bin/qemu-system-x86_64"));
    QCOMPARE(QString::fromStdString(f.libnftables), tree.path("lib/libnftables.so.1"));
    checks = hood::machineChecks(f);
    QCOMPARE(check(checks, "qemu").level, hood::CheckLevel::Ok);
    QCOMPARE(check(checks, "nftables").level, hood::CheckLevel::Ok);

    // A /dev/kvm that opens but runs no guest (here a plain file: its ioctls fail)
    // is not usable: the trial guest says so, with the step that failed.
    tree.mkdir("dev");
    tree.write("dev/kvm", "");
    f = hood::probeMachine(sourcesIn(tree, 1000));
    QVERIFY(f.kvmDevice);
    QCOMPARE(f.kvmErrno, 0);
    QVERIFY(QString::fromStdString(f.kvmTrialProblem).contains("KVM_GET_API_VERSION failed"));
    checks = hood::machineChecks(f);
    QCOMPARE(check(checks, "kvm").level, hood::CheckLevel::Limited);
    QCOMPARE(check(checks, "kvm").verdict, std::string("opens, does not work"));
    QCOMPARE(hood::machineJson(f, checks)["facts"]["kvm"].get<bool>(), false);
}

void TestMachine::stateRoot()
{
    Tree tree;
    writeProc(tree, {});
    // Not there yet, but its parent may be made: fine.
    hood::MachineFacts f = hood::probeMachine(sourcesIn(tree, 1000));
    QVERIFY2(f.stateRootProblem.empty(), f.stateRootProblem.c_str());
    // A file where the directory should be.
    tree.write("state", "");
    f = hood::probeMachine(sourcesIn(tree, 1000));
    QCOMPARE(QString::fromStdString(f.stateRootProblem), tree.path("state") + " is not a directory");
    QCOMPARE(check(hood::machineChecks(f), "stateroot").level, hood::CheckLevel::Missing);
}

void TestMachine::kernelVersion_data()
{
    QTest::addColumn<QString>("release");
    QTest::addColumn<int>("major");
    QTest::addColumn<int>("minor");
    QTest::addRow("debian") << "6.1.0-13-amd64" << 6 << 1;
    QTest::addRow("plain") << "5.11" << 5 << 11;
    QTest::addRow("no minor") << "6" << 0 << 0;
    QTest::addRow("garbage") << "linux" << 0 << 0;
}

void TestMachine::kernelVersion()
{
    QFETCH(QString, release);
    QFETCH(int, major);
    QFETCH(int, minor);
    QCOMPARE(hood::kernelVersion(release.toStdString()), std::make_pair(major, minor));
}

void TestMachine::json()
{
    Tree tree;
    writeProc(tree, {});
    const hood::MachineFacts f = hood::probeMachine(sourcesIn(tree, 1000));
    const auto checks = hood::machineChecks(f);
    nlohmann::json j = hood::machineJson(f, checks);
    QCOMPARE(j["checks"].size(), checks.size());
    QCOMPARE(j["checks"][1]["key"].get<std::string>(), std::string("cgroups"));
    QCOMPARE(j["checks"][1]["level"].get<std::string>(), std::string(hood::checkLevelName(checks[1].level)));
    QCOMPARE(j["facts"]["uid"].get<unsigned>(), 1000u);
    QCOMPARE(j["facts"]["kernel"].get<std::string>(), std::string("6.1.0-13-amd64"));
    QCOMPARE(QString::fromStdString(j["facts"]["stateRoot"].get<std::string>()), tree.path("state/hood"));
}

QTEST_GUILESS_MAIN(TestMachine)
#include "tst_machine.moc"
