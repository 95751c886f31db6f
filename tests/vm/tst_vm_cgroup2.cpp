// What the engine's integration tests rely on when run-vm-tests runs them: cgroup v2
// mounted alone at /sys/fs/cgroup, its controllers reaching a child cgroup, and
// pids.max really stopping a fork. Runs in the VM (HOOD_VM_GUEST=1, set by its /init)
// and directly on a pure v2 host; skips on a hybrid or v1 host, where it cannot hold.
// Also rootless limits: hoodctl run as uid 1000 in a subtree delegated to it by
// hand, as systemd delegates user@1000.service on a desktop.
#include "../integration/hoodtest.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <QtTest>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace {

const std::string kRoot = "/sys/fs/cgroup";

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Writes with one write(2), as the kernel wants for cgroup files; "" or the error.
std::string writeFile(const std::string &path, const std::string &value)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return "open " + path + ": " + std::strerror(errno);
    std::string err;
    if (::write(fd, value.data(), value.size()) != ssize_t(value.size()))
        err = "write " + value + " to " + path + ": " + std::strerror(errno);
    ::close(fd);
    return err;
}

// The number after `key` in a flat-keyed cgroup file ("max 1"), or -1.
long long keyedValue(const std::string &text, const std::string &key)
{
    std::istringstream in(text);
    std::string k;
    long long v = 0;
    while (in >> k >> v)
        if (k == key)
            return v;
    return -1;
}

bool hasWord(const std::string &text, const std::string &word)
{
    std::istringstream in(text);
    std::string w;
    while (in >> w)
        if (w == word)
            return true;
    return false;
}

// A child cgroup of the root, removed when the test ends (tasks gone first).
class ScopedCgroup
{
public:
    ScopedCgroup() : m_path(kRoot + "/hood-tst-vm-cgroup2." + std::to_string(::getpid()))
    {
        if (::mkdir(m_path.c_str(), 0755) != 0)
            m_error = "mkdir " + m_path + ": " + std::strerror(errno);
    }
    ~ScopedCgroup()
    {
        if (m_error.empty())
            ::rmdir(m_path.c_str());
    }
    ScopedCgroup(const ScopedCgroup &) = delete;
    ScopedCgroup &operator=(const ScopedCgroup &) = delete;

    const std::string &path() const { return m_path; }
    const std::string &error() const { return m_error; }

private:
    std::string m_path;
    std::string m_error;
};

struct ForkResult
{
    int forked = 0;   // children the helper could fork before the limit
    int lastErrno = 0; // errno of the fork that failed
    bool joined = false;
};

// In the forked helper: only async-signal-safe calls. Joins the cgroup, forks
// children that wait on a pipe until it has hit the limit, reports, reaps them.
[[noreturn]] void forkUntilRefused(const std::string &procs, int report, int attempts)
{
    ForkResult r;
    int fd = ::open(procs.c_str(), O_WRONLY | O_CLOEXEC);
    r.joined = fd >= 0 && ::write(fd, "0", 1) == 1;
    int hold[2];
    if (!r.joined || ::pipe(hold) != 0) {
        (void)!::write(report, &r, sizeof r);
        ::_exit(1);
    }
    for (int i = 0; i < attempts; ++i) {
        pid_t pid = ::fork();
        if (pid == 0) {
            char c;
            ::close(hold[1]);
            (void)!::read(hold[0], &c, 1);
            ::_exit(0);
        }
        if (pid < 0) {
            r.lastErrno = errno;
            break;
        }
        ++r.forked;
    }
    ::close(hold[1]);
    while (::wait(nullptr) > 0) {
    }
    (void)!::write(report, &r, sizeof r);
    ::_exit(0);
}

} // namespace

class TestVmCgroup2 : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cgroup2IsMountedAlone();
    void controllerReachesChild_data();
    void controllerReachesChild();
    void pidsMaxRefusesTheSixthTask();
    void rootlessLimitsInADelegatedSubtree();
};

void TestVmCgroup2::initTestCase()
{
    const bool inVm = qgetenv("HOOD_VM_GUEST") == "1";
    struct statfs fs {};
    const bool pureV2 = ::statfs(kRoot.c_str(), &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
    if (!inVm && !pureV2)
        QSKIP("/sys/fs/cgroup is not cgroup2 on this host (hybrid or v1): "
              "run this test in the VM with tests/vm/run-vm-tests");
    if (::geteuid() != 0)
        QSKIP("needs root to create a cgroup under /sys/fs/cgroup");
}

void TestVmCgroup2::cgroup2IsMountedAlone()
{
    struct statfs fs {};
    QCOMPARE(::statfs(kRoot.c_str(), &fs), 0);
    QCOMPARE(qulonglong(fs.f_type), qulonglong(CGROUP2_SUPER_MAGIC));

    // mountinfo fields: ... mount point (5th) ... " - " fstype source options
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    int cgroupMounts = 0;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string id, parent, devno, root, mountPoint;
        f >> id >> parent >> devno >> root >> mountPoint;
        const auto dash = line.find(" - ");
        QVERIFY2(dash != std::string::npos, line.c_str());
        std::istringstream tail(line.substr(dash + 3));
        std::string fstype;
        tail >> fstype;
        QVERIFY2(fstype != "cgroup", ("a cgroup v1 hierarchy is mounted: " + line).c_str());
        if (fstype == "cgroup2") {
            QCOMPARE(QString::fromStdString(mountPoint), QString::fromStdString(kRoot));
            ++cgroupMounts;
        }
    }
    QCOMPARE(cgroupMounts, 1);
}

