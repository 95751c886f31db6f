// Unit tests of core/inspect on fixture files: mountinfo generated from the
// kernel (fixtures/inspect/mountinfo/generate.sh), /proc/PID/status files of
// real processes (fixtures/inspect/status/generate.sh), and two small /proc
// trees whose namespace links are symlinks (fixtures/inspect/proc-tree/README).
#include "error.h"
#include "inspect/inspectjson.h"
#include "inspect/mounttree.h"
#include "inspect/nsview.h"
#include "inspect/procfs.h"
#include "inspect/proctree.h"

#include <QFile>
#include <QTest>

#include <algorithm>
#include <sys/stat.h>

using namespace hood;
using namespace hood::inspect;

// Failure messages with the strings' text rather than "Compared values are not the same".
namespace QTest {
template <> inline char *toString(const std::string &text)
{
    return qstrdup(text.c_str());
}
} // namespace QTest

namespace {

const std::string kFixtures = HOOD_FIXTURES_DIR "/inspect";
const std::string kTree = kFixtures + "/proc-tree";
const std::string kOldKernel = kFixtures + "/proc-old-kernel";

std::string fixture(const std::string &relative)
{
    return readFile(kFixtures + "/" + relative);
}

MountTree mountFixture(const std::string &name)
{
    return parseMountInfo(fixture("mountinfo/" + name), name);
}

const MountEntry *byTarget(const MountTree &tree, const std::string &target)
{
    for (const MountEntry &mount : tree.mounts) {
        if (mount.target == target)
            return &mount;
    }
    return nullptr;
}

std::vector<std::string> childTargets(const MountTree &tree, const MountEntry &mount)
{
    std::vector<std::string> targets;
    for (int child : mount.children)
        targets.push_back(tree.mounts[static_cast<size_t>(child)].target);
    return targets;
}

std::vector<std::string> targetsAt(const MountTree &tree, const std::vector<int> &indexes)
{
    std::vector<std::string> targets;
    for (int index : indexes)
        targets.push_back(tree.mounts[static_cast<size_t>(index)].target);
    std::sort(targets.begin(), targets.end());
    return targets;
}

std::vector<std::string> lines(const std::string &text)
{
    std::vector<std::string> out;
    for (std::string_view line : splitFields(text, "\n"))
        out.emplace_back(line);
    return out;
}

} // namespace

class TestInspect : public QObject {
    Q_OBJECT

private slots:
    void mountInfoMatchesTheLines_data();
    void mountInfoMatchesTheLines();
    void containerOverlayTree();
    void bindMounts();
    void propagation_data();
    void propagation();
    void diffContainerAgainstHost();
    void diffOfATableWithItselfIsEmpty();
    void mountInfoRejectsGarbage();
    void mountInfoEmpty();

    void status_data();
    void status();
    void statusWithoutPidIsAnError();
    void cmdline_data();
    void cmdline();
    void procCgroup();
    void underCgroup_data();
    void underCgroup();

    void namespacesOfAContainer();
    void namespacesOfAZombieAndAGonePid();
    void namespacesOnAnOldKernel();
    void compareNeverSharesUnreadEntries();

    void descendants_data();
    void descendants();
    void pidsInCgroup_data();
    void pidsInCgroup();
    void processTree();
    void json();
};

void TestInspect::mountInfoMatchesTheLines_data()
{
    QTest::addColumn<QString>("file");
    QTest::addRow("host") << "host.txt";
    QTest::addRow("container-overlay") << "container-overlay.txt";
    QTest::addRow("bind") << "bind.txt";
    QTest::addRow("propagation") << "propagation.txt";
    QTest::addRow("nested") << "nested.txt";
}

