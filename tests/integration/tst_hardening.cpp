// The default profile from inside, and escape attempts that must fail: seccomp,
// no_new_privs, capabilities, read-only and masked paths, fds, the cwd trick
// (CVE-2024-21626), release_agent (CVE-2022-0492), chroot under pivot_root, and
// two hoodctl processes on one container at once.
#include "hoodtest.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>

#include <future>

using namespace hoodtest;

class TestHardening : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_root {"/tmp/hood-tst-hard-XXXXXX"};
    QString root() const { return m_root.path(); }

    Result hood(const QStringList &args, int timeoutMs = 60000, const QByteArray &input = {})
    {
        return run(root(), args, timeoutMs, input);
    }

    // `hood-demo syscall NAME` in a fresh container: its "error" line, or "allowed".
    QString probe(const QString &name, const QStringList &flags = {})
    {
        Result r = hood(QStringList {"run"} + flags + QStringList {"--", "hood-demo", "syscall", name});
        if (r.code != 0)
            return "failed: " + r.err;
        QMap<QString, QString> kv = keyValues(r.out);
        return kv.value("result") == "allowed" ? QString("allowed") : kv.value("error");
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

    void defaultProfile_data()
    {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("noNewPrivs");
        QTest::addColumn<QString>("seccomp");
        QTest::addRow("default") << QStringList {} << "1" << "2";
        QTest::addRow("unconfined") << QStringList {"--security-opt", "seccomp=unconfined"} << "1" << "0";
        QTest::addRow("new-privileges") << QStringList {"--security-opt", "no-new-privileges=false"} << "0" << "2";
    }

    // hood-demo whoami: no_new_privs and seccomp mode 2 (a filter), no inheritable or
    // ambient capability.
    void defaultProfile()
    {
        QFETCH(QStringList, flags);
        QFETCH(QString, noNewPrivs);
        QFETCH(QString, seccomp);
        Result r = hood(QStringList {"run"} + flags + QStringList {"--", "hood-demo", "whoami"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QMap<QString, QString> kv = keyValues(r.out);
        QCOMPARE(kv.value("no_new_privs"), noNewPrivs);
        QCOMPARE(kv.value("seccomp"), seccomp);
        QCOMPARE(kv.value("cap.inh"), QString("0000000000000000"));
        QCOMPARE(kv.value("cap.amb"), QString("0000000000000000"));
    }

    void blockedSyscalls_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("kernelRefusesToo"); // unconfined, root without the capability
        QTest::addRow("keyctl") << "keyctl" << false;
        QTest::addRow("add_key") << "add_key" << false;
        QTest::addRow("unshare-user") << "unshare-user" << false;
        QTest::addRow("personality") << "personality" << false;
        QTest::addRow("perf_event_open") << "perf_event_open" << false;
        QTest::addRow("bpf") << "bpf" << true;
        QTest::addRow("mount") << "mount" << true;
        QTest::addRow("unshare-mount") << "unshare-mount" << true;
        QTest::addRow("userfaultfd") << "userfaultfd" << true; // vm.unprivileged_userfaultfd=0
    }

    // Docker's default profile answers EPERM; unconfined, the kernel's own answer
    // (some refuse anyway: the container has no CAP_SYS_ADMIN).
    void blockedSyscalls()
    {
        QFETCH(QString, name);
        QFETCH(bool, kernelRefusesToo);
        QString filtered = probe(name);
        QVERIFY2(filtered.contains("(EPERM)"), qPrintable(name + ": " + filtered));
        if (!kernelRefusesToo) {
            QString unconfined = probe(name, {"--security-opt", "seccomp=unconfined"});
            QVERIFY2(!unconfined.contains("(EPERM)") && !unconfined.startsWith("failed"),
                     qPrintable(name + " unconfined: " + unconfined));
        }
    }

    // --security-opt seccomp=FILE in Docker's format: an errno of the profile's choice.
    void profileFromFile()
    {
        QTemporaryFile f(root() + "/../hood-profile-XXXXXX.json");
        QVERIFY(f.open());
        f.write(R"({"defaultAction": "SCMP_ACT_ALLOW",
                    "syscalls": [{"name": "keyctl", "action": "SCMP_ACT_ERRNO", "errnoRet": 38, "comment": "ENOSYS"}]})");
        f.close();
        QString r = probe("keyctl", {"--security-opt", "seccomp=" + f.fileName()});
        QVERIFY2(r.contains("(ENOSYS)"), qPrintable(r));
        Result bad = hood({"run", "--security-opt", "seccomp=/nonexistent.json", "--", "true"});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("/nonexistent.json"), qPrintable(bad.err));
    }

    // The filter also covers `hoodctl exec`.
    void execIsFiltered()
    {
        QCOMPARE(hood({"run", "-d", "--name", "filtered", "--", "sleep", "600"}).code, 0);
        Result r = hood({"exec", "filtered", "--", "hood-demo", "syscall", "keyctl"});
        QVERIFY2(keyValues(r.out).value("error").contains("(EPERM)"), qPrintable(r.out + r.err));
        Result fds = hood({"exec", "filtered", "--", "hood-demo", "fds"});
        QVERIFY2(fds.out.contains("fds: 3 open"), qPrintable(fds.out + fds.err));
        QCOMPARE(hood({"delete", "--force", "filtered"}).code, 0);
    }

    // The monitor (and every other host process) is outside the container's pid
    // namespace: there is no pid inside to ptrace or signal it by.
    void monitorOutOfReach()
    {
        QCOMPARE(hood({"run", "-d", "--name", "reach", "--", "sleep", "600"}).code, 0);
        QFile f(root() + "/reach/state.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        const int monitor = QJsonDocument::fromJson(f.readAll()).object()["monitorPid"].toInt();
        QVERIFY(monitor > 1);
        Result r = hood({"exec", "reach", "--", "sh", "-c",
                         QString("ls /proc | grep -c '^[0-9]'; [ -e /proc/%1 ] && echo VISIBLE; kill -0 %1 || echo unreachable").arg(monitor)});
        QVERIFY2(!r.out.contains("VISIBLE"), qPrintable(r.out));
        QVERIFY2(r.out.contains("unreachable"), qPrintable(r.out + r.err));
        QCOMPARE(hood({"delete", "--force", "reach"}).code, 0);
    }

    // Only stdin, stdout and stderr reach the command.
    void onlyStdioFds()
    {
        Result r = hood({"run", "--", "hood-demo", "fds"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("fds: 3 open"), qPrintable(r.out));
    }

    // CVE-2024-21626: a working directory through /proc/self/fd/N must not land
    // outside the root; Hood refuses to start, whatever N is.
    void cwdTrick_data()
    {
        QTest::addColumn<QString>("cwd");
        for (int n = 3; n < 10; ++n)
            QTest::addRow("fd-%d", n) << QString("/proc/self/fd/%1").arg(n);
    }

    void cwdTrick()
    {
        QFETCH(QString, cwd);
        Result r = hood({"run", "-w", cwd, "--", "sh", "-c", "pwd; ls /"});
        QVERIFY2(r.code != 0, qPrintable("started in " + r.out));
        // No directory fd is open at that point, so the kernel refuses already
        // ("not a directory"); tst_finish checks the getcwd test for a directory
        // that is open.
        QVERIFY2(r.err.contains("chdir to cwd " + cwd), qPrintable(r.err));
    }

    // Writes that would reach the host: all refused.
    void escapeWrites_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addRow("proc-sys") << "echo x > /proc/sys/kernel/domainname";
        QTest::addRow("sysrq-trigger") << "echo h > /proc/sysrq-trigger";
        QTest::addRow("release-agent") << "for f in /sys/fs/cgroup/release_agent /sys/fs/cgroup/*/release_agent; do "
                                          "[ -e $f ] && echo /x > $f && exit 0; done; "
                                          "mkdir -p /tmp/cg && mount -t cgroup -o memory cgroup /tmp/cg && echo /x > /tmp/cg/release_agent";
        QTest::addRow("cgroupfs") << "mkdir /sys/fs/cgroup/hood-escape || mkdir /sys/fs/cgroup/memory/hood-escape";
        QTest::addRow("mount-proc") << "mkdir -p /tmp/p && mount -t proc proc /tmp/p";
        QTest::addRow("sysfs") << "echo 1 > /sys/kernel/mm/ksm/run";
        QTest::addRow("mknod-disk") << "mknod /tmp/sda b 8 0 && head -c1 /tmp/sda";
    }

    void escapeWrites()
    {
        QFETCH(QString, script);
        Result r = hood({"run", "--", "sh", "-c", script});
        QVERIFY2(r.code != 0, qPrintable(script + " succeeded: " + r.out));
    }

    // A mount destination through a symlink under /proc (procfs's own /proc/self, or
    // /proc/mounts -> self/mounts) is refused (CVE-2019-16884).
    void mountThroughProcSymlink_data()
    {
        QTest::addColumn<QString>("destination");
        QTest::addRow("proc-self") << "/proc/self/attr";
        QTest::addRow("proc-mounts") << "/proc/mounts";
    }

    void mountThroughProcSymlink()
    {
        QFETCH(QString, destination);
        Result printed = hood({"run", "--print-spec", "--", "true"});
        QVERIFY2(printed.code == 0, qPrintable(printed.err));
        QJsonObject spec = QJsonDocument::fromJson(printed.out.toUtf8()).object();
        QJsonArray mounts = spec["mounts"].toArray();
        mounts.append(QJsonObject {{"destination", destination}, {"type", "tmpfs"}, {"source", "tmpfs"}});
        spec["mounts"] = mounts;
        Result r = hood({"run", "--spec", "-"}, 60000, QJsonDocument(spec).toJson());
        QVERIFY2(r.code == 125, qPrintable(r.out + r.err));
        QVERIFY2(r.err.contains("mount destination " + destination + ": a symbolic link under /proc"), qPrintable(r.err));
    }

    // chroot(2) keeps the cwd outside the new root; walking up from there reaches
    // only the container's root, since pivot_root left no host root behind.
    void chrootEscape()
    {
        QTemporaryFile marker("/tmp/hood-host-marker-XXXXXX");
        QVERIFY(marker.open());
        Result r = hood({"run", "--", "sh", "-c",
                         "mkdir -p /tmp/jail && cd / && chroot /tmp/jail /bin/true 2>/dev/null; "
                         "cd /tmp/jail; for i in 1 2 3 4 5 6 7 8 9 10; do cd ..; done; "
                         "ls -d " + marker.fileName() + " 2>/dev/null && echo ESCAPED; "
                         "[ -e /proc/1/root" + marker.fileName() + " ] && echo ESCAPED; true"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(!r.out.contains("ESCAPED"), qPrintable(r.out));
    }

    // A container that ignores SIGTERM dies by SIGKILL after the grace period.
    void stopEscalates()
    {
        QCOMPARE(hood({"run", "-d", "--name", "stubborn", "--", "hood-demo", "sleep", "--ignore-term"}).code, 0);
        QElapsedTimer t;
        t.start();
        QCOMPARE(hood({"stop", "-t", "1", "stubborn"}).code, 0);
        QVERIFY(t.elapsed() >= 900);
        QCOMPARE(QJsonDocument::fromJson(hood({"state", "stubborn"}).out.toUtf8()).object()["status"].toString(),
                 QString("stopped"));
        QCOMPARE(hood({"delete", "stubborn"}).code, 0);
    }

    // Two deletes and a start racing a delete: each ends cleanly, one after the other.
    void concurrentVerbs_data()
    {
        QTest::addColumn<QStringList>("first");
        QTest::addColumn<QStringList>("second");
        QTest::addRow("two-deletes") << QStringList {"delete", "--force", "race"} << QStringList {"delete", "--force", "race"};
        QTest::addRow("stop-and-delete") << QStringList {"stop", "-t", "1", "race"} << QStringList {"delete", "--force", "race"};
    }

    void concurrentVerbs()
    {
        QFETCH(QStringList, first);
        QFETCH(QStringList, second);
        for (int round = 0; round < 5; ++round) {
            QCOMPARE(hood({"run", "-d", "--name", "race", "--", "sleep", "600"}).code, 0);
            std::future<Result> a = std::async(std::launch::async, [&] { return hood(first); });
            std::future<Result> b = std::async(std::launch::async, [&] { return hood(second); });
            Result ra = a.get(), rb = b.get();
            QVERIFY2(ra.code == 0 || ra.err.contains("does not exist"), qPrintable(ra.err));
            QVERIFY2(rb.code == 0 || rb.err.contains("does not exist"), qPrintable(rb.err));
            hood({"delete", "--force", "race"});
            QVERIFY2(leftovers(root()).isEmpty(), qPrintable(leftovers(root()).join('\n')));
        }
    }
};

QTEST_GUILESS_MAIN(TestHardening)
#include "tst_hardening.moc"
