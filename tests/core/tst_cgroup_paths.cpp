// core/cgroups' one reader of /proc/PID/cgroup and its one mapping from a cgroup
// directory to its hierarchy, and the delegated v2 subtree a rootless container
// gets its cgroup in: on fixture trees laid out like /sys/fs/cgroup.
#include "cgroupfixture.h"
#include "cgroups/cgroup_paths.h"
#include "cgroups/delegation.h"
#include "error.h"

#include <QtTest>

#include <unistd.h>

using namespace cgfixture;

Q_DECLARE_METATYPE(hood::CgroupMode)

namespace {

const char *kHybridSelf = "12:pids:/user.slice/user-1000.slice/session-2.scope\n"
                          "4:cpu,cpuacct:/user.slice\n"
                          "1:name=systemd:/user.slice/user-1000.slice/session-2.scope\n"
                          "0::/user.slice/user-1000.slice/session-2.scope\n";

// A v2 tree with a subtree <root>/user-1000 (the delegated one) holding the
// caller's leaf <root>/user-1000/shell, as the VM test builds it by hand.
void buildDelegatedTree(Tree &tree, const QString &controllers = "cpu io memory pids\n")
{
    buildTree(tree, Layout::V2);
    for (const QString &dir : {QString("user-1000"), QString("user-1000/shell")}) {
        tree.mkdir(dir);
        tree.write(dir + "/cgroup.procs", "");
        tree.write(dir + "/cgroup.subtree_control", "");
        tree.write(dir + "/cgroup.controllers", controllers);
    }
}

bool chownAll(const QString &path, uid_t uid)
{
    return ::chown(path.toLocal8Bit(), uid, uid) == 0;
}

} // namespace

class TestCgroupPaths : public QObject {
    Q_OBJECT

private slots:
    void lineFor_data();
    void lineFor();
    void hierarchyMounts_data();
    void hierarchyMounts();
    void processLocation_data();
    void processLocation();
    void containerDir_data();
    void containerDir();
    void delegation_data();
    void delegation();
    void delegationStopsAtSomeoneElses();
    void missingControllers();
    void v2ManagerInDelegatedBase();
    void v1RefusesABase();
};

void TestCgroupPaths::lineFor_data()
{
    QTest::addColumn<QString>("controller");
    QTest::addColumn<QString>("path"); // "" = no line
    QTest::addRow("pids") << "pids" << "/user.slice/user-1000.slice/session-2.scope";
    QTest::addRow("co-mounted cpuacct") << "cpuacct" << "/user.slice";
    QTest::addRow("named hierarchy") << "name=systemd" << "/user.slice/user-1000.slice/session-2.scope";
    QTest::addRow("v2 line") << "" << "/user.slice/user-1000.slice/session-2.scope";
    QTest::addRow("no memory line") << "memory" << "";
}

void TestCgroupPaths::lineFor()
{
    QFETCH(QString, controller);
    QFETCH(QString, path);
    auto lines = parseProcCgroup(kHybridSelf);
    const ProcCgroupLine *line = cgroupLineFor(lines, controller.toStdString());
    QCOMPARE(line ? QString::fromStdString(line->path) : QString(), path);
}

void TestCgroupPaths::hierarchyMounts_data()
{
    QTest::addColumn<QString>("procCgroup");
    QTest::addColumn<QStringList>("mounts"); // "dir options"
    QTest::addRow("hybrid") << kHybridSelf
                            << QStringList{"pids pids", "cpu,cpuacct cpu,cpuacct", "systemd none,name=systemd"};
    QTest::addRow("pure v2") << "0::/user.slice\n" << QStringList{};
}

void TestCgroupPaths::hierarchyMounts()
{
    QFETCH(QString, procCgroup);
    QFETCH(QStringList, mounts);
    QStringList got;
    for (const CgroupHierarchyMount &m : v1HierarchyMounts(parseProcCgroup(procCgroup.toStdString())))
        got << QString::fromStdString(m.dir + " " + m.options);
    QCOMPARE(got, mounts);
}

void TestCgroupPaths::processLocation_data()
{
    QTest::addColumn<QStringList>("dirs");
    QTest::addColumn<CgroupMode>("mode");
    QTest::addColumn<QString>("controller");
    QTest::addColumn<QString>("path");
    QTest::addRow("v1 picks pids") << QStringList{"/sys/fs/cgroup/memory/hood/a", "/sys/fs/cgroup/pids/hood/a"}
                                   << CgroupMode::V1 << "pids" << "/hood/a";
    QTest::addRow("v1 without pids") << QStringList{"/sys/fs/cgroup/cpu,cpuacct/hood/a"} << CgroupMode::Hybrid
                                     << "cpu" << "/hood/a";
    // A rootless container's cgroup in a delegated subtree: one v2 directory, its
    // first component no controller (the GUI used to read "user.slice" as one).
    QTest::addRow("v2 delegated") << QStringList{"/sys/fs/cgroup/user.slice/user@1000.service/hood/a"}
                                  << CgroupMode::V2 << "" << "/user.slice/user@1000.service/hood/a";
    QTest::addRow("outside root") << QStringList{"/tmp/hood/a"} << CgroupMode::V2 << "-" << "";
}