// libmount's result against a plain split of each line (no fixture has escaped
// characters), and the tree: one root, every other mount under its parent id.
void TestInspect::mountInfoMatchesTheLines()
{
    QFETCH(QString, file);
    std::string text = fixture("mountinfo/" + file.toStdString());
    MountTree tree = parseMountInfo(text, file.toStdString());
    std::vector<std::string> rows = lines(text);
    QCOMPARE(tree.mounts.size(), rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
        auto fields = splitFields(rows[i]);
        const MountEntry &mount = tree.mounts[i];
        QCOMPARE(std::to_string(mount.id), std::string(fields[0]));
        QCOMPARE(std::to_string(mount.parentId), std::string(fields[1]));
        QCOMPARE(std::to_string(mount.devMajor) + ":" + std::to_string(mount.devMinor),
                 std::string(fields[2]));
        QCOMPARE(mount.root, std::string(fields[3]));
        QCOMPARE(mount.target, std::string(fields[4]));
        auto dash = std::find(fields.begin(), fields.end(), "-");
        QVERIFY(dash + 3 < fields.end());
        QCOMPARE(mount.fstype, std::string(dash[1]));
        QCOMPARE(mount.source, std::string(dash[2]));
        QCOMPARE(mount.fsOptions, std::string(dash[3]));
        if (mount.parent >= 0)
            QCOMPARE(tree.mounts[static_cast<size_t>(mount.parent)].id, mount.parentId);
    }
    QCOMPARE(tree.roots.size(), size_t(1));
    QCOMPARE(tree.mounts[static_cast<size_t>(tree.roots[0])].target, std::string("/"));
}

void TestInspect::containerOverlayTree()
{
    MountTree tree = mountFixture("container-overlay.txt");
    const MountEntry &root = tree.mounts[static_cast<size_t>(tree.roots[0])];
    QCOMPARE(root.fstype, std::string("overlay"));
    QVERIFY(root.fsOptions.find("lowerdir=/tmp/hood-mountinfo-fixtures/c/lower")
            != std::string::npos);
    QCOMPARE(childTargets(tree, root),
             (std::vector<std::string>{"/proc", "/dev", "/sys", "/etc/hostname"}));
    const MountEntry *dev = byTarget(tree, "/dev");
    QVERIFY(dev);
    QCOMPARE(dev->fstype, std::string("tmpfs"));
    QCOMPARE(childTargets(tree, *dev),
             (std::vector<std::string>{"/dev/pts", "/dev/mqueue", "/dev/shm"}));
    const MountEntry *sys = byTarget(tree, "/sys");
    QVERIFY(sys);
    QCOMPARE(sys->vfsOptions, std::string("ro,nosuid,nodev,noexec,relatime"));
    // As findmnt's OPTIONS: libmount drops the superblock's "rw" after the mount's "ro".
    QCOMPARE(sys->options, std::string("ro,nosuid,nodev,noexec,relatime"));
    const MountEntry *hostname = byTarget(tree, "/etc/hostname");
    QVERIFY(hostname);
    QCOMPARE(findmntSource(*hostname),
             std::string("/dev/vda[/tmp/hood-mountinfo-fixtures/c/data/hostname]"));
    QCOMPARE(findmntSource(root), std::string("overlay"));
    QCOMPARE(propagationName(root.propagation), std::string("private"));
}

void TestInspect::bindMounts()
{
    MountTree tree = mountFixture("bind.txt");
    const std::string base = "/tmp/hood-mountinfo-fixtures/b";
    const MountEntry *dir = byTarget(tree, base + "/dir");
    const MountEntry *ro = byTarget(tree, base + "/ro");
    const MountEntry *rec = byTarget(tree, base + "/rec");
    const MountEntry *file = byTarget(tree, base + "/file-dst");
    QVERIFY(dir && ro && rec && file);
    QCOMPARE(dir->root, base + "/data");
    QCOMPARE(findmntSource(*dir), "/dev/vda[" + base + "/data]");
    // A read-only bind: the mount point is ro, the filesystem itself stays rw.
    QCOMPARE(ro->vfsOptions.substr(0, 3), std::string("ro,"));
    QCOMPARE(ro->fsOptions.substr(0, 3), std::string("rw,"));
    // --rbind takes the submount along; a plain --bind does not.
    QCOMPARE(childTargets(tree, *rec), std::vector<std::string>{base + "/rec/sub"});
    QVERIFY(dir->children.empty());
    QCOMPARE(file->root, base + "/file-src/f");
}

