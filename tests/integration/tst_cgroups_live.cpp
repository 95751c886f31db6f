// The cgroup manager and sampler on this machine's real hierarchy (hybrid here:
// the v1 backend; v2 elsewhere). Every cgroup is hood/tst-<pid>-*, removed by a
// scope guard on every path, and a hood parent the test made is gone at the end.
#include "cgroups/cgroups.h"
#include "cgroups/sampler.h"
#include "error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <mutex>
#include <cstdlib>
#include <cstring>
#include <poll.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace hood;

namespace {

QString readText(const std::string &path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("(missing)");
    return QString::fromUtf8(file.readAll());
}

std::string file(const std::string &dir, const char *name)
{
    return dir + "/" + name;
}

// The leaf of a controller among the manager's paths (v2: the only one).
std::string leafFor(const CgroupManager &cg, const std::string &controller)
{
    for (const std::string &path : cg.paths()) {
        if (cg.mode() == CgroupMode::V2 || path.find("/" + controller + "/") != std::string::npos)
            return path;
    }
    return {};
}

std::string parentOf(const std::string &path)
{
    return path.substr(0, path.rfind('/'));
}

// A forked child that waits until it has been put in the cgroup, then touches
// `touchBytes` of fresh memory (charged to the new cgroup), reports back, and
// spins or sleeps until killed.
class Child {
public:
    Child(size_t touchBytes, bool spin)
    {
        int go[2], ready[2];
        if (::pipe(go) != 0 || ::pipe(ready) != 0)
            return;
        m_pid = ::fork();
        if (m_pid == 0) {
            ::close(go[1]);
            ::close(ready[0]);
            char c;
            if (::read(go[0], &c, 1) != 1)
                ::_exit(1);
            auto *memory = static_cast<char *>(std::malloc(touchBytes));
            if (memory)
                std::memset(memory, 1, touchBytes);
            if (::write(ready[1], "r", 1) != 1)
                ::_exit(1);
            while (spin)
                m_spins.fetch_add(1, std::memory_order_relaxed);
            for (;;)
                ::pause();
        }
        ::close(go[0]);
        ::close(ready[1]);
        m_go = go[1];
        m_ready = ready[0];
    }
    ~Child()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
        ::close(m_go);
        ::close(m_ready);
    }

    pid_t pid() const { return m_pid; }
    // Lets it run; true once it has touched its memory (within 5 s).
    bool start()
    {
        if (::write(m_go, "g", 1) != 1)
            return false;
        pollfd p{m_ready, POLLIN, 0};
        char c;
        return ::poll(&p, 1, 5000) == 1 && ::read(m_ready, &c, 1) == 1;
    }
    // The wait status once it has ended (within 5 s), -1 otherwise.
    int waitStatus()
    {
        for (int i = 0; i < 500; ++i) {
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return status;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return -1;
    }

private:
    static inline std::atomic<unsigned long> m_spins{
        0}; // keeps the busy loop from being optimised out
    pid_t m_pid = -1;
    int m_go = -1;
    int m_ready = -1;
};

} // namespace

class TestCgroupsLive : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void limitsStatsKillDestroy();
    void samplerCpuUnderQuota();
    void oomKillIsCounted();
    void destroyKeepsSharedParent();
    void concurrentCreateDestroy();
    void removeCgroupPathAfterCrash();
    void removeCgroupPathRefusesRealCgroups();

private:
    std::unique_ptr<CgroupManager> make(const std::string &suffix);

    CgroupMode m_mode = CgroupMode::V1;
    QStringList m_parentsBefore; // hood parents that existed before the tests
    QStringList m_parentsSeen;
};

std::unique_ptr<CgroupManager> TestCgroupsLive::make(const std::string &suffix)
{
    CgroupOptions options;
    options.name = "tst-" + std::to_string(::getpid()) + "-" + suffix;
    auto cg = makeCgroupManager(options);
    for (const std::string &path : cg->paths()) {
        QString parent = QString::fromStdString(parentOf(path));
        if (!m_parentsSeen.contains(parent)) {
            m_parentsSeen << parent;
            if (QFileInfo::exists(parent))
                m_parentsBefore << parent;
        }
    }
    return cg;
}

void TestCgroupsLive::initTestCase()
{
    if (::geteuid() != 0)
        QSKIP("needs root to create cgroups under /sys/fs/cgroup; run it as root (sudo ctest -L "
              "privileged)");
    m_mode = detectCgroupMode();
    qInfo("cgroup mode: %s", cgroupModeName(m_mode));
}

void TestCgroupsLive::cleanupTestCase()
{
    // A parent the test made is removed by the last destroy(); one that was
    // there before belongs to someone else's running container and stays.
    for (const QString &parent : m_parentsSeen) {
        if (!m_parentsBefore.contains(parent))
            QVERIFY2(!QFileInfo::exists(parent), qPrintable(parent + " was left behind"));
    }
}

