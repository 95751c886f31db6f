// The default profile from inside, and escape attempts that must fail: seccomp,
// no_new_privs, capabilities, read-only and masked paths, fds, the cwd trick
// (CVE-2024-21626), release_agent (CVE-2022-0492), chroot under pivot_root, the
// runtime's /proc/self/exe (CVE-2019-5736), and
// two hoodctl processes on one container at once.
#include "hoodtest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>

#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <future>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

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

    // How the executable of a process (/proc/PID/exe) is kept from being written:
    // "overlay" (a file on a read-only overlayfs: the lower-only mount root uses),
    // "memfd" (a memfd with all four seals: the copy without root), else "plain".
    static QString exeSealing(qint64 pid)
    {
        const int fd = ::open(QString("/proc/%1/exe").arg(pid).toLocal8Bit().constData(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return "plain";
        const int allSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
        const int seals = fcntl(fd, F_GET_SEALS);
        struct statfs fs {};
        struct statvfs vfs {};
        const bool overlay = fstatfs(fd, &fs) == 0 && fs.f_type == OVERLAYFS_SUPER_MAGIC && fstatvfs(fd, &vfs) == 0
            && (vfs.f_flag & ST_RDONLY) != 0;
        ::close(fd);
        if (overlay)
            return "overlay";
        return seals >= 0 && (seals & allSeals) == allSeals ? "memfd" : "plain";
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
        // ptrace(PTRACE_ATTACH) by the monitor's host pid reaches nothing.
        Result t = hood({"exec", "reach", "--", "hood-demo", "syscall", "ptrace", QString::number(monitor)});
        QVERIFY2(keyValues(t.out).value("result") == "refused", qPrintable(t.out + t.err));
        QVERIFY2(keyValues(t.out).value("error").contains("(ESRCH)") || keyValues(t.out).value("error").contains("(EPERM)"),
                 qPrintable(t.out));
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

    // CVE-2019-5736: every hoodctl that enters a container runs from a sealed form
    // of its binary (a lower-only overlay as root): the created init of runc mode (no
    // monitor of this binary keeps it busy there) and `hoodctl exec`, in both modes.
    // Checked from the host on the live processes, and from inside: the container's
    // command is `hood-demo exe-watch`, which keeps an O_PATH fd of any executable not
    // its own that it sees in /proc and afterwards tries to open it for writing.
    // Meanwhile the test runs:
    // - execs: their command process is the only Hood process ever in the container's
    //   pid namespace (the helper and the caller stay outside: setns moves only
    //   children), from its fork to its execve, and it is not dumpable. With the
    //   default capabilities the watcher sees its pid but may not read its exe
    //   (EACCES): "hidden" must count it. With CAP_SYS_PTRACE (docker run --cap-add
    //   SYS_PTRACE) it may: nothing is hidden, and it is caught.
    // - the exploit's way in, a command whose interpreter is #!/proc/self/exe: the
    //   exec's process runs its own binary again inside, with the container's
    //   credentials, dumpable. The rootfs holds hoodctl's loader and libraries, so
    //   this really runs hoodctl in the container ("unknown verb"), and the watcher
    //   catches it with any capabilities. Its exe must refuse the write (EROFS).
    // - the control: an unsealed copy of hood-demo run inside must be caught and
    //   found writable, so the watcher can fail.
    void runtimeExeNotWritable_data()
    {
        QTest::addColumn<bool>("runcMode");
        QTest::addColumn<bool>("sysPtrace");
        QTest::addRow("monitor") << false << false;
        QTest::addRow("runc-mode") << true << false;
        QTest::addRow("monitor-sys-ptrace") << false << true;
        QTest::addRow("runc-mode-sys-ptrace") << true << true;
    }

    // exe-watch's report: each executable it caught, and whether the write-open
    // was refused ("refused: ..."), opened on a sealed file, or opened (writable).
    static QMap<QString, QString> caughtExes(const QString &text)
    {
        QMap<QString, QString> verdicts;
        QString exe;
        for (const QString &line : text.split('\n')) {
            if (line.startsWith("exe: "))
                exe = line.mid(5);
            else if (line.startsWith("write-open: refused"))
                verdicts[exe] = line.mid(12);
            else if (line == "sealed: yes")
                verdicts[exe] = "sealed";
            else if (line == "sealed: no")
                verdicts[exe] = "writable";
        }
        return verdicts;
    }

    // The built-in image with hoodctl's program interpreter and libraries (ldd), so
    // that hoodctl can run inside: the busybox image alone has no dynamic loader.
    // The ELF interpreter a dynamically linked program names (PT_INTERP), e.g.
    // /lib64/ld-linux-x86-64.so.2; empty if there is none.
    static QString interpreterOf(const QString &program)
    {
        QFile f(program);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        Elf64_Ehdr eh {};
        if (f.read(reinterpret_cast<char *>(&eh), sizeof eh) != sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
            return {};
        for (int i = 0; i < eh.e_phnum; ++i) {
            Elf64_Phdr ph {};
            if (!f.seek(qint64(eh.e_phoff) + qint64(i) * eh.e_phentsize)
                || f.read(reinterpret_cast<char *>(&ph), sizeof ph) != sizeof ph)
                return {};
            if (ph.p_type == PT_INTERP && f.seek(qint64(ph.p_offset)))
                return QString::fromLocal8Bit(f.read(qint64(ph.p_filesz)).chopped(1)); // ends in NUL
        }
        return {};
    }

    // A copy of the built-in rootfs with hoodctl's loader and libraries in it, so that
    // #!/proc/self/exe really runs hoodctl inside. The libraries come from the loader's
    // own --list (what ldd runs), and are copied here rather than with cp --parents:
    // the VM guest has neither ldd nor a cp with that option (busybox).
    static bool rootfsThatRunsHoodctl(const QString &dir)
    {
        if (runProgram("cp", {"-a", builtinRootfs(), dir}).code != 0)
            return false;
        const QString loader = interpreterOf(hoodctl());
        if (loader.isEmpty())
            return false;
        const Result listed = runProgram(loader, {"--list", hoodctl()});
        const QRegularExpression path("(/\\S+)");
        for (const QString &line : listed.out.split('\n')) {
            const QString lib = path.match(line).captured(1);
            if (lib.isEmpty())
                continue;
            const QString target = dir + lib;
            if (!QDir().mkpath(QFileInfo(target).path()) || !QFile::copy(QFileInfo(lib).canonicalFilePath(), target))
                return false;
        }
        return listed.code == 0;
    }

    void runtimeExeNotWritable()
    {
        QFETCH(bool, runcMode);
        QFETCH(bool, sysPtrace);
        const QString id = QString(runcMode ? "cve-runc" : "cve-mon") + (sysPtrace ? "-ptrace" : "");
        const QStringList watch = {"hood-demo", "exe-watch", "12"}; // long enough for the execs below in a TCG VM
        QTemporaryDir bundle(root() + "/../hood-tst-cve-XXXXXX");
        const QString out = bundle.filePath("out");
        QVERIFY(rootfsThatRunsHoodctl(bundle.filePath("rootfs")));
        Result spec = hood({"run", "--print-spec", "--", "true"});
        QJsonObject config = QJsonDocument::fromJson(spec.out.toUtf8()).object();
        QJsonObject process = config["process"].toObject();
        process["args"] = QJsonArray::fromStringList(watch);
        process["terminal"] = false;
        if (sysPtrace) {
            QJsonObject caps = process["capabilities"].toObject();
            for (const char *set : {"bounding", "effective", "permitted"}) {
                QJsonArray names = caps[set].toArray();
                names.append("CAP_SYS_PTRACE");
                caps[set] = names;
            }
            process["capabilities"] = caps;
        }
        config["process"] = process;
        QJsonObject rootObj = config["root"].toObject();
        rootObj["path"] = bundle.filePath("rootfs");
        config["root"] = rootObj;
        QFile f(bundle.filePath("config.json"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(config).toJson());
        f.close();
        if (runcMode) {
            // The container's stdio is create's: a file, as conmon would give it.
            Result c = run(root(), {"create", "--bundle", bundle.path(), id}, 60000, {},
                           {"sh", "-c", "exec \"$0\" \"$@\" >" + out + " 2>&1"});
            QVERIFY2(c.code == 0, qPrintable(c.err));
            const int init = QJsonDocument::fromJson(hood({"state", id}).out.toUtf8()).object()["pid"].toInt();
            QVERIFY(init > 0);
            // As root, the lower-only overlay: no copy of the binary.
            QCOMPARE(exeSealing(init), QString("overlay"));
            QCOMPARE(hood({"start", id}).code, 0);
        } else {
            const Result r = hood({"run", "-d", "--name", id, "--spec", f.fileName()});
            QVERIFY2(r.code == 0, qPrintable(r.err));
        }
        QTest::qWait(300); // exe-watch is watching
        // hoodctl exec, seen from the host while its command runs.
        QProcess exec;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOOD_ROOT", root());
        exec.setProcessEnvironment(env);
        exec.start(hoodctl(), {"exec", id, "--", "sleep", "1"});
        QVERIFY(exec.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(exeSealing(exec.processId()), QString("overlay"), 5000);
        QVERIFY(exec.waitForFinished(10000) && exec.exitCode() == 0);
        QCOMPARE(hood({"exec", id, "--", "sh", "-c", "printf '#!/proc/self/exe\\n' > /self && chmod +x /self"}).code, 0);
        for (int i = 0; i < 10; ++i) {
            // hoodctl itself, run inside by the kernel, takes "/self" for a verb.
            const Result self = hood({"exec", id, "--", "/self"});
            QVERIFY2(self.code == 125 && self.err.contains("unknown verb \"/self\""),
                     qPrintable(QString("exit %1: %2").arg(self.code).arg(self.err)));
        }
        const Result victim = hood({"exec", id, "--", "sh", "-c", "cp /usr/local/bin/hood-demo /tmp/victim && /tmp/victim sleep 0.5"});
        QVERIFY2(victim.code == 0, qPrintable(victim.err));
        QTRY_COMPARE_WITH_TIMEOUT(QJsonDocument::fromJson(hood({"state", id}).out.toUtf8()).object()["status"].toString(),
                                  QString("stopped"), 30000);
        QString text;
        if (runcMode) {
            QFile o(out);
            QVERIFY(o.open(QIODevice::ReadOnly));
            text = QString::fromUtf8(o.readAll());
        } else {
            text = hood({"logs", id}).out;
        }
        QMap<QString, QString> kv = keyValues(text);
        QVERIFY2(kv.contains("caught") && kv.contains("hidden"), qPrintable(text));
        qInfo("exe-watch inside: caught %s, writable %s, hidden %s", qPrintable(kv.value("caught")),
              qPrintable(kv.value("writable")), qPrintable(kv.value("hidden")));
        const QMap<QString, QString> caught = caughtExes(text);
        QCOMPARE(caught.value("/tmp/victim"), QString("writable")); // the control: the watcher can fail
        QCOMPARE(kv.value("writable"), QString("1"));                // and nothing else was writable
        int hoodExes = 0;
        for (auto it = caught.begin(); it != caught.end(); ++it) {
            if (it.key() != "/tmp/victim") {
                QVERIFY2(it.value().startsWith("refused") || it.value() == "sealed", qPrintable(text));
                ++hoodExes;
            }
        }
        QVERIFY2(hoodExes >= 1, qPrintable("hoodctl was not caught inside:\n" + text));
        if (sysPtrace)
            QVERIFY2(kv.value("hidden") == "0", qPrintable(text));
        else
            QVERIFY2(kv.value("hidden").toInt() >= 1, qPrintable("no exec process seen pass:\n" + text));
        QCOMPARE(hood({"delete", "--force", id}).code, 0);
    }

    // The sealed copy without root (core/runtime/sealedexe.cpp's memfd way, since a
    // lower-only overlay needs CAP_SYS_ADMIN): hoodctl run as nobody, rootless.
    // The process that enters the container (a `hoodctl exec`; a `hoodctl create`'s
    // init) runs from a memfd with every seal on. From the host it then takes no
    // write: the write-open is refused while it runs, and once it has ended the
    // exploit's reopen through a kept O_PATH fd gives a file whose every write fails
    // (EPERM: F_SEAL_WRITE). The byte written is the one already there, so a failure
    // of this test changes nothing.
    void sealedCopyWithoutRoot_data()
    {
        QTest::addColumn<bool>("created");
        QTest::addRow("exec") << false;
        QTest::addRow("create-init") << true;
    }

    void sealedCopyWithoutRoot()
    {
        QFETCH(bool, created);
        QTemporaryDir state("/tmp/hood-tst-rootless-XXXXXX");
        QVERIFY(chown(state.path().toLocal8Bit(), 65534, 65534) == 0);
        const QString stateRoot = state.path() + "/hood";
        ReachableCopy copy;
        QVERIFY2(copy.ok(), "could not copy hoodctl and the built-in image to /tmp");
        const QStringList prefix = asNobody(copy);
        const auto nobody = [&](const QStringList &args) {
            return run(stateRoot, args, 60000, {}, prefix, copy.hoodctlPath());
        };
        qint64 pid = 0;
        QProcess exec;
        if (created) {
            // A bundle as nobody's own `run --print-spec` makes it (a user namespace).
            const Result spec = nobody({"run", "--print-spec", "--", "sleep", "60"});
            QVERIFY2(spec.code == 0, qPrintable(spec.err));
            QJsonObject config = QJsonDocument::fromJson(spec.out.toUtf8()).object();
            QJsonObject rootObj = config["root"].toObject();
            rootObj["path"] = copy.hoodctlPath().section('/', 0, -2) + "/images/busybox/rootfs";
            config["root"] = rootObj;
            QFile f(state.filePath("config.json"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(config).toJson());
            f.close();
            // The init's stdio is create's: a file, as conmon would give it.
            const Result c = run(stateRoot, {"create", "--bundle", state.path(), "rl"}, 60000, {},
                                 prefix + QStringList {"sh", "-c", "exec \"$0\" \"$@\" >" + state.filePath("out") + " 2>&1"},
                                 copy.hoodctlPath());
            if (c.code != 0) {
                QFile said(state.filePath("out"));
                said.open(QIODevice::ReadOnly);
                QSKIP(qPrintable("rootless create does not work on this machine: " + QString(said.readAll()).trimmed()));
            }
            pid = QJsonDocument::fromJson(nobody({"state", "rl"}).out.toUtf8()).object()["pid"].toInt();
        } else {
            const Result d = nobody({"run", "-d", "--name", "rl", "--", "sleep", "60"});
            if (d.code != 0)
                QSKIP(qPrintable("a rootless detached run does not work on this machine: " + d.err.trimmed()));
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("HOOD_ROOT", stateRoot);
            exec.setProcessEnvironment(env);
            exec.start(prefix.first(), prefix.mid(1) + QStringList {copy.hoodctlPath(), "exec", "rl", "--", "sleep", "2"});
            QVERIFY(exec.waitForStarted());
            pid = exec.processId(); // setpriv and env exec, so this is hoodctl, then its sealed copy
        }
        QVERIFY(pid > 0);
        QTRY_COMPARE_WITH_TIMEOUT(exeSealing(pid), QString("memfd"), 5000);
        const QByteArray exe = QString("/proc/%1/exe").arg(pid).toLocal8Bit();
        const int kept = ::open(exe.constData(), O_PATH | O_CLOEXEC);
        QVERIFY(kept >= 0);
        const int whileRunning = ::open(exe.constData(), O_WRONLY | O_CLOEXEC);
        const int runningErrno = errno;
        if (whileRunning >= 0)
            ::close(whileRunning);
        QVERIFY2(whileRunning < 0, "the running sealed copy opened for writing");
        qInfo("write-open while it runs: %s", strerror(runningErrno));
        if (created) {
            QCOMPARE(nobody({"delete", "--force", "rl"}).code, 0);
        } else {
            QVERIFY(exec.waitForFinished(30000));
            QCOMPARE(exec.exitCode(), 0);
            QCOMPARE(nobody({"delete", "--force", "rl"}).code, 0);
        }
        // The exploit's second step: reopen the kept fd for writing once nothing runs it.
        const QByteArray self = QString("/proc/self/fd/%1").arg(kept).toLocal8Bit();
        const int w = ::open(self.constData(), O_RDWR | O_CLOEXEC);
        ::close(kept);
        if (w >= 0) {
            char first = 0;
            QCOMPARE(::pread(w, &first, 1, 0), ssize_t(1));
            const ssize_t wrote = ::pwrite(w, &first, 1, 0);
            const int writeErrno = errno;
            const int seals = fcntl(w, F_GET_SEALS);
            ::close(w);
            QCOMPARE(wrote, ssize_t(-1));
            QCOMPARE(writeErrno, EPERM);
            QVERIFY(seals >= 0 && (seals & F_SEAL_WRITE));
        } else {
            qInfo("write-open after it ended: %s", strerror(errno));
        }
        QStringList left = leftovers(stateRoot);
        QVERIFY2(left.isEmpty(), qPrintable(left.join('\n')));
    }

    // A full disk under the state root (a small tmpfs in a mount namespace of the
    // test's own, filled to leave a few pages): run either works or fails with one
    // sentence naming ENOSPC; after the space is back, gc leaves nothing but the
    // seccomp cache and the next run works, so nothing half-written was reused.
    void fullStateRoot_data()
    {
        QTest::addColumn<int>("freePages");
        for (int free : {0, 1, 2, 3, 4, 5, 6, 8, 12, 16, 24})
            QTest::addRow("free-%d", free) << free;
    }

    void fullStateRoot()
    {
        QFETCH(int, freePages);
        QTemporaryDir dir(root() + "/../hood-tst-full-XXXXXX");
        const QString r = dir.path();
        const QString h = hoodctl();
        const QString script = QString(
            "mount -t tmpfs -o size=256k,mode=0700 hood-full %1 || { echo SKIP; exit 0; }\n"
            "HOOD_ROOT=%1 %2 run -- true >/dev/null 2>&1\n" // the seccomp cache, with room
            "avail=$(df --output=avail -B4096 %1 | tail -1)\n"
            "[ $avail -gt %3 ] && dd if=/dev/zero of=%1/filler bs=4096 count=$((avail - %3)) 2>/dev/null\n"
            "HOOD_ROOT=%1 %2 run -- echo ran 2>%1/../err-%4; echo \"rc=$?\"\n"
            "rm -f %1/filler\n"
            "HOOD_ROOT=%1 %2 gc >/dev/null 2>&1\n"
            "echo \"left=$(ls -A %1 | grep -v '^#seccomp$' | tr '\\n' ' ')\"\n"
            "HOOD_ROOT=%1 %2 run -- echo again; echo \"again=$?\"\n")
            .arg(r, h).arg(freePages).arg(freePages);
        QProcess p;
        p.start("unshare", {"-m", "--propagation", "private", "sh", "-c", script});
        QVERIFY(p.waitForFinished(120000));
        QString out = QString::fromUtf8(p.readAllStandardOutput());
        if (out.startsWith("SKIP"))
            QSKIP("this machine refused a tmpfs in a private mount namespace");
        QFile errFile(r + "/../err-" + QString::number(freePages));
        QVERIFY(errFile.open(QIODevice::ReadOnly));
        const QString err = QString::fromUtf8(errFile.readAll()).trimmed();
        errFile.remove();
        const QMap<QString, QString> kv = keyValues(QString(out).replace('=', ": "));
        const QString rc = kv.value("rc");
        QVERIFY2(rc == "0" || rc == "125", qPrintable(out + err));
        if (rc == "125") {
            QVERIFY2(!err.contains('\n'), qPrintable("more than one sentence: " + err));
            QVERIFY2(err.contains("no space left on device"), qPrintable(err));
        }
        QVERIFY2(kv.value("left").isEmpty(), qPrintable("after gc: " + kv.value("left")));
        QVERIFY2(kv.value("again") == "0" && out.contains("again\n"), qPrintable(out));
        qInfo("%d pages free: %s", freePages, rc == "0" ? "ran" : qPrintable(err));
    }

    // A paused container stops: the freezer lets SIGTERM/SIGKILL through.
    void stopPaused()
    {
        QCOMPARE(hood({"run", "-d", "--name", "frozen", "--", "sleep", "600"}).code, 0);
        QCOMPARE(hood({"pause", "frozen"}).code, 0);
        QCOMPARE(QJsonDocument::fromJson(hood({"state", "frozen"}).out.toUtf8()).object()["status"].toString(),
                 QString("paused"));
        Result r = hood({"stop", "-t", "1", "frozen"}, 30000);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(QJsonDocument::fromJson(hood({"state", "frozen"}).out.toUtf8()).object()["status"].toString(),
                 QString("stopped"));
        QCOMPARE(hood({"delete", "frozen"}).code, 0);
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