void TestInspect::propagation_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("target");
    QTest::addColumn<int>("shared");
    QTest::addColumn<int>("master");
    QTest::addColumn<int>("from");
    QTest::addColumn<bool>("unbindable");
    QTest::addColumn<QString>("name");
    QTest::addRow("shared") << "propagation.txt"
                            << "/shared" << 1 << 0 << 0 << false << "shared";
    QTest::addRow("shared-peer") << "propagation.txt"
                                 << "/peer" << 1 << 0 << 0 << false << "shared";
    QTest::addRow("slave-propagate-from") << "propagation.txt"
                                          << "/slave" << 0 << 2 << 1 << false << "private,slave";
    QTest::addRow("private") << "propagation.txt"
                             << "/private" << 0 << 0 << 0 << false << "private";
    QTest::addRow("unbindable") << "propagation.txt"
                                << "/unbindable" << 0 << 0 << 0 << true << "private,unbindable";
    QTest::addRow("nested-slave") << "nested.txt"
                                  << "/shared" << 0 << 1 << 0 << false << "private,slave";
    QTest::addRow("nested-private") << "nested.txt"
                                    << "/private" << 0 << 0 << 0 << false << "private";
    QTest::addRow("host-root-private") << "host.txt"
                                       << "/" << 0 << 0 << 0 << false << "private";
}

void TestInspect::propagation()
{
    QFETCH(QString, file);
    QFETCH(QString, target);
    QFETCH(int, shared);
    QFETCH(int, master);
    QFETCH(int, from);
    QFETCH(bool, unbindable);
    QFETCH(QString, name);
    MountTree tree = mountFixture(file.toStdString());
    const MountEntry *mount = byTarget(tree, target.toStdString());
    QVERIFY(mount);
    QCOMPARE(mount->propagation.sharedGroup, shared);
    QCOMPARE(mount->propagation.masterGroup, master);
    QCOMPARE(mount->propagation.propagateFrom, from);
    QCOMPARE(mount->propagation.unbindable, unbindable);
    QCOMPARE(QString::fromStdString(propagationName(mount->propagation)), name);
}

void TestInspect::diffContainerAgainstHost()
{
    MountTree host = mountFixture("host.txt");
    MountTree container = mountFixture("container-overlay.txt");
    MountDiff diff = diffMounts(container, host);
    // Everything the runtime mounted is new, including /proc and /sys: same
    // target, type and source as the host's, but other instances (devices).
    QCOMPARE(targetsAt(container, diff.added),
             (std::vector<std::string>{"/", "/dev", "/dev/mqueue", "/dev/pts", "/dev/shm",
                                       "/etc/hostname", "/proc"}));
    QVERIFY(byTarget(container, "/sys")->devMinor == byTarget(host, "/sys")->devMinor);
    // The host's own root and cgroup mounts are not visible in the container.
    std::vector<std::string> removed = targetsAt(host, diff.removed);
    QVERIFY(std::find(removed.begin(), removed.end(), "/") != removed.end());
    QVERIFY(std::find(removed.begin(), removed.end(), "/sys/fs/cgroup/memory") != removed.end());
    QVERIFY(std::find(removed.begin(), removed.end(), "/sys") == removed.end());
}

void TestInspect::diffOfATableWithItselfIsEmpty()
{
    MountTree bind = mountFixture("bind.txt");
    MountDiff same = diffMounts(bind, bind);
    QVERIFY(same.added.empty());
    QVERIFY(same.removed.empty());
    // bind.txt is the host's table plus the five binds and the submount: the
    // two /dev/pts devpts mounts count as two, not as one.
    MountDiff diff = diffMounts(bind, mountFixture("host.txt"));
    QCOMPARE(diff.added.size(), size_t(6));
}