void TestCgroupPaths::processLocation()
{
    QFETCH(QStringList, dirs);
    QFETCH(CgroupMode, mode);
    QFETCH(QString, controller);
    QFETCH(QString, path);
    std::vector<std::string> list;
    for (const QString &d : dirs)
        list.push_back(d.toStdString());
    auto where = processCgroupLocation(list, mode);
    QCOMPARE(where ? QString::fromStdString(where->controller) : QString("-"), controller);
    QCOMPARE(where ? QString::fromStdString(where->path) : QString(), path);
}

void TestCgroupPaths::containerDir_data()
{
    QTest::addColumn<CgroupMode>("mode");
    QTest::addColumn<QString>("base");
    QTest::addColumn<QString>("controller");
    QTest::addColumn<QString>("dir");
    QTest::addRow("v2") << CgroupMode::V2 << "" << "memory" << "/sys/fs/cgroup/hood/c";
    QTest::addRow("v2 delegated") << CgroupMode::V2 << "/sys/fs/cgroup/user-1000" << "memory"
                                  << "/sys/fs/cgroup/user-1000/hood/c";
    QTest::addRow("v1") << CgroupMode::V1 << "" << "pids" << "/sys/fs/cgroup/pids/hood/c";
    QTest::addRow("hybrid") << CgroupMode::Hybrid << "" << "memory" << "/sys/fs/cgroup/memory/hood/c";
}

void TestCgroupPaths::containerDir()
{
    QFETCH(CgroupMode, mode);
    QFETCH(QString, base);
    QFETCH(QString, controller);
    QFETCH(QString, dir);
    CgroupOptions options;
    options.base = base.toStdString();
    options.name = "c";
    QCOMPARE(QString::fromStdString(containerCgroupDir(mode, controller.toStdString(), options)), dir);
}

void TestCgroupPaths::delegation_data()
{
    QTest::addColumn<CgroupMode>("mode");
    QTest::addColumn<QString>("self");     // the 0:: path
    QTest::addColumn<bool>("ownedByUs");   // the uid asked is the tree's owner
    QTest::addColumn<QString>("base");     // relative to the tree; "" = refused
    QTest::addColumn<QString>("whyContains");
    QTest::addRow("shell in a leaf") << CgroupMode::V2 << "/user-1000/shell" << true << "user-1000"
                                     << "is delegated to uid";
    QTest::addRow("in the delegated cgroup itself")
        << CgroupMode::V2 << "/user-1000" << true << "" << "a cgroup without processes";
    QTest::addRow("someone else's") << CgroupMode::V2 << "/user-1000/shell" << false << ""
                                    << "is not delegated to uid";
    QTest::addRow("root cgroup") << CgroupMode::V2 << "/" << true << "" << "root cgroup";
    QTest::addRow("hybrid") << CgroupMode::Hybrid << "/user-1000/shell" << true << ""
                            << "hybrid mode";
    QTest::addRow("v1") << CgroupMode::V1 << "/user-1000/shell" << true << "" << "v1 mode";
}

void TestCgroupPaths::delegation()
{
    QFETCH(CgroupMode, mode);
    QFETCH(QString, self);
    QFETCH(bool, ownedByUs);
    QFETCH(QString, base);
    QFETCH(QString, whyContains);
    Tree tree;
    buildDelegatedTree(tree);
    // The whole fixture belongs to us, its root included: the topmost owned
    // directory below the root is the base, never the root itself.
    const uid_t uid = ownedByUs ? ::geteuid() : ::geteuid() + 4242;
    CgroupDelegation d =
        findDelegatedBase(tree.rootStd(), mode, "0::" + self.toStdString() + "\n", uid);
    QCOMPARE(QString::fromStdString(d.base), base.isEmpty() ? QString() : tree.path(base));
    QVERIFY2(QString::fromStdString(d.why).contains(whyContains), d.why.c_str());
    if (d.delegated())
        QCOMPARE(d.controllers, (std::vector<std::string>{"cpu", "io", "memory", "pids"}));
}

