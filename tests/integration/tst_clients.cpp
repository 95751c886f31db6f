// Real OCI clients drive hoodctl as their runtime: Debian's podman (through
// conmon) and Docker (dockerd, containerd and containerd-shim-runc-v2 through
// go-runc). None of these clients is ours; they call `hoodctl --root R create
// --bundle B --pid-file F ID`, start, state, kill, delete as they call runc
// (docs/runtime-modes.md). Every daemon and root is the test's own, under a
// temporary directory, and nothing of Hood, podman or Docker stays behind.
// Where runc is installed, the same podman checks run with runc, and what the
// container sees must be the same.
#include "hoodtest.h"

#include <QElapsedTimer>
#include <QStandardPaths>

#include <csignal>
#include <sys/wait.h>

using namespace hoodtest;

namespace {

const QString kImage = "localhost/hood-busybox:latest";

using Run = Result;

} // namespace

class TestClients : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    QString m_hoodRoot;
    QString m_runtime;  // a two-line script: hoodctl with the test's --root
    QString m_skip;     // why the podman checks cannot run here
    bool m_haveRunc = false;

    QStringList podmanBase(const QString &runtime) const
    {
        return {"--root", m_tmp.path() + "/podman/root", "--runroot", m_tmp.path() + "/podman/run",
                "--tmpdir", m_tmp.path() + "/podman/tmp", "--cgroup-manager", "cgroupfs",
                "--events-backend", "file", "--storage-driver", "vfs", "--runtime", runtime};
    }

    // podman with the test's roots; `runOptions` go after "run".
    Run podman(const QStringList &args, const QString &runtime = {}, int timeoutMs = 120000)
    {
        return runProgram("podman", podmanBase(runtime.isEmpty() ? m_runtime : runtime) + args, timeoutMs);
    }

    static QStringList runFlags()
    {
        // Root here lacks CAP_SYS_RESOURCE: podman's default ulimits would be refused.
        return {"--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"};
    }

    Run podmanRun(const QStringList &extra, const QStringList &command, const QString &runtime = {})
    {
        return podman(QStringList {"run"} + runFlags() + extra + QStringList {kImage} + command, runtime);
    }