void TestInspect::mountInfoRejectsGarbage()
{
    try {
        parseMountInfo("22 27 0:21 / /proc rw - proc proc rw\nthis is not mountinfo\n", "bad.txt");
        QFAIL("no error for a malformed line");
    } catch (const Error &e) {
        QCOMPARE(std::string(e.what()),
                 std::string("parse bad.txt: line 2 is not a mountinfo entry"));
    }
}

void TestInspect::mountInfoEmpty()
{
    MountTree tree = parseMountInfo("", "empty");
    QVERIFY(tree.mounts.empty());
    QVERIFY(tree.roots.empty());
}

void TestInspect::status_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("state");
    QTest::addColumn<int>("nsDepth");
    QTest::addColumn<int>("innermost"); // 0: same as the host pid
    QTest::addColumn<int>("threads");
    QTest::addColumn<bool>("hasRss");
    QTest::addRow("host-sleep") << "host-sleep"
                                << "sleep"
                                << "sleeping" << 1 << 0 << 1 << true;
    QTest::addRow("nested-pidns") << "nested-pidns"
                                  << "sleep"
                                  << "sleeping" << 2 << 1 << 1 << true;
    QTest::addRow("double-nested") << "double-nested"
                                   << "sleep"
                                   << "sleeping" << 3 << 1 << 1 << true;
    QTest::addRow("kthread") << "kthread"
                             << "kthreadd"
                             << "sleeping" << 1 << 0 << 1 << false;
    QTest::addRow("zombie") << "zombie"
                            << "true"
                            << "zombie" << 1 << 0 << 1 << false;
    QTest::addRow("threads") << "threads"
                             << "hood worker"
                             << "sleeping" << 1 << 0 << 4 << true;
}

void TestInspect::status()
{
    QFETCH(QString, file);
    QFETCH(QString, name);
    QFETCH(QString, state);
    QFETCH(int, nsDepth);
    QFETCH(int, innermost);
    QFETCH(int, threads);
    QFETCH(bool, hasRss);
    ProcStatus status = parseStatus(fixture("status/" + file.toStdString() + ".status"));
    QCOMPARE(QString::fromStdString(status.name), name);
    QCOMPARE(QString::fromStdString(status.stateText), state);
    QCOMPARE(status.state, state.at(0).toUpper().toLatin1());
    QVERIFY(status.pid > 0);
    QCOMPARE(status.tgid, status.pid);
    QCOMPARE(int(status.nsPids.size()), nsDepth);
    QCOMPARE(status.nsPids.front(), status.pid);
    QCOMPARE(status.innermostPid(), innermost ? innermost : status.pid);
    if (nsDepth == 3)
        QCOMPARE(status.nsPids[1], 2); // the second level's own init is its pid 1
    QCOMPARE(status.threads, threads);
    QCOMPARE(status.rssKiB > 0, hasRss);
    QCOMPARE(status.uid, uid_t(0));
    // The context switches, as the fixture files say (grep ctxt fixtures/inspect/status).
    if (file == "threads") {
        QCOMPARE(status.voluntarySwitches, uint64_t(36));
        QCOMPARE(status.nonvoluntarySwitches, uint64_t(11));
    } else if (file == "kthread") {
        QCOMPARE(status.voluntarySwitches, uint64_t(63));
    }
}

void TestInspect::statusWithoutPidIsAnError()
{
    QVERIFY_THROWS_EXCEPTION(Error, parseStatus("Name:\tsleep\nState:\tS (sleeping)\n"));
}

void TestInspect::cmdline_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QStringList>("args");
    QTest::addRow("two-args") << QByteArray("sleep\0"
                                            "60\0",
                                            9)
                              << QStringList{"sleep", "60"};
    QTest::addRow("kernel-thread") << QByteArray() << QStringList{};
    QTest::addRow("empty-arg") << QByteArray("a\0\0b\0", 5) << QStringList{"a", "", "b"};
    // A process that rewrote its argv (setproctitle) may drop the last NUL.
    QTest::addRow("no-final-nul") << QByteArray("nginx: worker process")
                                  << QStringList{"nginx: worker process"};
    QByteArray real;
    QFile file(QString::fromStdString(kFixtures + "/status/nested-pidns.cmdline"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QTest::addRow("fixture-nested-pidns") << file.readAll() << QStringList{"sleep", "60"};
}

void TestInspect::cmdline()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QStringList, args);
    std::vector<std::string> parsed =
        parseCmdline(std::string_view(bytes.constData(), size_t(bytes.size())));
    QStringList got;
    for (const std::string &arg : parsed)
        got << QString::fromStdString(arg);
    QCOMPARE(got, args);
}