// systemd's layout: user.slice is root's, user@1000.service and below the user's.
void TestCgroupPaths::delegationStopsAtSomeoneElses()
{
    if (::geteuid() != 0)
        QSKIP("needs root to chown the fixture tree to another uid (run the unit tests as root)");
    Tree tree;
    buildTree(tree, Layout::V2);
    const QString service = "user.slice/user@1000.service";
    const QString leaf = service + "/app.slice/term.scope";
    for (const QString &dir : {QString("user.slice"), service, service + "/app.slice", leaf}) {
        tree.mkdir(dir);
        tree.write(dir + "/cgroup.procs", "");
        tree.write(dir + "/cgroup.subtree_control", "");
        tree.write(dir + "/cgroup.controllers", "memory pids\n");
        if (dir == "user.slice")
            continue;
        for (const QString &f : {QString(""), QString("/cgroup.procs"), QString("/cgroup.subtree_control")})
            QVERIFY(chownAll(tree.path(dir + f), 1000));
    }
    CgroupDelegation d = findDelegatedBase(tree.rootStd(), CgroupMode::V2,
                                           "0::/" + leaf.toStdString() + "\n", 1000);
    QCOMPARE(QString::fromStdString(d.base), tree.path(service));
    // cgroup.subtree_control still root's: not delegated, whoever owns the directory.
    QVERIFY(chownAll(tree.path(service + "/cgroup.subtree_control"), 0));
    d = findDelegatedBase(tree.rootStd(), CgroupMode::V2, "0::/" + leaf.toStdString() + "\n", 1000);
    QCOMPARE(QString::fromStdString(d.base), tree.path(service + "/app.slice"));
}

void TestCgroupPaths::missingControllers()
{
    CgroupDelegation d;
    d.base = "/sys/fs/cgroup/user-1000";
    d.controllers = {"memory", "pids"};
    Resources r;
    r.memoryLimit = 1 << 20;
    r.cpuQuota = 50000;
    r.pidsLimit = 10;
    QCOMPARE(hood::missingControllers(d, r), std::vector<std::string>{"cpu"});
    r.cpuQuota.reset();
    QVERIFY(hood::missingControllers(d, r).empty());
}

// The container's cgroup goes to <base>/hood/<name>; controllers are enabled in
// the base and the parent, never in the root, which is not the caller's.
void TestCgroupPaths::v2ManagerInDelegatedBase()
{
    Tree tree;
    buildDelegatedTree(tree, "memory pids\n");
    tree.write("cgroup.subtree_control", "cpu memory\n");
    tree.mkdir("user-1000/hood/c1");
    tree.write("user-1000/hood/cgroup.controllers", "");
    tree.write("user-1000/hood/cgroup.subtree_control", "");
    tree.write("user-1000/hood/c1/memory.max", "max\n");
    tree.write("user-1000/hood/c1/pids.max", "max\n");
    CgroupOptions options;
    options.root = tree.rootStd();
    options.base = tree.rootStd() + "/user-1000";
    options.name = "c1";
    options.mode = CgroupMode::V2;
    auto cg = makeCgroupManager(options);
    QCOMPARE(cg->paths(), std::vector<std::string>{options.base + "/hood/c1"});
    QCOMPARE(cg->cloneIntoPath(), options.base + "/hood/c1");
    cg->create();
    Resources r;
    r.memoryLimit = 32 << 20;
    r.pidsLimit = 10;
    cg->apply(r);
    QCOMPARE(tree.read("cgroup.subtree_control"), QString("cpu memory\n")); // untouched
    QCOMPARE(tree.read("user-1000/cgroup.subtree_control"), QString("+memory +pids"));
    QCOMPARE(tree.read("user-1000/hood/cgroup.subtree_control"), QString("+memory +pids"));
    QCOMPARE(tree.read("user-1000/hood/c1/memory.max"), QString::number(32 << 20));
    QCOMPARE(tree.read("user-1000/hood/c1/pids.max"), QString("10"));
    // cpu is in the root's list but not delegated: refused by the base's list.
    r = {};
    r.cpuQuota = 50000;
    try {
        cg->apply(r);
        QFAIL("cpu was applied without being delegated");
    } catch (const hood::Error &e) {
        QVERIFY2(QString(e.what()).contains(tree.path("user-1000/cgroup.controllers")), e.what());
    }
}

void TestCgroupPaths::v1RefusesABase()
{
    CgroupOptions options;
    options.base = "/sys/fs/cgroup/user-1000";
    options.name = "c1";
    options.mode = CgroupMode::Hybrid;
    QVERIFY_THROWS_EXCEPTION(hood::Error, makeCgroupManager(options));
}

QTEST_GUILESS_MAIN(TestCgroupPaths)
#include "tst_cgroup_paths.moc"
