// The engine on real kernels: namespaces, limits, exit reporting, rootless.
// Every test runs hoodctl from the build tree with a private state root and
// checks afterwards that no cgroup, mount or state file of Hood remains.
#include "hoodtest.h"

#include <QElapsedTimer>
#include <QThread>

#include <csignal>
#include <sys/stat.h>

using namespace hoodtest;

class TestEngine : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_root {"/tmp/hood-tst-engine-XXXXXX"};
    QString root() const { return m_root.path(); }

    Result hood(const QStringList &args, int timeoutMs = 60000, const QByteArray &input = {})
    {
        return run(root(), args, timeoutMs, input);
    }

    // cpuacct.usage (v1) or cpu.stat usage_usec (v2), in nanoseconds.
    qint64 cpuUsageNs(const QString &id)
    {
        QFile v1(cgroupFile(id, "cpuacct", "cpuacct.usage"));
        if (v1.open(QIODevice::ReadOnly) && v1.fileName().contains("cpuacct"))
            return v1.readAll().trimmed().toLongLong();
        QFile v2(cgroupFile(id, "cpu", "cpu.stat"));
        if (!v2.open(QIODevice::ReadOnly))
            return -1;
        return keyValues(QString(v2.readAll()).replace(' ', ": ")).value("usage_usec").toLongLong() * 1000;
    }