void TestInspect::procCgroup()
{
    auto lines = parseProcCgroup(readFile(kTree + "/200/cgroup"));
    QCOMPARE(lines.size(), size_t(4));
    QCOMPARE(lines[0].hierarchyId, 12u);
    QCOMPARE(lines[0].controllers, std::vector<std::string>{"pids"});
    QCOMPARE(lines[2].controllers, std::vector<std::string>{"name=systemd"});
    QCOMPARE(lines[3].hierarchyId, 0u);
    QVERIFY(lines[3].isUnified());
    QVERIFY(lines[3].controllers.empty());
    QCOMPARE(lines[3].path, std::string("/hood/c1"));
    auto combined = parseProcCgroup("3:cpu,cpuacct:/a:b\n");
    QCOMPARE(combined.size(), size_t(1));
    QCOMPARE(combined[0].controllers, (std::vector<std::string>{"cpu", "cpuacct"}));
    QCOMPARE(combined[0].path, std::string("/a:b")); // a colon in a cgroup name stays
}

void TestInspect::underCgroup_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("cgroup");
    QTest::addColumn<bool>("under");
    QTest::addRow("same") << "/hood/c1"
                          << "/hood/c1" << true;
    QTest::addRow("child") << "/hood/c1/sub"
                           << "/hood/c1" << true;
    QTest::addRow("trailing-slash") << "/hood/c1/sub"
                                    << "/hood/c1/" << true;
    QTest::addRow("prefix-is-not-parent") << "/hood/c10"
                                          << "/hood/c1" << false;
    QTest::addRow("parent-is-not-under-child") << "/hood"
                                               << "/hood/c1" << false;
    QTest::addRow("root-holds-all") << "/user.slice"
                                    << "/" << true;
}

void TestInspect::underCgroup()
{
    QFETCH(QString, path);
    QFETCH(QString, cgroup);
    QFETCH(bool, under);
    QCOMPARE(isUnderCgroup(path.toStdString(), cgroup.toStdString()), under);
}

void TestInspect::namespacesOfAContainer()
{
    NsView view = inspectNamespaces(200, {201, 300, 100}, kTree);
    QCOMPARE(view.hostReference, std::string("pid 1"));
    for (NsKind kind : {NsKind::Pid, NsKind::Mount, NsKind::Uts, NsKind::Ipc, NsKind::Network}) {
        QCOMPARE(view.entry(kind).state, NsState::Ok);
        QVERIFY(!view.entry(kind).sharedWithHost);
    }
    for (NsKind kind : {NsKind::User, NsKind::Cgroup, NsKind::Time})
        QVERIFY(view.entry(kind).sharedWithHost);
    QCOMPARE(view.entry(NsKind::Network).sharedWith, (std::vector<pid_t>{201, 300}));
    QCOMPARE(view.entry(NsKind::Pid).sharedWith, std::vector<pid_t>{201});
    QCOMPARE(view.entry(NsKind::User).sharedWith, (std::vector<pid_t>{201, 300, 100}));
    // 300 has no time link though it is alive and this "kernel" has the kind.
    QCOMPARE(view.entry(NsKind::Time).sharedWith, (std::vector<pid_t>{201, 100}));
    NsSet other = readNamespaces(300, kTree);
    QCOMPARE(other[size_t(NsKind::Time)].state, NsState::Failed);
    QCOMPARE(other[size_t(NsKind::Time)].error,
             "stat " + kTree + "/300/ns/time: no such file or directory");
    // The identity is the nsfs inode, the same one for every member.
    struct stat st {};
    QCOMPARE(::stat((kTree + "/nsfs/c1-net").c_str(), &st), 0);
    QCOMPARE(view.entry(NsKind::Network).id.inode, uint64_t(st.st_ino));
}