void TestCgroupsLive::limitsStatsKillDestroy()
{
    auto cg = make("main");
    auto guard = qScopeGuard([&] { cg->destroy(); });
    cg->create();
    for (const std::string &path : cg->paths())
        QVERIFY2(QFileInfo(QString::fromStdString(path)).isDir(), path.c_str());

    Resources limits;
    limits.memoryLimit = 64 << 20;
    limits.cpuQuota = 50000;
    limits.cpuPeriod = 100000;
    limits.cpuShares = 512;
    limits.pidsLimit = 32;
    cg->apply(limits);

    // Read back from the kernel's own files.
    const std::string mem = leafFor(*cg, "memory"), cpu = leafFor(*cg, "cpu"),
                      pids = leafFor(*cg, "pids");
    if (m_mode == CgroupMode::V2) {
        QCOMPARE(readText(file(mem, "memory.max")), "67108864\n");
        QCOMPARE(readText(file(cpu, "cpu.max")), "50000 100000\n");
        QCOMPARE(readText(file(cpu, "cpu.weight")), "20\n");
    } else {
        QCOMPARE(readText(file(mem, "memory.limit_in_bytes")), "67108864\n");
        if (QFileInfo::exists(QString::fromStdString(file(mem, "memory.memsw.limit_in_bytes"))))
            QCOMPARE(readText(file(mem, "memory.memsw.limit_in_bytes")), "67108864\n");
        QCOMPARE(readText(file(cpu, "cpu.cfs_quota_us")), "50000\n");
        QCOMPARE(readText(file(cpu, "cpu.cfs_period_us")), "100000\n");
        QCOMPARE(readText(file(cpu, "cpu.shares")), "512\n");
    }
    QCOMPARE(readText(file(pids, "pids.max")), "32\n");

    Child child(8 << 20, false);
    QVERIFY(child.pid() > 0);
    cg->addProcess(child.pid());
    QVERIFY(child.start());
    CgroupStats stats = cg->stats();
    QCOMPARE(stats.pidsCurrent, 1u);
    QCOMPARE(stats.pidsMax, std::optional<uint64_t>(32));
    QVERIFY2(stats.memoryCurrent >= (8u << 20), qPrintable(QString::number(stats.memoryCurrent)));
    QVERIFY(stats.memoryPeak >= stats.memoryCurrent);
    QCOMPARE(stats.memoryLimit, std::optional<uint64_t>(64 << 20));
    QCOMPARE(stats.oomKills, 0u);

    CgroupSampler sampler(*cg);
    QVERIFY(sampler.sample().memory.anon >= (8u << 20));
    // Found from /proc/PID/cgroup, as for any process: the same directories, but for
    // the v1 hierarchies Hood joins without a limit (cpuset, systemd's), which a
    // sampler has nothing to read in.
    auto found = cgroupDirsOfProcess(child.pid(), m_mode);
    auto made = cg->paths();
    std::erase_if(made, [](const std::string &dir) {
        return dir.starts_with("/sys/fs/cgroup/cpuset/") || dir.starts_with("/sys/fs/cgroup/systemd/");
    });
    QVERIFY(!made.empty());
    std::sort(found.begin(), found.end());
    std::sort(made.begin(), made.end());
    QCOMPARE(found, made);

    cg->killAll();
    int status = child.waitStatus();
    QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    for (const std::string &path : cg->paths())
        QCOMPARE(readText(file(path, "cgroup.procs")), "");

    cg->destroy();
    for (const std::string &path : cg->paths())
        QVERIFY2(!QFileInfo::exists(QString::fromStdString(path)), path.c_str());
    // The sampler's open files now belong to a removed cgroup.
    QString error;
    try {
        sampler.sample();
    } catch (const Error &e) {
        error = e.what();
    }
    QVERIFY2(error.startsWith("read /sys/fs/cgroup/"), qPrintable(error));
}

void TestCgroupsLive::samplerCpuUnderQuota()
{
    auto cg = make("cpu");
    auto guard = qScopeGuard([&] { cg->destroy(); });
    cg->create();
    Resources limits;
    limits.cpuQuota = 50000;
    limits.cpuPeriod = 100000;
    cg->apply(limits);
    Child child(0, true);
    cg->addProcess(child.pid());
    QVERIFY(child.start());

    CgroupSampler sampler(*cg);
    sampler.sample();
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    CgroupSample sample = sampler.sample();
    QVERIFY(sample.cpuPercent);
    qInfo("busy loop under a 0.5 CPU quota: %.1f %% CPU", *sample.cpuPercent);
    // The quota caps it at 50 %; the machine is shared, so only a floor of 10 %.
    QVERIFY2(*sample.cpuPercent > 10 && *sample.cpuPercent < 60,
             qPrintable(QString::number(*sample.cpuPercent)));

    // Throttling: once nothing runs the counters stand still and must match
    // cpu.stat. (Linux 6.18 updates them lazily, so no lower bound is asserted.)
    cg->killAll();
    QVERIFY(child.waitStatus() != -1);
    sample = sampler.sample();
    const QString cpuStat = readText(file(leafFor(*cg, "cpu"), "cpu.stat"));
    const QString throttledKey = m_mode == CgroupMode::V2 ? "throttled_usec" : "throttled_time";
    qulonglong throttled = 0, throttledTime = 0;
    for (const QString &line : cpuStat.split('\n')) {
        if (line.startsWith("nr_throttled "))
            throttled = line.section(' ', 1).toULongLong();
        if (line.startsWith(throttledKey + " "))
            throttledTime =
                line.section(' ', 1).toULongLong() * (m_mode == CgroupMode::V2 ? 1000 : 1);
    }
    qInfo("throttled %llu periods, %llu ns", throttled, throttledTime);
    QCOMPARE(qulonglong(sample.stats.throttledPeriods), throttled);
    QCOMPARE(qulonglong(sample.stats.throttledNs), throttledTime);
    QCOMPARE(sample.cpuLimit, std::optional<double>(0.5));
}