private slots:
    void initTestCase()
    {
        if (!isRoot())
            QSKIP("needs root: containers with cgroups and every namespace (run the suite with sudo)");
        QVERIFY(m_root.isValid());
        QVERIFY2(QFile::exists(builtinRootfs() + "/bin/sh"), "the built-in image is not built");
    }

    void cleanup()
    {
        hood({"gc"});
        QStringList left = leftovers(root());
        QVERIFY2(left.isEmpty(), qPrintable(left.join('\n')));
    }

    void namespaces_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QStringList>("isolated");
        const QStringList all = {"pid", "mnt", "uts", "ipc", "net", "user", "cgroup", "time"};
        QTest::addRow("default") << QStringList {} << QStringList {"pid", "mnt", "uts", "ipc", "net", "cgroup"};
        QTest::addRow("all-eight") << QStringList {"--ns", all.join(',')} << all;
        QTest::addRow("no-net") << QStringList {"--no-ns", "net"} << QStringList {"pid", "mnt", "uts", "ipc", "cgroup"};
        QTest::addRow("only-mnt") << QStringList {"--ns", "mnt"} << QStringList {"mnt"};
        // A user namespace without its own pid, net and ipc: proc, sysfs and mqueue
        // cannot be mounted afresh; the host's are bound or the mount stays empty.
        QTest::addRow("user-without-ipc") << QStringList {"--ns", "mnt,uts,user"} << QStringList {"mnt", "uts", "user"};
        QTest::addRow("no-pid-no-uts") << QStringList {"--no-ns", "pid", "--no-ns", "uts"}
                                       << QStringList {"mnt", "ipc", "net", "cgroup"};
    }

    // Every namespace turned on differs from the host's; every one off matches.
    void namespaces()
    {
        QFETCH(QStringList, flags);
        QFETCH(QStringList, isolated);
        Result r = hood(QStringList {"run"} << flags << "--" << "hood-demo" << "whoami");
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QMap<QString, QString> inside = keyValues(r.out);
        for (const QString &kind : QStringList {"pid", "mnt", "uts", "ipc", "net", "user", "cgroup", "time"}) {
            QString host = hostNsInode(kind);
            QString mine = inside.value("ns." + kind);
            QVERIFY2(!mine.isEmpty(), qPrintable("whoami printed no ns." + kind));
            if (isolated.contains(kind))
                QVERIFY2(mine != host, qPrintable(kind + " should be private but equals the host's " + host));
            else
                QVERIFY2(mine == host, qPrintable(kind + " should be the host's " + host + ", is " + mine));
        }
    }

    void pidOneAndHostname()
    {
        Result r = hood({"run", "--hostname", "lab", "--", "sh", "-c", "echo $$; hostname"});
        QCOMPARE(r.code, 0);
        QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), QString("1"));
        QCOMPARE(lines.value(1), QString("lab"));
        QVERIFY(QSysInfo::machineHostName() != "lab");
    }

    void exitCodes_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("stderr");
        QTest::addRow("zero") << QStringList {"true"} << 0 << "";
        QTest::addRow("three") << QStringList {"sh", "-c", "exit 3"} << 3 << "";
        QTest::addRow("sigterm") << QStringList {"--no-ns", "pid", "--", "sh", "-c", "kill -TERM $$"} << 143
                                 << "container was killed by SIGTERM (exit status 143)";
        QTest::addRow("sigkill") << QStringList {"--no-ns", "pid", "--", "sh", "-c", "kill -KILL $$"} << 137
                                 << "container was killed by SIGKILL (exit status 137)";
        QTest::addRow("not-found") << QStringList {"/nope"} << 125 << "exec /nope: no such file or directory";
        QTest::addRow("not-in-path") << QStringList {"nope"} << 125 << "exec nope: executable file not found in $PATH";
    }

    void exitCodes()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, stderr);
        QStringList all {"run"};
        if (!args.contains("--"))
            all << "--";
        Result r = hood(all + args);
        QCOMPARE(r.code, code);
        if (!stderr.isEmpty())
            QVERIFY2(r.err.contains(stderr), qPrintable(r.err));
    }

    // The supervising hoodctl forwards what it is sent to the container's init.
    void signalsAreForwarded()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOOD_ROOT", root());
        p.setProcessEnvironment(env);
        p.start(hoodctl(), {"run", "--", "sh", "-c", "trap 'echo got-term; exit 5' TERM; echo ready; while true; do sleep 0.1; done"});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        while (!out.contains("ready") && p.waitForReadyRead(10000))
            out += p.readAllStandardOutput();
        QVERIFY2(out.contains("ready"), p.readAllStandardError().constData());
        ::kill(pid_t(p.processId()), SIGTERM);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 5);
        QVERIFY(p.readAllStandardOutput().contains("got-term"));
    }

    void oomKillIsReported()
    {
        Result r = hood({"run", "--memory", "32M", "--", "hood-demo", "mem", "200M"});
        QCOMPARE(r.code, 137);
        QVERIFY2(r.err.contains("container was OOM-killed (memory limit 32 MiB)"), qPrintable(r.err));
    }

    // A fork bomb stops at the limit; the host can still fork afterwards.
    void pidsLimitHolds()
    {
        Result r = hood({"run", "--pids", "20", "--", "hood-demo", "forks", "200"});
        QCOMPARE(r.code, 0);
        QRegularExpressionMatch m = QRegularExpression("forks: 200 asked, (\\d+) started, (\\d+) failed").match(r.out);
        QVERIFY2(m.hasMatch(), qPrintable(r.out));
        QVERIFY2(m.captured(1).toInt() <= 19, qPrintable(r.out)); // hood-demo itself is one of the 20
        QVERIFY2(r.out.contains("EAGAIN"), qPrintable(r.out));
        QProcess echo;
        echo.start("/bin/echo", {"host still forks"});
        QVERIFY(echo.waitForFinished(5000));
        QCOMPARE(echo.exitCode(), 0);
    }

    // Two busy threads under a 0.2 CPU quota use about 20 % of one CPU.
    void cpuQuotaHolds()
    {
        Result r = hood({"run", "-d", "--name", "cpu", "--cpus", "0.2", "--", "hood-demo", "cpu", "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QThread::msleep(300);
        qint64 before = cpuUsageNs("cpu");
        QElapsedTimer clock;
        clock.start();
        QThread::msleep(3000);
        qint64 used = cpuUsageNs("cpu") - before;
        double share = double(used) / double(clock.nsecsElapsed());
        hood({"delete", "--force", "cpu"});
        QVERIFY2(before >= 0, "no CPU usage file for the container's cgroup");
        QVERIFY2(share > 0.14 && share < 0.26, qPrintable(QString("used %1 of one CPU").arg(share)));
    }

    void chrootMode()
    {
        Result r = hood({"run", "--chroot", "--", "sh", "-c", "ls /bin/busybox && cat /proc/1/comm"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("/bin/busybox"));
    }

    // Writes go to a throw-away layer: the image itself never changes.
    void imageIsNotWritten()
    {
        Result r = hood({"run", "--", "sh", "-c", "echo changed > /etc/hostname && rm /bin/ls && echo ok"});
        QCOMPARE(r.code, 0);
        QVERIFY(QFile::exists(builtinRootfs() + "/bin/ls"));
        QFile f(builtinRootfs() + "/etc/hostname");
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("changed"));
    }

    void readonlyAndMaskedPaths()
    {
        const QStringList masked = {"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug"};
        QStringList onHost;
        for (const QString &f : masked) {
            if (QFile::exists(f))
                onHost << f;
        }
        Result r = hood({"run", "--", "sh", "-c",
                         "echo 1 > /proc/sys/kernel/domainname; echo rc=$?; ls /sys/firmware | wc -l; "
                         "for f in " + masked.join(' ') + "; do [ -e $f ] && echo \"$f $(wc -c < $f)\"; done; true"});
        QCOMPARE(r.code, 0);
        QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), QString("rc=1")); // /proc/sys is read-only
        QCOMPARE(lines.value(1).trimmed(), QString("0")); // /sys/firmware: an empty tmpfs over it
        QCOMPARE(lines.mid(2).size(), onHost.size());
        for (const QString &line : lines.mid(2))
            QVERIFY2(line.endsWith(" 0"), qPrintable(line + " should read as empty (masked by /dev/null)"));
    }

    // As the unprivileged user nobody: a user namespace makes it root inside.
    void rootlessAsNobody()
    {
        QTemporaryDir state("/tmp/hood-tst-rootless-XXXXXX");
        QVERIFY(chown(state.path().toLocal8Bit(), 65534, 65534) == 0);
        chmod(state.path().toLocal8Bit(), 0700);
        QString stateRoot = state.path() + "/hood";
        ReachableCopy copy;
        QVERIFY2(copy.ok(), "could not copy hoodctl and the built-in image to /tmp");
        const QStringList nobody = asNobody(copy);
        Result r = run(stateRoot, {"run", "--", "hood-demo", "whoami"}, 60000, {}, nobody,
                       copy.hoodctlPath());
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QMap<QString, QString> inside = keyValues(r.out);
        QCOMPARE(inside.value("uid"), QString("0"));
        QVERIFY(inside.value("ns.user") != hostNsInode("user"));
        QVERIFY(inside.value("ns.pid") != hostNsInode("pid"));
        Result limited = run(stateRoot, {"run", "--memory", "64M", "--", "true"}, 60000, {},
                             nobody, copy.hoodctlPath());
        QCOMPARE(limited.code, 125);
        QVERIFY2(limited.err.contains("limits need a cgroup"), qPrintable(limited.err));
        QVERIFY(leftovers(stateRoot).isEmpty());
    }

    void rootlessFlagAsRoot()
    {
        Result r = hood({"run", "--rootless", "--", "sh", "-c", "cat /proc/self/uid_map; touch /bin/x; echo rc=$?"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QRegularExpression("0\\s+65534\\s+1")), qPrintable(r.out));
        QVERIFY2(r.out.contains("rc=1"), qPrintable(r.out)); // root inside owns nothing of the image
    }

    // --rootless maps root inside to nobody, who cannot walk to an image under a
    // 0700 directory (/root, a home on Debian 12); the engine still reaches it.
    void rootlessFlagAsRootPrivateImage()
    {
        QTemporaryDir dir("/tmp/hood-tst-private-XXXXXX"); // 0700, owned by root
        QVERIFY(dir.isValid());
        QProcess cp;
        cp.start("cp", {"-a", builtinRootfs(), dir.path() + "/rootfs"});
        QVERIFY(cp.waitForFinished(60000) && cp.exitCode() == 0);
        Result r = hood({"run", "--rootless", "--image", dir.path() + "/rootfs", "--", "sh", "-c",
                         "cat /proc/self/uid_map; ls /bin/busybox"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QRegularExpression("0\\s+65534\\s+1")), qPrintable(r.out));
        QVERIFY2(r.out.contains("/bin/busybox"), qPrintable(r.out));
    }

    void detachedLogsAndStop()
    {
        Result r = hood({"run", "-d", "--name", "bg", "--", "sh", "-c", "echo started; trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed(), QString("bg"));
        QTRY_VERIFY_WITH_TIMEOUT(hood({"logs", "bg"}).out.contains("started"), 5000);
        QCOMPARE(hood({"stop", "bg"}).code, 0);
        QVERIFY(hood({"logs", "bg"}).out.contains("bye"));
        QVERIFY(hood({"list"}).out.contains(QRegularExpression("bg\\s+stopped \\(0\\)")));
        QCOMPARE(hood({"delete", "bg"}).code, 0);
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