void TestInspect::namespacesOfAZombieAndAGonePid()
{
    for (pid_t pid : {400, 999}) {
        NsSet set = readNamespaces(pid, kTree);
        for (const NsEntry &entry : set) {
            QCOMPARE(entry.state, NsState::Exited);
            QVERIFY(entry.error.find("no such file or directory") != std::string::npos);
        }
    }
}

void TestInspect::namespacesOnAnOldKernel()
{
    HostNamespaces host = readHostNamespaces(kOldKernel);
    QVERIFY(!host.isPid1);
    QCOMPARE(host.reference, "this process, because pid 1 cannot be read (stat " + kOldKernel
                                 + "/1/ns/net: no such file or directory)");
    NsView view = inspectNamespaces(7, {1}, kOldKernel);
    for (NsKind kind : {NsKind::Cgroup, NsKind::Time}) {
        QCOMPARE(view.entry(kind).state, NsState::Unsupported);
        QVERIFY(!view.entry(kind).sharedWithHost);
        QCOMPARE(view.entry(kind).error, std::string(nsInfo(kind).procName)
                                             + " namespaces are not supported by this kernel");
    }
    QVERIFY(view.entry(NsKind::Network).sharedWithHost);
    QVERIFY(view.entry(NsKind::Network).sharedWith.empty()); // pid 1's link dangles
    QCOMPARE(view.entry(NsKind::Pid).sharedWith, std::vector<pid_t>{1});
}

void TestInspect::compareNeverSharesUnreadEntries()
{
    HostNamespaces host;
    host.reference = "pid 1";
    NsSet mine;
    for (size_t i = 0; i < mine.size(); ++i) {
        mine[i].kind = kNamespaces[i].kind;
        mine[i].state = NsState::Denied;
        host.set[i] = mine[i]; // equal (zero) ids, but neither side was read
    }
    NsView view = compareNamespaces(5, mine, host, {{6, mine}});
    for (const NsEntry &entry : view.entries) {
        QVERIFY(!entry.sharedWithHost);
        QVERIFY(entry.sharedWith.empty());
    }
}

void TestInspect::descendants_data()
{
    QTest::addColumn<int>("pid");
    QTest::addColumn<QList<int>>("expected");
    // 200 lists 201 in task/200/children; 201 has no children file, so 202 is
    // found by the ppid scan.
    QTest::addRow("children-file-and-ppid-scan") << 200 << QList<int>{200, 201, 202};
    QTest::addRow("leaf") << 202 << QList<int>{202};
    QTest::addRow("second-container") << 300 << QList<int>{300, 301};
    QTest::addRow("gone") << 999 << QList<int>{};
}

void TestInspect::descendants()
{
    QFETCH(int, pid);
    QFETCH(QList<int>, expected);
    std::vector<pid_t> got = descendantsOf(pid, kTree);
    QCOMPARE(QList<int>(got.begin(), got.end()), expected);
}

void TestInspect::pidsInCgroup_data()
{
    QTest::addColumn<QString>("controller");
    QTest::addColumn<QString>("cgroup");
    QTest::addColumn<QList<int>>("expected");
    QTest::addRow("v1-memory") << "memory"
                               << "/hood/c1" << QList<int>{200, 201, 202};
    QTest::addRow("v1-memory-subgroup") << "memory"
                                        << "/hood/c1/sub" << QList<int>{201, 202};
    QTest::addRow("v1-named-hierarchy") << "name=systemd"
                                        << "/hood/c1" << QList<int>{200, 201, 202};
    QTest::addRow("v2-line") << ""
                             << "/hood/c1" << QList<int>{200, 201, 202};
    QTest::addRow("not-a-prefix-match") << "memory"
                                        << "/hood/c10" << QList<int>{301};
    QTest::addRow("controller-absent") << "pids"
                                       << "/hood/c2" << QList<int>{};
    QTest::addRow("v2-root") << ""
                             << "/" << QList<int>{1, 100, 200, 201, 202, 300, 301, 400};
}