void TestVmCgroup2::controllerReachesChild_data()
{
    QTest::addColumn<QString>("controller");
    QTest::addColumn<QString>("file");
    QTest::addRow("cpu") << "cpu" << "cpu.max";
    QTest::addRow("memory") << "memory" << "memory.max";
    QTest::addRow("pids") << "pids" << "pids.max";
    QTest::addRow("io") << "io" << "io.max";
}

void TestVmCgroup2::controllerReachesChild()
{
    QFETCH(QString, controller);
    QFETCH(QString, file);
    const std::string name = controller.toStdString();
    QVERIFY2(hasWord(readFile(kRoot + "/cgroup.controllers"), name),
             qPrintable(controller + " is not in /sys/fs/cgroup/cgroup.controllers"));
    if (!hasWord(readFile(kRoot + "/cgroup.subtree_control"), name)) {
        if (qgetenv("HOOD_VM_GUEST") == "1")
            QFAIL("the VM's /init did not enable it in /sys/fs/cgroup/cgroup.subtree_control");
        QSKIP("not enabled for children in /sys/fs/cgroup/cgroup.subtree_control on this host");
    }
    ScopedCgroup cg;
    QVERIFY2(cg.error().empty(), cg.error().c_str());
    QVERIFY2(hasWord(readFile(cg.path() + "/cgroup.controllers"), name),
             qPrintable(controller + " does not reach the child's cgroup.controllers"));
    QVERIFY2(::access((cg.path() + "/" + file.toStdString()).c_str(), F_OK) == 0,
             qPrintable(file + " missing in the child cgroup"));
}

