// The cgroup manager on fixture trees (cgroupfixture.h), with
// CgroupOptions::mode set so that statfs is never asked: mode detection,
// layout, create/destroy, the limits apply() writes, removeCgroupPath's
// refusals and formatBytes. Where the kernel would fill a new cgroup with control
// files, the test writes them with the kernel's defaults (as read on the build
// machine, or as documented for v2) after create().
#include "cgroupfixture.h"
#include "cgroups/cgroup_parse.h"
#include "cgroups/cgroups.h"
#include "error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QtTest>

using namespace hood;
using namespace cgfixture;

Q_DECLARE_METATYPE(hood::CgroupMode)
Q_DECLARE_METATYPE(hood::Resources)

using FileContents = QMap<QString, QString>; // relative path -> content

namespace {

// v2 parent as the kernel would show it once it exists.
void buildV2Parent(Tree &tree, const QString &subtreeControl = "")
{
    tree.mkdir("hood");
    tree.write("hood/cgroup.controllers", "");
    tree.write("hood/cgroup.subtree_control", subtreeControl);
}

// The files a new cgroup gets, with the values the build machine's kernel
// shows (v1) or the kernel documentation gives as defaults (v2).
QMap<QString, QString> leafDefaults(Layout layout, bool swapAccounting)
{
    QMap<QString, QString> files;
    if (layout == Layout::V2) {
        files = {{"hood/c1/memory.max", "max\n"},
                 {"hood/c1/cpu.max", "max 100000\n"},
                 {"hood/c1/cpu.weight", "100\n"},
                 {"hood/c1/pids.max", "max\n"},
                 {"hood/c1/cgroup.procs", ""}};
        if (swapAccounting)
            files.insert("hood/c1/memory.swap.max", "max\n");
        return files;
    }
    files = {{"memory/hood/c1/memory.limit_in_bytes", kUnlimitedV1},
             {"cpu/hood/c1/cpu.cfs_quota_us", "-1\n"},
             {"cpu/hood/c1/cpu.cfs_period_us", "100000\n"},
             {"cpu/hood/c1/cpu.shares", "1024\n"},
             {"pids/hood/c1/pids.max", "max\n"}};
    if (swapAccounting)
        files.insert("memory/hood/c1/memory.memsw.limit_in_bytes", kUnlimitedV1);
    return files;
}

QStringList relativePaths(const Tree &tree, const std::vector<std::string> &paths)
{
    QStringList list;
    for (const std::string &p : paths)
        list << QString::fromStdString(p).mid(tree.root().size() + 1);
    return list;
}

Resources memory(int64_t bytes)
{
    Resources r;
    r.memoryLimit = bytes;
    return r;
}

Resources cpu(std::optional<int64_t> quota, std::optional<uint64_t> period,
              std::optional<uint64_t> shares = {})
{
    Resources r;
    r.cpuQuota = quota;
    r.cpuPeriod = period;
    r.cpuShares = shares;
    return r;
}

Resources pids(int64_t limit)
{
    Resources r;
    r.pidsLimit = limit;
    return r;
}

QString errorOf(const std::function<void()> &fn)
{
    try {
        fn();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(no error)");
}

} // namespace

class TestCgroups : public QObject {
    Q_OBJECT

private slots:
    void modeFromMagic_data();
    void modeFromMagic();
    void detectMissingRoot();
    void invalidNames_data();
    void invalidNames();
    void paths_data();
    void paths();
    void createV1MakesParentAndLeaves();
    void cpusetInheritsParent();
    void destroyKeepsSharedParent();
    void specPath_data();
    void specPath();
    void createV2_data();
    void createV2();
    void applyV1_data();
    void applyV1();
    void applyV2_data();
    void applyV2();
    void missingController_data();
    void missingController();
    void writeErrorNamesFileAndValue();
    void sharesToWeight_data();
    void sharesToWeight();
    void formatBytes_data();
    void formatBytes();
    void removeRefuses_data();
    void removeRefuses();
};

void TestCgroups::modeFromMagic_data()
{
    QTest::addColumn<long>("root");
    QTest::addColumn<long>("unified");
    QTest::addColumn<QString>("expected"); // a mode name, or the error

    const long tmpfs = 0x01021994, cgroup2 = 0x63677270, cgroup1 = 0x27e0eb, ext4 = 0xef53;
    QTest::addRow("v1") << tmpfs << 0L << "v1";
    QTest::addRow("v1-unified-not-cgroup2") << tmpfs << tmpfs << "v1";
    QTest::addRow("hybrid") << tmpfs << cgroup2 << "hybrid";
    QTest::addRow("v2") << cgroup2 << 0L << "v2";
    QTest::addRow("v2-unified-ignored") << cgroup2 << cgroup2 << "v2";
    QTest::addRow("neither-ext4")
        << ext4 << 0L
        << "cgroup root is neither a cgroup2 mount nor a tmpfs holding cgroup v1 "
           "hierarchies (filesystem type 0xef53)";
    QTest::addRow("neither-one-v1-hierarchy")
        << cgroup1 << 0L
        << "cgroup root is neither a cgroup2 mount nor a tmpfs holding "
           "cgroup v1 hierarchies (filesystem type 0x27e0eb)";
}

void TestCgroups::modeFromMagic()
{
    QFETCH(long, root);
    QFETCH(long, unified);
    QFETCH(QString, expected);
    QString got;
    try {
        got = cgroupModeName(cgroupModeFromMagic(root, unified));
    } catch (const Error &e) {
        got = e.what();
    }
    QCOMPARE(got, expected);
}

void TestCgroups::detectMissingRoot()
{
    QCOMPARE(errorOf([] { detectCgroupMode("/nonexistent-hood-root"); }),
             "statfs /nonexistent-hood-root: no such file or directory");
}

void TestCgroups::invalidNames_data()
{
    QTest::addColumn<QString>("parent");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("error");
    QTest::addRow("empty-name") << "hood"
                                << ""
                                << "cgroup name \"\": must be one non-empty path component";
    QTest::addRow("dotdot-name") << "hood"
                                 << ".."
                                 << "cgroup name \"..\": must be one non-empty path component";
    QTest::addRow("slash-name") << "hood"
                                << "a/b"
                                << "cgroup name \"a/b\": must be one non-empty path component";
    QTest::addRow("slash-parent") << "../x"
                                  << "c1"
                                  << "cgroup parent \"../x\": must be one non-empty path component";
}

void TestCgroups::invalidNames()
{
    QFETCH(QString, parent);
    QFETCH(QString, name);
    QFETCH(QString, error);
    Tree tree;
    buildTree(tree, Layout::V2);
    CgroupOptions options;
    options.root = tree.rootStd();
    options.parent = parent.toStdString();
    options.name = name.toStdString();
    options.mode = CgroupMode::V2;
    QCOMPARE(errorOf([&] { makeCgroupManager(options); }), error);
}

void TestCgroups::paths_data()
{
    QTest::addColumn<int>("layout");
    QTest::addColumn<QStringList>("expected");
    // freezer last: pause and resume (runc's verbs) need it.
    QTest::addRow("v1") << int(Layout::V1)
                        << QStringList{"memory/hood/c1", "cpu/hood/c1", "cpuacct/hood/c1",
                                       "pids/hood/c1", "blkio/hood/c1", "freezer/hood/c1",
                                       "cpuset/hood/c1", "systemd/hood/c1"};
    // The cpu and cpuacct symlinks lead to one hierarchy, listed once.
    QTest::addRow("v1-cpu-cpuacct-comounted")
        << int(Layout::V1CoMounted)
        << QStringList{"memory/hood/c1", "cpu,cpuacct/hood/c1", "pids/hood/c1", "blkio/hood/c1", "freezer/hood/c1",
                       "cpuset/hood/c1", "systemd/hood/c1"};
    QTest::addRow("v1-without-blkio")
        << int(Layout::V1NoBlkio)
        << QStringList{"memory/hood/c1", "cpu/hood/c1", "cpuacct/hood/c1", "pids/hood/c1",
                                       "freezer/hood/c1", "cpuset/hood/c1", "systemd/hood/c1"};
    // Hybrid mode drives the v1 controllers; the controller-less unified tree is unused.
    QTest::addRow("hybrid") << int(Layout::Hybrid)
                            << QStringList{"memory/hood/c1", "cpu/hood/c1", "cpuacct/hood/c1",
                                           "pids/hood/c1", "blkio/hood/c1", "freezer/hood/c1",
                                           "cpuset/hood/c1", "systemd/hood/c1"};
    QTest::addRow("v2") << int(Layout::V2) << QStringList{"hood/c1"};
}

void TestCgroups::paths()
{
    QFETCH(int, layout);
    QFETCH(QStringList, expected);
    Tree tree;
    buildTree(tree, Layout(layout));
    auto cg = manager(tree, Layout(layout));
    QCOMPARE(cg->mode(), modeOf(Layout(layout)));
    QCOMPARE(relativePaths(tree, cg->paths()), expected);
}

void TestCgroups::createV1MakesParentAndLeaves()
{
    Tree tree;
    buildTree(tree, Layout::V1CoMounted);
    auto cg = manager(tree, Layout::V1CoMounted);
    cg->create();
    for (const QString &rel : relativePaths(tree, cg->paths()))
        QVERIFY2(QFileInfo(tree.path(rel)).isDir(), qPrintable(rel));
    QVERIFY(QFileInfo(tree.path("cpu,cpuacct/hood")).isDir());
    QVERIFY(!tree.exists("devices/hood")); // only with device rules
    cg->create(); // a leftover directory of the same name is reused
    cg->destroy();
    for (const QString &h : QStringList{"memory", "cpu,cpuacct", "pids", "blkio", "cpuset", "systemd"})
        QVERIFY2(!tree.exists(h + "/hood"), qPrintable(h));
}

// A new cpuset cgroup is empty and takes no task: the parent's CPUs and memory
// nodes are copied into each directory made, unless it has its own. (A tmpfs makes
// no control files on mkdir, so the directories are there beforehand, as a
// leftover would be.)
void TestCgroups::cpusetInheritsParent()
{
    Tree tree;
    buildTree(tree, Layout::V1);
    tree.write("cpuset/cpuset.cpus", "0-3\n");
    tree.write("cpuset/cpuset.mems", "0\n");
    tree.mkdir("cpuset/hood/c1");
    for (const QString dir : {"cpuset/hood", "cpuset/hood/c1"}) {
        tree.write(dir + "/cpuset.cpus", "\n");
        tree.write(dir + "/cpuset.mems", "");
    }
    tree.write("cpuset/hood/c1/cpuset.mems", "1\n"); // its own: kept
    auto cg = manager(tree, Layout::V1);
    cg->create();
    QCOMPARE(tree.read("cpuset/hood/cpuset.cpus"), QString("0-3"));
    QCOMPARE(tree.read("cpuset/hood/cpuset.mems"), QString("0"));
    QCOMPARE(tree.read("cpuset/hood/c1/cpuset.cpus"), QString("0-3"));
    QCOMPARE(tree.read("cpuset/hood/c1/cpuset.mems"), QString("1\n"));
}

void TestCgroups::destroyKeepsSharedParent()
{
    Tree tree;
    buildTree(tree, Layout::V1);
    auto a = manager(tree, Layout::V1, "a");
    auto b = manager(tree, Layout::V1, "b");
    a->create();
    b->create();
    a->destroy();
    QVERIFY(!tree.exists("memory/hood/a"));
    QVERIFY(QFileInfo(tree.path("memory/hood/b")).isDir());
    QVERIFY(QFileInfo(tree.path("pids/hood/b")).isDir());
    a->destroy(); // idempotent
    b->destroy();
    QVERIFY(!tree.exists("memory/hood"));
    QVERIFY(!tree.exists("pids/hood"));
}

void TestCgroups::createV2_data()
{
    QTest::addColumn<QString>("controllers");   // <root>/cgroup.controllers
    QTest::addColumn<QString>("rootEnabled");   // <root>/cgroup.subtree_control before
    QTest::addColumn<QString>("parentEnabled"); // hood/cgroup.subtree_control before
    QTest::addColumn<QString>("rootAfter");
    QTest::addColumn<QString>("parentAfter");
    const QString all = "cpuset cpu io memory hugetlb pids rdma misc\n";
    QTest::addRow("nothing-enabled") << all << ""
                                     << ""
                                     << "+cpu +io +memory +pids"
                                     << "+cpu +io +memory +pids";
    QTest::addRow("root-enabled-by-systemd") << all << "cpuset cpu io memory pids\n"
                                             << ""
                                             << "cpuset cpu io memory pids\n"
                                             << "+cpu +io +memory +pids";
    QTest::addRow("all-enabled-nothing-written") << all << "cpu io memory pids\n"
                                                 << "memory pids cpu io\n"
                                                 << "cpu io memory pids\n"
                                                 << "memory pids cpu io\n";
    QTest::addRow("only-some-available") << "cpu memory\n"
                                         << ""
                                         << "memory\n"
                                         << "+cpu +memory"
                                         << "+cpu";
}

void TestCgroups::createV2()
{
    QFETCH(QString, controllers);
    QFETCH(QString, rootEnabled);
    QFETCH(QString, parentEnabled);
    QFETCH(QString, rootAfter);
    QFETCH(QString, parentAfter);
    Tree tree;
    buildTree(tree, Layout::V2, controllers);
    tree.write("cgroup.subtree_control", rootEnabled);
    buildV2Parent(tree, parentEnabled);
    auto cg = manager(tree, Layout::V2);
    cg->create();
    QVERIFY(QFileInfo(tree.path("hood/c1")).isDir());
    QCOMPARE(tree.read("cgroup.subtree_control"), rootAfter);
    QCOMPARE(tree.read("hood/cgroup.subtree_control"), parentAfter);
    QVERIFY(!tree.exists("hood/cgroup.procs")); // no process is ever put in the parent
}

// linux.cgroupsPath: absolute paths lie below each hierarchy's root, ".." cannot
// climb out, the new parents are listed for the journal and left by destroy().
void TestCgroups::specPath_data()
{
    QTest::addColumn<int>("layout");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QStringList>("leaves");
    QTest::addColumn<QStringList>("parents");
    QTest::addRow("v1-podman") << int(Layout::V1) << "/libpod_parent/libpod-x"
        << QStringList{"memory/libpod_parent/libpod-x", "cpu/libpod_parent/libpod-x", "cpuacct/libpod_parent/libpod-x",
                       "pids/libpod_parent/libpod-x", "blkio/libpod_parent/libpod-x", "freezer/libpod_parent/libpod-x",
                       "cpuset/libpod_parent/libpod-x", "systemd/libpod_parent/libpod-x"}
        << QStringList{"memory/libpod_parent", "cpu/libpod_parent", "cpuacct/libpod_parent", "pids/libpod_parent",
                       "blkio/libpod_parent", "freezer/libpod_parent", "cpuset/libpod_parent", "systemd/libpod_parent"};
    QTest::addRow("v2-docker") << int(Layout::V2) << "/docker/x" << QStringList{"docker/x"} << QStringList{"docker"};
    QTest::addRow("v2-deep-dotdot") << int(Layout::V2) << "/../a/./b/../c/x" << QStringList{"a/c/x"}
                                    << QStringList{"a", "a/c"};
}

void TestCgroups::specPath()
{
    QFETCH(int, layout);
    QFETCH(QString, path);
    QFETCH(QStringList, leaves);
    QFETCH(QStringList, parents);
    Tree tree;
    buildTree(tree, Layout(layout));
    CgroupOptions options;
    options.root = tree.rootStd();
    options.name = "ignored";
    options.path = path.toStdString();
    options.mode = modeOf(Layout(layout));
    auto cg = makeCgroupManager(options);
    QCOMPARE(relativePaths(tree, cg->paths()), leaves);
    QCOMPARE(relativePaths(tree, cg->missingParents()), parents);
    if (Layout(layout) == Layout::V2) // the kernel's files, which a mkdir on tmpfs does not make
        for (const QString &dir : parents) {
            tree.mkdir(dir);
            tree.write(dir + "/cgroup.subtree_control", "");
        }
    cg->create();
    for (const QString &leaf : leaves)
        QVERIFY2(QFileInfo(tree.path(leaf)).isDir(), qPrintable(leaf));
    QVERIFY(cg->missingParents().empty());
    cg->destroy();
    for (const QString &leaf : leaves)
        QVERIFY2(!tree.exists(leaf), qPrintable(leaf));
    for (const QString &parent : parents)
        QVERIFY2(tree.exists(parent), qPrintable(parent)); // the journal's to remove
}

void TestCgroups::applyV1_data()
{
    QTest::addColumn<Resources>("resources");
    QTest::addColumn<bool>("swapAccounting");
    QTest::addColumn<FileContents>("expected"); // files that change

    QTest::addRow("memory-64M") << memory(64 << 20) << true
                                << QMap<QString, QString>{
                                       {"memory/hood/c1/memory.limit_in_bytes", "67108864"},
                                       {"memory/hood/c1/memory.memsw.limit_in_bytes", "67108864"}};
    QTest::addRow("memory-64M-no-swap-accounting")
        << memory(64 << 20) << false
        << QMap<QString, QString>{{"memory/hood/c1/memory.limit_in_bytes", "67108864"}};
    QTest::addRow("memory-unlimited")
        << memory(-1) << true
        << QMap<QString, QString>{{"memory/hood/c1/memory.limit_in_bytes", "-1"},
                                  {"memory/hood/c1/memory.memsw.limit_in_bytes", "-1"}};
    QTest::addRow("cpu-half") << cpu(50000, 100000) << true
                              << QMap<QString, QString>{
                                     {"cpu/hood/c1/cpu.cfs_quota_us", "50000"},
                                     {"cpu/hood/c1/cpu.cfs_period_us", "100000"}};
    QTest::addRow("cpu-unlimited")
        << cpu(-1, {}) << true << QMap<QString, QString>{{"cpu/hood/c1/cpu.cfs_quota_us", "-1"}};
    QTest::addRow("cpu-shares") << cpu({}, {}, 512) << true
                                << QMap<QString, QString>{{"cpu/hood/c1/cpu.shares", "512"}};
    QTest::addRow("pids-100") << pids(100) << true
                              << QMap<QString, QString>{{"pids/hood/c1/pids.max", "100"}};
    QTest::addRow("pids-unlimited")
        << pids(-1) << true << QMap<QString, QString>{{"pids/hood/c1/pids.max", "max"}};
    Resources all = cpu(20000, 100000, 2048);
    all.memoryLimit = 1 << 30;
    all.pidsLimit = 64;
    QTest::addRow("all") << all << true
                         << QMap<QString, QString>{
                                {"memory/hood/c1/memory.limit_in_bytes", "1073741824"},
                                {"memory/hood/c1/memory.memsw.limit_in_bytes", "1073741824"},
                                {"cpu/hood/c1/cpu.cfs_quota_us", "20000"},
                                {"cpu/hood/c1/cpu.cfs_period_us", "100000"},
                                {"cpu/hood/c1/cpu.shares", "2048"},
                                {"pids/hood/c1/pids.max", "64"}};
}

void TestCgroups::applyV1()
{
    QFETCH(Resources, resources);
    QFETCH(bool, swapAccounting);
    QFETCH(FileContents, expected);
    Tree tree;
    buildTree(tree, Layout::V1);
    auto cg = manager(tree, Layout::V1);
    cg->create();
    const auto defaults = leafDefaults(Layout::V1, swapAccounting);
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        tree.write(it.key(), it.value());
    cg->apply(resources);
    // Every file holds exactly what was written, and nothing else changed.
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        QCOMPARE(tree.read(it.key()), expected.value(it.key(), it.value()));
    QVERIFY(swapAccounting || !tree.exists("memory/hood/c1/memory.memsw.limit_in_bytes"));
}

void TestCgroups::applyV2_data()
{
    QTest::addColumn<Resources>("resources");
    QTest::addColumn<bool>("swapAccounting");
    QTest::addColumn<FileContents>("expected");

    QTest::addRow("memory-64M") << memory(64 << 20) << true
                                << QMap<QString, QString>{{"hood/c1/memory.max", "67108864"},
                                                          {"hood/c1/memory.swap.max", "0"}};
    QTest::addRow("memory-64M-no-swap-accounting")
        << memory(64 << 20) << false << QMap<QString, QString>{{"hood/c1/memory.max", "67108864"}};
    QTest::addRow("memory-unlimited") << memory(-1) << true
                                      << QMap<QString, QString>{{"hood/c1/memory.max", "max"},
                                                                {"hood/c1/memory.swap.max", "max"}};
    QTest::addRow("cpu-half") << cpu(50000, 100000) << true
                              << QMap<QString, QString>{{"hood/c1/cpu.max", "50000 100000"}};
    QTest::addRow("cpu-quota-only")
        << cpu(50000, {}) << true << QMap<QString, QString>{{"hood/c1/cpu.max", "50000"}};
    QTest::addRow("cpu-unlimited")
        << cpu(-1, 100000) << true << QMap<QString, QString>{{"hood/c1/cpu.max", "max 100000"}};
    QTest::addRow("cpu-period-only-keeps-max")
        << cpu({}, 200000) << true << QMap<QString, QString>{{"hood/c1/cpu.max", "max 200000"}};
    QTest::addRow("shares-1024-weight-39")
        << cpu({}, {}, 1024) << true << QMap<QString, QString>{{"hood/c1/cpu.weight", "39"}};
    QTest::addRow("shares-512-weight-20")
        << cpu({}, {}, 512) << true << QMap<QString, QString>{{"hood/c1/cpu.weight", "20"}};
    QTest::addRow("pids-100") << pids(100) << true
                              << QMap<QString, QString>{{"hood/c1/pids.max", "100"}};
    QTest::addRow("pids-unlimited")
        << pids(-1) << true << QMap<QString, QString>{{"hood/c1/pids.max", "max"}};
}

void TestCgroups::applyV2()
{
    QFETCH(Resources, resources);
    QFETCH(bool, swapAccounting);
    QFETCH(FileContents, expected);
    Tree tree;
    buildTree(tree, Layout::V2);
    buildV2Parent(tree);
    auto cg = manager(tree, Layout::V2);
    cg->create();
    const auto defaults = leafDefaults(Layout::V2, swapAccounting);
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        tree.write(it.key(), it.value());
    cg->apply(resources);
    for (auto it = defaults.begin(); it != defaults.end(); ++it)
        QCOMPARE(tree.read(it.key()), expected.value(it.key(), it.value()));
}

void TestCgroups::missingController_data()
{
    QTest::addColumn<int>("layout");
    QTest::addColumn<Resources>("resources");
    QTest::addColumn<QString>("error"); // %1 = the tree's root
    QTest::addRow("v1-pids")
        << int(Layout::V1) << pids(10)
        << "the pids controller is not available in this cgroup hierarchy (%1/pids missing)";
    QTest::addRow("v1-memory")
        << int(Layout::V1) << memory(1 << 20)
        << "the memory controller is not available in this cgroup hierarchy (%1/memory "
           "missing)";
    QTest::addRow("v2-pids")
        << int(Layout::V2) << pids(10)
        << "the pids controller is not available in this cgroup hierarchy (not listed in "
           "%1/cgroup.controllers)";
    QTest::addRow("v2-cpu")
        << int(Layout::V2) << cpu(50000, 100000)
        << "the cpu controller is not available in this cgroup hierarchy (not listed in "
           "%1/cgroup.controllers)";
}

void TestCgroups::missingController()
{
    QFETCH(int, layout);
    QFETCH(Resources, resources);
    QFETCH(QString, error);
    Tree tree;
    buildTree(tree, Layout(layout), "memory\n");
    if (Layout(layout) == Layout::V2) {
        buildV2Parent(tree);
    } else { // a machine where this controller is not mounted
        QString gone = resources.pidsLimit ? "pids" : "memory";
        QVERIFY(QDir(tree.path(gone)).removeRecursively());
    }
    auto cg = manager(tree, Layout(layout));
    cg->create();
    QCOMPARE(errorOf([&] { cg->apply(resources); }), error.arg(tree.root()));
}

void TestCgroups::writeErrorNamesFileAndValue()
{
    Tree tree;
    buildTree(tree, Layout::V1);
    auto cg = manager(tree, Layout::V1);
    cg->create(); // and no control files in it: the write fails
    QCOMPARE(
        errorOf([&] { cg->apply(memory(64 << 20)); }),
        QStringLiteral(
            "write %1/memory/hood/c1/memory.limit_in_bytes (67108864): no such file or directory")
            .arg(tree.root()));
}

void TestCgroups::sharesToWeight_data()
{
    QTest::addColumn<qulonglong>("shares");
    QTest::addColumn<qulonglong>("weight");
    QTest::addRow("minimum") << 2ULL << 1ULL;
    QTest::addRow("default-1024") << 1024ULL << 39ULL;
    QTest::addRow("512") << 512ULL << 20ULL;
    QTest::addRow("maximum") << 262144ULL << 10000ULL;
    QTest::addRow("below-minimum-clamped") << 0ULL << 1ULL;
    QTest::addRow("above-maximum-clamped") << 1000000ULL << 10000ULL;
}

void TestCgroups::sharesToWeight()
{
    QFETCH(qulonglong, shares);
    QFETCH(qulonglong, weight);
    QCOMPARE(qulonglong(cpuSharesToWeight(shares)), weight);
}

void TestCgroups::formatBytes_data()
{
    QTest::addColumn<qulonglong>("bytes");
    QTest::addColumn<QString>("text");
    QTest::addRow("zero") << 0ULL << "0 B";
    QTest::addRow("below-kib") << 1023ULL << "1023 B";
    QTest::addRow("kib") << 1024ULL << "1 KiB";
    QTest::addRow("kib-and-a-half") << 1536ULL << "1.5 KiB";
    QTest::addRow("64-mib") << 67108864ULL << "64 MiB";
    QTest::addRow("100-mib") << 104857600ULL << "100 MiB";
    QTest::addRow("gib") << 1073741824ULL << "1 GiB";
    QTest::addRow("gib-and-a-half") << 1610612736ULL << "1.5 GiB";
    QTest::addRow("rounds-into-next-unit") << 1048575ULL << "1 MiB";
    QTest::addRow("one-decimal") << 1100000ULL << "1 MiB";
    QTest::addRow("one-decimal-kept") << 1200000ULL << "1.1 MiB";
    QTest::addRow("largest") << 18446744073709551615ULL << "16 EiB";
}

void TestCgroups::formatBytes()
{
    QFETCH(qulonglong, bytes);
    QFETCH(QString, text);
    QCOMPARE(QString::fromStdString(hood::formatBytes(bytes)), text);
}

void TestCgroups::removeRefuses_data()
{
    QTest::addColumn<QString>("path"); // %1 = a temporary directory with hood/x inside
    QTest::addColumn<QString>("reason");
    QTest::addRow("relative") << "sys/fs/cgroup/memory/hood/x"
                              << "not an absolute, normalized path";
    QTest::addRow("dotdot") << "/sys/fs/cgroup/memory/hood/../user.slice"
                            << "not an absolute, normalized path";
    QTest::addRow("trailing-slash") << "/sys/fs/cgroup/memory/hood/x/"
                                    << "not an absolute, normalized path";
    QTest::addRow("not-under-hood") << "/sys/fs/cgroup/memory/user.slice"
                                    << "not a cgroup directly under a \"hood\" parent";
    QTest::addRow("the-parent-itself") << "/sys/fs/cgroup/memory/hood"
                                       << "not a cgroup directly under a \"hood\" parent";
    QTest::addRow("nested-below-a-leaf") << "/sys/fs/cgroup/memory/hood/x/y"
                                         << "not a cgroup directly under a \"hood\" parent";
    QTest::addRow("hood-not-at-mount-root")
        << "/sys/fs/cgroup/memory/system.slice/hood/x"
        << "/sys/fs/cgroup/memory/system.slice is not the root of a mounted "
           "cgroup filesystem";
    QTest::addRow("not-a-cgroup-fs") << "/proc/hood/x"
                                     << "/proc is not the root of a mounted cgroup filesystem";
    QTest::addRow("plain-directory") << "%1/hood/x"
                                     << "%1 is not the root of a mounted cgroup filesystem";
}

void TestCgroups::removeRefuses()
{
    QFETCH(QString, path);
    QFETCH(QString, reason);
    Tree tree;
    tree.mkdir("hood/x");
    path.replace("%1", tree.root());
    std::string why;
    QVERIFY(!removeCgroupPath(path.toStdString(), &why));
    QCOMPARE(QString::fromStdString(why),
             "refusing to remove " + path + ": " + reason.replace("%1", tree.root()));
    QVERIFY(QFileInfo(tree.path("hood/x")).isDir()); // untouched
}

QTEST_GUILESS_MAIN(TestCgroups)
#include "tst_cgroups.moc"