void TestInspect::pidsInCgroup()
{
    QFETCH(QString, controller);
    QFETCH(QString, cgroup);
    QFETCH(QList<int>, expected);
    std::vector<pid_t> got =
        inspect::pidsInCgroup(controller.toStdString(), cgroup.toStdString(), kTree);
    QCOMPARE(QList<int>(got.begin(), got.end()), expected);
}

void TestInspect::processTree()
{
    ProcessTree tree = buildProcessTree({202, 200, 201, 400, 999}, kTree);
    QCOMPARE(tree.processes.size(), size_t(4)); // 999 does not exist
    const ProcessInfo *init = tree.byPid(200);
    const ProcessInfo *child = tree.byPid(201);
    const ProcessInfo *grandchild = tree.byPid(202);
    const ProcessInfo *zombie = tree.byPid(400);
    QVERIFY(init && child && grandchild && zombie);
    QCOMPARE(init->nsPid, 1);
    QCOMPARE(child->nsPid, 2);
    QCOMPARE(grandchild->nsPid, 3);
    QCOMPARE(init->commandLine(), std::string("/bin/sh -c sleep 100 & wait"));
    QCOMPARE(zombie->commandLine(), std::string("[defunct]"));
    QCOMPARE(zombie->state, 'Z');
    QCOMPARE(grandchild->stateText, std::string("running"));
    // 200 and the zombie are roots (their parent 100 is not in the set).
    std::vector<pid_t> roots;
    for (int index : tree.roots)
        roots.push_back(tree.processes[size_t(index)].pid);
    QCOMPARE(roots, (std::vector<pid_t>{200, 400}));
    QCOMPARE(tree.processes[size_t(init->children.at(0))].pid, 201);
    QCOMPARE(tree.processes[size_t(child->children.at(0))].pid, 202);
    QCOMPARE(tree.processes[size_t(grandchild->parent)].pid, 201);
}

void TestInspect::json()
{
    MountTree tree = mountFixture("propagation.txt");
    nlohmann::json mounts = tree;
    QCOMPARE(mounts.size(), tree.mounts.size());
    const nlohmann::json &slave = mounts.at(3);
    QCOMPARE(slave.at("target").get<std::string>(), std::string("/slave"));
    QCOMPARE(slave.at("parentId").get<int>(), 63);
    QCOMPARE(slave.at("device").get<std::string>(), std::string("0:40"));
    QCOMPARE(slave.at("propagation").get<std::string>(), std::string("private,slave"));
    QCOMPARE(slave.at("optionalFields").get<std::string>(),
             std::string("master:2 propagate_from:1"));

    nlohmann::json view = inspectNamespaces(300, {200}, kTree);
    QCOMPARE(view.at("hostReference").get<std::string>(), std::string("pid 1"));
    const nlohmann::json &net = view.at("namespaces").at(size_t(NsKind::Network));
    QCOMPARE(net.at("type").get<std::string>(), std::string("net"));
    QCOMPARE(net.at("sharedWith").dump(), std::string("[200]"));
    QCOMPARE(net.at("sharedWithHost").get<bool>(), false);
    const nlohmann::json &time = view.at("namespaces").at(size_t(NsKind::Time));
    QCOMPARE(time.at("state").get<std::string>(), std::string("failed"));
    QVERIFY(!time.contains("inode"));
    QCOMPARE(time.at("error").get<std::string>(),
             "stat " + kTree + "/300/ns/time: no such file or directory");

    nlohmann::json processes = buildProcessTree({200, 201}, kTree);
    QCOMPARE(processes.at(1).at("nsPid").get<int>(), 2);
    QCOMPARE(processes.at(1).at("ppid").get<int>(), 200);
    QCOMPARE(processes.at(0).at("args").dump(),
             std::string(R"(["/bin/sh","-c","sleep 100 & wait"])"));
}

QTEST_GUILESS_MAIN(TestInspect)
#include "tst_inspect.moc"