private slots:
    void initTestCase()
    {
        if (!isRoot())
            QSKIP("podman and Docker run rootful here: run the suite as root");
        QVERIFY(m_tmp.isValid());
        m_hoodRoot = m_tmp.path() + "/hood";
        m_runtime = m_tmp.path() + "/hoodctl-runtime";
        QFile script(m_runtime);
        QVERIFY(script.open(QIODevice::WriteOnly));
        // podman's cleanup process calls `delete` without the runtime flags given to
        // `run`, so the root goes into the runtime's own command line.
        script.write(QString("#!/bin/sh\nexec %1 --root %2 \"$@\"\n").arg(hoodctl(), m_hoodRoot).toUtf8());
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        m_haveRunc = QFile::exists("/usr/sbin/runc");
        const bool conmon = QFile::exists("/usr/bin/conmon") || QFile::exists("/usr/libexec/podman/conmon");
        if (QStandardPaths::findExecutable("podman").isEmpty() || !conmon) {
            m_skip = "podman or conmon is not installed (apt-get install podman conmon)";
            return;
        }
        const QString tar = m_tmp.path() + "/busybox.tar";
        Run t = runProgram("tar", {"-C", builtinRootfs(), "-cf", tar, "."});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        Run imp = podman({"import", tar, kImage});
        QVERIFY2(imp.code == 0, qPrintable(imp.err));
    }

    void cleanupTestCase()
    {
        if (m_skip.isEmpty() && isRoot() && m_tmp.isValid()) {
            podman({"rm", "--all", "--force", "--time", "0"});
            podman({"system", "reset", "--force"});
        }
        QStringList left = leftovers(m_hoodRoot);
        // podman's cgroupsPath (cgroupfs): /libpod_parent/libpod-ID in every hierarchy.
        for (const QString &h : QDir("/sys/fs/cgroup").entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            for (const QString &c : QDir("/sys/fs/cgroup/" + h + "/libpod_parent").entryList({"libpod-*"}, QDir::Dirs))
                left << "cgroup /sys/fs/cgroup/" + h + "/libpod_parent/" + c;
        QVERIFY2(left.isEmpty(), qPrintable(left.join('\n')));
        QFile mounts("/proc/self/mountinfo");
        QVERIFY(mounts.open(QIODevice::ReadOnly));
        QVERIFY2(!mounts.readAll().contains(m_tmp.path().toUtf8()), "a mount under the test's temporary directory stayed");
    }

    void podmanRunPrintsOutput()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        Run r = podmanRun({"--rm"}, {"echo", "hello"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out, QString("hello\n"));
        QVERIFY2(!r.out.contains("hoodctl"), "hoodctl's own words reached the container's output");
    }

    void podmanExitStatus_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<int>("status");
        QTest::addRow("exit-3") << QStringList {"sh", "-c", "exit 3"} << 3;
        QTest::addRow("missing-command") << QStringList {"no-such-command"} << 127;
        QTest::addRow("killed-child") << QStringList {"sh", "-c", "sleep 30 & kill -9 $!; wait $!"} << 137;
    }

    void podmanExitStatus()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        QFETCH(QStringList, command);
        QFETCH(int, status);
        Run r = podmanRun({"--rm"}, command);
        QVERIFY2(r.code == status, qPrintable(QString("status %1: %2").arg(r.code).arg(r.err)));
    }

    void podmanDetachedLogsExecStopRm()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        Run d = podmanRun({"-d", "--name", "bg"}, {"sh", "-c", "echo started; exec sleep 100"});
        QVERIFY2(d.code == 0, qPrintable(d.err));
        QTRY_VERIFY_WITH_TIMEOUT(podman({"logs", "bg"}).out.contains("started"), 10000);
        Run e = podman({"exec", "bg", "sh", "-c", "echo in-exec; exit 4"});
        QCOMPARE(e.code, 4);
        QCOMPARE(e.out, QString("in-exec\n"));
        Run top = podman({"top", "bg"});
        QVERIFY2(top.code == 0 && top.out.contains("sleep 100"), qPrintable(top.out + top.err));
        QCOMPARE(podman({"pause", "bg"}).code, 0);
        QCOMPARE(podman({"inspect", "bg", "--format", "{{.State.Status}}"}).out.trimmed(), QString("paused"));
        QCOMPARE(podman({"unpause", "bg"}).code, 0);
        QCOMPARE(podman({"inspect", "bg", "--format", "{{.State.Status}}"}).out.trimmed(), QString("running"));
        Run stop = podman({"stop", "--time", "1", "bg"});
        QVERIFY2(stop.code == 0, qPrintable(stop.err));
        QCOMPARE(podman({"inspect", "bg", "--format", "{{.State.ExitCode}}"}).out.trimmed(), QString("137"));
        QCOMPARE(podman({"rm", "bg"}).code, 0);
        // No container's state is left; "#seccomp" (compiled filters, shared by every
        // container of the root, keyed by the profile) is not a container's.
        QStringList left = QDir(m_hoodRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        left.removeIf([](const QString &name) { return name.startsWith('#'); });
        QVERIFY2(left.isEmpty(), qPrintable(left.join(' ')));
    }

    void podmanTerminal()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        if (QStandardPaths::findExecutable("script").isEmpty())
            QSKIP("script (util-linux) is not installed, so there is no pty to give podman -t");
        // script gives podman a real terminal; inside, stdin is a pty.
        QString cmd = "podman " + podmanBase(m_runtime).join(' ') + " run --rm -t " + runFlags().join(' ') + " "
                      + kImage + " sh -c 'tty; test -t 0 && echo is-a-terminal'";
        Run r = runProgram("script", {"-qec", cmd, "/dev/null"});
        QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
        QVERIFY2(r.out.contains("/dev/pts/") && r.out.contains("is-a-terminal"), qPrintable(r.out));
    }

    void podmanPidsLimit()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        Run r = podmanRun({"--rm", "--pids-limit", "20"},
                          {"sh", "-c", "cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed(), QString("20"));
    }

    // A memory hog under --memory 32m ends by SIGKILL, and podman's OOMKilled says
    // what it says for runc on this machine (conmon reads the kernel's OOM events).
    void podmanOomKill()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        QStringList runtimes = {m_runtime};
        if (m_haveRunc)
            runtimes << "/usr/sbin/runc";
        QStringList oomKilled;
        for (const QString &rt : runtimes) {
            podman({"rm", "--force", "oom"}, rt);
            Run r = podmanRun({"--name", "oom", "--memory", "32m"}, {"sh", "-c", "x=a; while true; do x=$x$x; done"}, rt);
            QVERIFY2(r.code == 137, qPrintable(QString("%1: status %2 %3").arg(rt).arg(r.code).arg(r.err)));
            oomKilled << podman({"inspect", "oom", "--format", "{{.State.OOMKilled}}"}, rt).out.trimmed();
            QCOMPARE(podman({"rm", "oom"}, rt).code, 0);
        }
        if (m_haveRunc)
            QCOMPARE(oomKilled[0], oomKilled[1]);
    }

    // What a container sees, by hoodctl and by runc: the same podman config.json.
    void podmanSameAsRunc_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("script");
        QTest::addRow("ids") << QStringList {} << "id";
        QTest::addRow("capabilities") << QStringList {} << "grep ^Cap /proc/self/status";
        QTest::addRow("rlimits") << QStringList {} << "ulimit -n; ulimit -u";
        QTest::addRow("memory-limit") << QStringList {"--memory", "48m"} << "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max";
        QTest::addRow("cpu-shares") << QStringList {"--cpu-shares", "512"} << "cat /sys/fs/cgroup/cpu/cpu.shares 2>/dev/null || cat /sys/fs/cgroup/cpu.weight";
        QTest::addRow("user") << QStringList {"--user", "1000:1000"} << "id";
        QTest::addRow("hostname") << QStringList {"--hostname", "box"} << "hostname";
        QTest::addRow("shm") << QStringList {"--shm-size", "16m"} << "df -k /dev/shm | tail -1 | awk '{print $2}'";
        QTest::addRow("sysctl") << QStringList {"--sysctl", "net.ipv4.ip_forward=1"} << "cat /proc/sys/net/ipv4/ip_forward";
        QTest::addRow("oom-score-adj") << QStringList {"--oom-score-adj", "300"} << "cat /proc/self/oom_score_adj";
        QTest::addRow("read-only-root") << QStringList {"--read-only"} << "touch /x 2>&1; echo $?";
        QTest::addRow("mounts") << QStringList {} << "awk '$2 !~ /^\\/(dev|proc)(\\/|$)/ {print $2, $3}' /proc/self/mounts | sort";
        // linux.cgroupsPath (/libpod_parent/libpod-ID with cgroupfs) is where both put the
        // cgroup, in the hierarchies Hood uses (runc joins cpuset and name=systemd too).
        QTest::addRow("cgroup-path") << QStringList {}
            << "sed -E 's/libpod-[0-9a-f]+/libpod-ID/' /proc/self/cgroup | grep -E ':(memory|cpu|cpuacct|pids|blkio|freezer|devices):'";
        QTest::addRow("env-workdir") << QStringList {"-e", "A=b", "-w", "/tmp"} << "echo $A; pwd";
    }

    void podmanSameAsRunc()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        if (!m_haveRunc)
            QSKIP("runc is not installed (apt-get install runc): nothing to compare with");
        QFETCH(QStringList, extra);
        QFETCH(QString, script);
        Run theirs = podmanRun(QStringList {"--rm"} + extra, {"sh", "-c", script}, "/usr/sbin/runc");
        Run ours = podmanRun(QStringList {"--rm"} + extra, {"sh", "-c", script});
        QVERIFY2(theirs.code == 0, qPrintable("runc: " + theirs.err));
        QCOMPARE(ours.code, theirs.code);
        QCOMPARE(ours.out, theirs.out);
    }
};

QTEST_GUILESS_MAIN(TestClients)
#include "tst_clients.moc"