void TestVmCgroup2::pidsMaxRefusesTheSixthTask()
{
    if (!hasWord(readFile(kRoot + "/cgroup.subtree_control"), "pids")) {
        if (qgetenv("HOOD_VM_GUEST") == "1")
            QFAIL("the VM's /init did not enable pids in /sys/fs/cgroup/cgroup.subtree_control");
        QSKIP("pids is not enabled for children in /sys/fs/cgroup/cgroup.subtree_control here");
    }
    ScopedCgroup cg;
    QVERIFY2(cg.error().empty(), cg.error().c_str());
    const std::string err = writeFile(cg.path() + "/pids.max", "5");
    QVERIFY2(err.empty(), err.c_str());

    int report[2];
    QCOMPARE(::pipe2(report, O_CLOEXEC), 0);
    const std::string procs = cg.path() + "/cgroup.procs";
    pid_t helper = ::fork();
    QVERIFY2(helper >= 0, std::strerror(errno));
    if (helper == 0)
        forkUntilRefused(procs, report[1], 10);
    ::close(report[1]);
    ForkResult r;
    const ssize_t n = ::read(report[0], &r, sizeof r);
    ::close(report[0]);
    int status = 0;
    QCOMPARE(::waitpid(helper, &status, 0), helper);

    QCOMPARE(n, ssize_t(sizeof r));
    QVERIFY2(r.joined, ("the helper could not join " + procs).c_str());
    // The helper is task 1; its 4 children fill pids.max=5; the next fork is refused.
    QCOMPARE(r.forked, 4);
    QCOMPARE(r.lastErrno, EAGAIN);
    QVERIFY(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    // The kernel counts the refusal in pids.events ("max 1").
    QCOMPARE(keyedValue(readFile(cg.path() + "/pids.events"), "max"), 1LL);
    QCOMPARE(QString::fromStdString(readFile(cg.path() + "/pids.current")).trimmed(), QString("0"));
}

namespace {

constexpr uid_t kUser = 1000;

// <root>/hood-vm-user-1000 given to uid 1000 as systemd gives user@1000.service:
// the directory and the files that move processes and hand on controllers, and
// a leaf below it for the caller's shell (v2: processes only in leaves).
class DelegatedSubtree
{
public:
    DelegatedSubtree() : m_base(kRoot + "/hood-vm-user-" + std::to_string(kUser))
    {
        for (const std::string &dir : {m_base, shell()}) {
            if (::mkdir(dir.c_str(), 0755) != 0) {
                m_error = "mkdir " + dir + ": " + std::strerror(errno);
                return;
            }
            for (const char *f : {"", "/cgroup.procs", "/cgroup.subtree_control", "/cgroup.threads"}) {
                if (::chown((dir + f).c_str(), kUser, kUser) != 0) {
                    m_error = "chown " + dir + f + ": " + std::strerror(errno);
                    return;
                }
            }
        }
    }
    ~DelegatedSubtree()
    {
        ::rmdir(shell().c_str()); // empty: its processes have exited
        ::rmdir(m_base.c_str());
    }
    const std::string &base() const { return m_base; }
    std::string shell() const { return m_base + "/shell"; }
    const std::string &error() const { return m_error; }

private:
    std::string m_base;
    std::string m_error;
};

} // namespace

// podman's rootless cgroups: the container's cgroup goes to <base>/hood/<id>,
// the limits hold, and nothing is left after the run, nor after gc of a
// container whose monitor was killed.
void TestVmCgroup2::rootlessLimitsInADelegatedSubtree()
{
    using namespace hoodtest;
    DelegatedSubtree tree;
    QVERIFY2(tree.error().empty(), tree.error().c_str());
    QTemporaryDir state("/tmp/hood-tst-vm-rootless-XXXXXX");
    QVERIFY(::chown(state.path().toLocal8Bit(), kUser, kUser) == 0);
    const QString stateRoot = state.path() + "/hood";
    ReachableCopy copy;
    QVERIFY2(copy.ok(), "could not copy hoodctl and the built-in image to /tmp");
    // The shell joins the leaf as root, then becomes uid 1000 for hoodctl. By its
    // path: busybox's sh would run its own setpriv applet, which lacks --reuid.
    const QString setpriv = QStandardPaths::findExecutable("setpriv");
    QVERIFY2(!setpriv.isEmpty(), "setpriv (util-linux) is not on PATH");
    const QString join = QString::fromStdString("echo $$ > " + tree.shell() + "/cgroup.procs && exec \"$@\"");
    const QStringList asUser = QStringList{"sh", "-c", join, "sh", setpriv, "--reuid=1000", "--regid=1000",
                                           "--clear-groups"} + copy.env();
    auto hood = [&](const QStringList &args) { return run(stateRoot, args, 60000, {}, asUser, copy.hoodctlPath()); };

    Result info = hood({"info", "--json"});
    QVERIFY2(info.code == 0, qPrintable(info.err));
    QVERIFY2(info.out.contains(QString::fromStdString(tree.base()) + " is delegated to uid 1000"),
             qPrintable(info.out));

    Result oom = hood({"run", "--memory", "32M", "--", "hood-demo", "mem", "200M"});
    QCOMPARE(oom.code, 137);
    QVERIFY2(oom.err.contains("container was OOM-killed (memory limit 32 MiB)"), qPrintable(oom.err));

    Result forks = hood({"run", "--pids", "10", "--", "hood-demo", "forks", "50"});
    QVERIFY2(forks.code == 0, qPrintable(forks.err));
    QRegularExpressionMatch m = QRegularExpression("forks: 50 asked, (\\d+) started").match(forks.out);
    QVERIFY2(m.hasMatch() && m.captured(1).toInt() <= 9, qPrintable(forks.out));
    QVERIFY2(forks.out.contains("EAGAIN"), qPrintable(forks.out));
    QVERIFY2(leftovers(stateRoot).isEmpty(), qPrintable(leftovers(stateRoot).join('\n')));
    QVERIFY2(::access((tree.base() + "/hood").c_str(), F_OK) != 0, "the shared hood parent was left");

    // A detached container whose monitor dies: gc, as uid 1000, removes its cgroup.
    Result bg = hood({"run", "-d", "--name", "orphan", "--pids", "10", "--", "sleep", "600"});
    QVERIFY2(bg.code == 0, qPrintable(bg.err));
    const std::string cgroup = tree.base() + "/hood/orphan";
    QVERIFY2(hasWord(readFile(cgroup + "/pids.max"), "10"), cgroup.c_str());
    QFile stateFile(stateRoot + "/orphan/state.json");
    QVERIFY(stateFile.open(QIODevice::ReadOnly));
    const QJsonObject s = QJsonDocument::fromJson(stateFile.readAll()).object();
    const pid_t monitor = pid_t(s.value("monitorPid").toInteger());
    QVERIFY2(monitor > 1, qPrintable(QString::fromUtf8(QJsonDocument(s).toJson())));
    QCOMPARE(::kill(monitor, SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(::kill(monitor, 0) != 0, 5000);
    Result gc = hood({"gc"});
    QVERIFY2(gc.code == 0, qPrintable(gc.err + gc.out));
    QVERIFY2(::access(cgroup.c_str(), F_OK) != 0, (cgroup + " is still there after gc").c_str());
    QVERIFY2(leftovers(stateRoot).isEmpty(), qPrintable(leftovers(stateRoot).join('\n')));
}

QTEST_GUILESS_MAIN(TestVmCgroup2)
#include "tst_vm_cgroup2.moc"