void TestCgroupsLive::oomKillIsCounted()
{
    auto cg = make("oom");
    auto guard = qScopeGuard([&] { cg->destroy(); });
    cg->create();
    Resources limits;
    limits.memoryLimit = 16 << 20;
    cg->apply(limits);
    Child child(64 << 20, false); // four times the limit
    cg->addProcess(child.pid());
    QVERIFY(!child.start()); // killed before it could report
    int status = child.waitStatus();
    QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CgroupStats stats = cg->stats();
    QCOMPARE(stats.oomKills, 1u);
    QVERIFY(stats.oomEvents >= 1);
    QVERIFY(stats.memoryPeak >= (15u << 20));
}

void TestCgroupsLive::destroyKeepsSharedParent()
{
    auto a = make("a");
    auto b = make("b");
    auto guard = qScopeGuard([&] {
        a->destroy();
        b->destroy();
    });
    a->create();
    b->create();
    a->destroy();
    for (const std::string &path : a->paths())
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));
    for (const std::string &path : b->paths()) {
        QVERIFY(QFileInfo(QString::fromStdString(path)).isDir());
        QVERIFY(QFileInfo(QString::fromStdString(parentOf(path))).isDir());
    }
}

// Containers start and end at the same time: one's destroy() removes the shared
// parent while another's create() is between its mkdir of the parent and its
// writes below it. A parent of this test's own, so that running containers (which
// keep "hood" alive) cannot hide the race.
void TestCgroupsLive::concurrentCreateDestroy()
{
    const std::string parent = "hood-tst-race-" + std::to_string(::getpid());
    std::mutex lock;
    QStringList errors;
    auto cycle = [&](int worker) {
        for (int i = 0; i < 40; ++i) {
            CgroupOptions options;
            options.parent = parent;
            options.name = "w" + std::to_string(worker) + "-" + std::to_string(i);
            auto cg = makeCgroupManager(options);
            try {
                cg->create();
            } catch (const Error &e) {
                std::lock_guard<std::mutex> hold(lock);
                errors << QString::fromStdString(e.what());
            }
            cg->destroy();
        }
    };
    std::vector<std::thread> workers;
    for (int w = 0; w < 4; ++w)
        workers.emplace_back(cycle, w);
    for (std::thread &t : workers)
        t.join();
    // In every hierarchy the manager uses (v1: memory, cpu, pids, ...), not only one.
    CgroupOptions probe;
    probe.parent = parent;
    probe.name = "probe";
    for (const std::string &path : makeCgroupManager(probe)->paths())
        QVERIFY2(!QFileInfo::exists(QString::fromStdString(parentOf(path))),
                 qPrintable("the last destroy() left the shared parent behind: " + QString::fromStdString(parentOf(path))));
    errors.removeDuplicates();
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
}

void TestCgroupsLive::removeCgroupPathAfterCrash()
{
    // What gc does with the journal of a container whose monitor died.
    auto cg = make("gc");
    auto guard = qScopeGuard([&] { cg->destroy(); });
    cg->create();
    Child child(1 << 20, false);
    cg->addProcess(child.pid());
    QVERIFY(child.start());
    for (const std::string &path : cg->paths()) {
        std::string why;
        QVERIFY2(removeCgroupPath(path, &why), why.c_str());
        QVERIFY(!QFileInfo::exists(QString::fromStdString(path)));
        QVERIFY2(removeCgroupPath(path, &why), why.c_str()); // already gone: fine
    }
    int status = child.waitStatus();
    QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

void TestCgroupsLive::removeCgroupPathRefusesRealCgroups()
{
    auto cg = make("refuse");
    auto guard = qScopeGuard([&] { cg->destroy(); });
    cg->create();
    const std::string leaf = cg->paths().front();
    const std::string hierarchy = parentOf(parentOf(leaf));
    std::string why;
    // The hierarchy root (holds every process of the machine) and the shared parent.
    QVERIFY(!removeCgroupPath(hierarchy, &why));
    QVERIFY(!removeCgroupPath(parentOf(leaf), &why));
    QCOMPARE(QString::fromStdString(why),
             QString::fromStdString("refusing to remove " + parentOf(leaf)
                                    + ": not a cgroup directly under a \"hood\" parent"));
    QVERIFY(QFileInfo(QString::fromStdString(leaf)).isDir());
    QVERIFY(QFileInfo(QString::fromStdString(hierarchy)).isDir());
}

QTEST_GUILESS_MAIN(TestCgroupsLive)
#include "tst_cgroups_live.moc"
