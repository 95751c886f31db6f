// runc's verbs on OCI bundles, bad input, and recovery after SIGKILL: whatever
// happens, nothing of Hood may stay on the machine.
#include "hoodtest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QThread>

#include <csignal>
#include <sys/prctl.h>
#include <sys/wait.h>

using namespace hoodtest;

class TestLifecycle : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_root {"/tmp/hood-tst-life-XXXXXX"};
    QTemporaryDir m_bundles {"/tmp/hood-tst-bundle-XXXXXX"};
    QString root() const { return m_root.path(); }

    Result hood(const QStringList &args, int timeoutMs = 60000, const QByteArray &input = {})
    {
        return run(root(), args, timeoutMs, input);
    }

    // A bundle as `runc spec` writes it, around a copy of the busybox rootfs;
    // `edit` changes config.json before it is written.
    QString makeBundle(const QString &name, const std::function<void(QJsonObject &)> &edit = {})
    {
        QString dir = m_bundles.path() + "/" + name;
        QDir().mkpath(dir);
        QProcess spec;
        spec.setWorkingDirectory(dir);
        spec.start(hoodctl(), {"spec"});
        spec.waitForFinished();
        QProcess copy;
        copy.start("cp", {"-a", builtinRootfs(), dir + "/rootfs"});
        copy.waitForFinished();
        if (edit) {
            QFile f(dir + "/config.json");
            f.open(QIODevice::ReadOnly);
            QJsonObject config = QJsonDocument::fromJson(f.readAll()).object();
            f.close();
            edit(config);
            f.open(QIODevice::WriteOnly | QIODevice::Truncate);
            f.write(QJsonDocument(config).toJson());
        }
        return dir;
    }

    static void setArgs(QJsonObject &config, const QStringList &args, bool terminal = false)
    {
        QJsonObject process = config["process"].toObject();
        process["args"] = QJsonArray::fromStringList(args);
        process["terminal"] = terminal;
        config["process"] = process;
    }

    QJsonObject state(const QString &id)
    {
        return QJsonDocument::fromJson(hood({"state", id}).out.toUtf8()).object();
    }

    static QString runcSpecBundle(const QString &dir)
    {
        QProcess runc;
        runc.setWorkingDirectory(dir);
        runc.start("runc", {"spec"});
        return runc.waitForFinished() && runc.exitCode() == 0 ? dir : QString();
    }

private slots:
    void initTestCase()
    {
        if (!isRoot())
            QSKIP("needs root: containers with cgroups and every namespace (run the suite with sudo)");
        QVERIFY(m_root.isValid() && m_bundles.isValid());
    }

    void cleanup()
    {
        hood({"gc"});
        QStringList left = leftovers(root());
        QVERIFY2(left.isEmpty(), qPrintable(left.join('\n')));
    }

    // `runc spec` around a busybox rootfs runs unchanged: an interactive sh on a
    // terminal, fed from our pipe.
    void runcSpecBundleRunsUnchanged()
    {
        QString dir = m_bundles.path() + "/runc";
        QDir().mkpath(dir);
        if (runcSpecBundle(dir).isEmpty())
            QSKIP("runc is not installed (apt-get install runc), so there is no `runc spec` to compare with");
        QProcess copy;
        copy.start("cp", {"-a", builtinRootfs(), dir + "/rootfs"});
        QVERIFY(copy.waitForFinished() && copy.exitCode() == 0);
        Result r = hood({"run", "--bundle", dir, "runc-bundle"}, 60000, "echo hello from $(hostname); exit 7\n");
        QVERIFY2(r.code == 7, qPrintable(r.err));
        QVERIFY2(r.out.contains("hello from runc"), qPrintable(r.out));
    }

    void createStartStateKillDelete()
    {
        QString dir = makeBundle("life", [](QJsonObject &c) { setArgs(c, {"sleep", "60"}); });
        QString pidFile = m_bundles.path() + "/life.pid";
        QCOMPARE(hood({"create", "--bundle", dir, "--pid-file", pidFile, "life"}).code, 0);
        QJsonObject s = state("life");
        QCOMPARE(s["status"].toString(), QString("created"));
        QCOMPARE(s["id"].toString(), QString("life"));
        QCOMPARE(s["bundle"].toString(), dir);
        QCOMPARE(s["ociVersion"].toString(), QString("1.0.2"));
        int pid = s["pid"].toInt();
        QVERIFY(pid > 0);
        QFile pf(pidFile);
        QVERIFY(pf.open(QIODevice::ReadOnly));
        QCOMPARE(pf.readAll().toInt(), pid);
        QCOMPARE(hood({"start", "life"}).code, 0);
        QCOMPARE(state("life")["status"].toString(), QString("running"));
        QFile comm(QString("/proc/%1/comm").arg(pid));
        QVERIFY(comm.open(QIODevice::ReadOnly));
        QCOMPARE(comm.readAll().trimmed(), QByteArray("sleep"));
        QVERIFY(hood({"list", "--json"}).out.contains("\"life\""));
        Result busy = hood({"delete", "life"});
        QCOMPARE(busy.code, 125);
        QVERIFY2(busy.err.contains("is running"), qPrintable(busy.err));
        QCOMPARE(hood({"kill", "life", "KILL"}).code, 0);
        QTRY_COMPARE_WITH_TIMEOUT(state("life")["status"].toString(), QString("stopped"), 5000);
        QCOMPARE(hood({"delete", "life"}).code, 0);
        Result gone = hood({"state", "life"});
        QCOMPARE(gone.code, 1); // runc's status for an unknown ID on its verbs
        QVERIFY2(gone.err.contains("does not exist"), qPrintable(gone.err));
        QCOMPARE(hood({"start", "ghost"}).code, 1);
        QCOMPARE(hood({"delete", "--force", "ghost"}).code, 0); // runc: nothing to delete is done
    }

    void runBundleInBackground()
    {
        QString dir = makeBundle("bgb", [](QJsonObject &c) { setArgs(c, {"sh", "-c", "echo from-bundle; sleep 60"}); });
        QCOMPARE(hood({"run", "-d", "--bundle", dir, "bgb"}).code, 0);
        QTRY_VERIFY_WITH_TIMEOUT(hood({"logs", "bgb"}).out.contains("from-bundle"), 5000);
        QCOMPARE(hood({"delete", "--force", "bgb"}).code, 0);
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("id-dotdot") << QStringList {"run", "--name", "..", "--", "true"} << "invalid container ID \"..\"";
        QTest::addRow("id-slash") << QStringList {"run", "--name", "a/b", "--", "true"} << "character '/' is not allowed";
        QTest::addRow("unknown-ns") << QStringList {"run", "--ns", "pid,bogus", "--", "true"} << "unknown namespace \"bogus\"";
        QTest::addRow("no-mount-ns") << QStringList {"run", "--no-ns", "mnt", "--", "true"} << "the mount namespace cannot be turned off";
        QTest::addRow("memory-unit") << QStringList {"run", "--memory", "64X", "--", "true"} << "--memory 64X: not a size";
        QTest::addRow("memory-tiny") << QStringList {"run", "--memory", "100", "--", "true"} << "--memory 100: must be at least 1M";
        QTest::addRow("cpus-range") << QStringList {"run", "--cpus", "1000", "--", "true"} << "--cpus 1000: must be between 0.01 and";
        QTest::addRow("pids-zero") << QStringList {"run", "--pids", "0", "--", "true"} << "--pids 0: must be a whole number of at least 1";
        QTest::addRow("missing-image") << QStringList {"run", "--image", "/no/such/dir", "--", "true"} << "image /no/such/dir: no such file or directory";
        QTest::addRow("unknown-image") << QStringList {"run", "--image", "nosuchimage", "--", "true"} << "image nosuchimage not found";
        QTest::addRow("missing-bundle") << QStringList {"create", "--bundle", "/no/such/bundle", "x"} << "bundle /no/such/bundle: no such file or directory";
        QTest::addRow("unknown-verb") << QStringList {"frobnicate"} << "unknown verb \"frobnicate\"";
        QTest::addRow("unknown-option") << QStringList {"run", "--frob", "--", "true"} << "unknown option --frob";
    }

    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        Result r = hood(args);
        QCOMPARE(r.code, 125);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(r.err.count('\n'), 1); // one sentence, one line
    }

    void duplicateId()
    {
        QCOMPARE(hood({"run", "-d", "--name", "twice", "--", "sleep", "60"}).code, 0);
        Result again = hood({"run", "--name", "twice", "--", "true"});
        QCOMPARE(again.code, 125);
        QVERIFY2(again.err.contains("container \"twice\" already exists"), qPrintable(again.err));
        QCOMPARE(state("twice")["status"].toString(), QString("running")); // the first is untouched
        QCOMPARE(hood({"delete", "--force", "twice"}).code, 0);
    }

    // Cgroups are shared by every state root: a second root may not adopt (and then
    // remove) the cgroup of a container with the same name.
    void sameNameInAnotherRoot()
    {
        QCOMPARE(hood({"run", "-d", "--name", "shared-name", "--", "sleep", "60"}).code, 0);
        QTemporaryDir other("/tmp/hood-tst-other-XXXXXX");
        Result r = run(other.path(), {"run", "--name", "shared-name", "--", "true"});
        QCOMPARE(r.code, 125);
        QVERIFY2(r.err.contains("hood/shared-name already exists"), qPrintable(r.err));
        QCOMPARE(state("shared-name")["status"].toString(), QString("running"));
        QVERIFY(leftovers(other.path()).filter("state ").isEmpty());
        QCOMPARE(hood({"delete", "--force", "shared-name"}).code, 0);
    }

    void badBundles_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("message");
        QTest::addRow("syntax") << "syntax" << "config.json: syntax error at line";
        QTest::addRow("wrong-type") << "wrong-type" << "config.json: process.args: must be an array of strings";
        QTest::addRow("empty-rootfs") << "empty-rootfs" << "is empty";
        QTest::addRow("missing-rootfs") << "missing-rootfs" << "rootfs: no such file or directory";
        QTest::addRow("proc-symlink") << "proc-symlink" << "rootfs: /proc is a symbolic link";
        QTest::addRow("dev-symlink") << "dev-symlink" << "rootfs: /dev is a symbolic link";
        QTest::addRow("escaping-mount") << "escaping-mount" << "mount destination /escape/x resolves outside the rootfs";
        QTest::addRow("exec-missing") << "exec-missing" << "exec /nope: no such file or directory";
    }

    void badBundles()
    {
        QFETCH(QString, kind);
        QFETCH(QString, message);
        QString dir = makeBundle("bad-" + kind, [&](QJsonObject &c) {
            setArgs(c, {kind == "exec-missing" ? "/nope" : "true"});
            if (kind == "wrong-type") {
                QJsonObject p = c["process"].toObject();
                p["args"] = "true";
                c["process"] = p;
            }
            if (kind == "escaping-mount") {
                QJsonArray mounts = c["mounts"].toArray();
                mounts.append(QJsonObject {{"destination", "/escape/x"}, {"type", "tmpfs"}, {"source", "tmpfs"}});
                c["mounts"] = mounts;
            }
        });
        QString rootfs = dir + "/rootfs";
        if (kind == "syntax") {
            QFile f(dir + "/config.json");
            f.open(QIODevice::WriteOnly | QIODevice::Truncate);
            f.write("{\n  \"ociVersion\": \"1.0.2\",\n  \"process\": {,\n}\n");
        } else if (kind == "empty-rootfs") {
            QDir(rootfs).removeRecursively();
            QDir().mkpath(rootfs);
        } else if (kind == "missing-rootfs") {
            QDir(rootfs).removeRecursively();
        } else if (kind == "proc-symlink" || kind == "dev-symlink") {
            QString d = kind == "proc-symlink" ? "/proc" : "/dev";
            QDir(rootfs + d).removeRecursively();
            QVERIFY(QFile::link("/etc", rootfs + d));
        } else if (kind == "escaping-mount") {
            QVERIFY(QFile::link("../../../../../../../../tmp", rootfs + "/escape"));
        }
        Result r = hood({"run", "--bundle", dir, "bad"});
        QCOMPARE(r.code, 125);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        if (kind == "escaping-mount")
            QVERIFY(!QFile::exists("/tmp/x"));
    }

    // The supervising process dies by SIGKILL: the container dies with it and
    // `hoodctl gc` removes its cgroup and state.
    void sigkillOfForegroundSupervisor()
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOOD_ROOT", root());
        p.setProcessEnvironment(env);
        p.start(hoodctl(), {"run", "--name", "victim", "--memory", "64M", "--pids", "50", "--", "sleep", "600"});
        QVERIFY(p.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(state("victim")["status"].toString(), QString("running"), 10000);
        int pid = state("victim")["pid"].toInt();
        ::kill(pid_t(p.processId()), SIGKILL);
        p.waitForFinished();
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(QString("/proc/%1/comm").arg(pid)), 5000);
        QVERIFY(!leftovers(root()).isEmpty()); // the cgroup and state are still there
        Result gc = hood({"gc"});
        QCOMPARE(gc.code, 0);
        QVERIFY2(gc.out.contains("removed victim"), qPrintable(gc.out));
    }

    void sigkillOfDetachedMonitor()
    {
        QCOMPARE(hood({"run", "-d", "--name", "orphan", "--memory", "64M", "--", "sleep", "600"}).code, 0);
        QFile f(root() + "/orphan/state.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject s = QJsonDocument::fromJson(f.readAll()).object();
        int monitor = s["monitorPid"].toInt();
        int pid = s["pid"].toInt();
        QVERIFY(monitor > 0 && pid > 0);
        ::kill(monitor, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(QString("/proc/%1/comm").arg(pid)), 5000);
        QCOMPARE(state("orphan")["status"].toString(), QString("stopped"));
        QVERIFY(hood({"gc"}).out.contains("removed orphan"));
    }

    // A slow reaper (a CI container's pid 1) leaves the killed monitor and init as
    // zombies for a while. They are dead: `list` says stopped and a gc one second
    // later removes everything. This test is the reaper (a child subreaper that
    // does not wait), so the zombies stay for as long as it likes.
    void sigkillOfMonitorAndInitLeftAsZombies()
    {
        QVERIFY(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0);
        auto unset = qScopeGuard([] { prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0); });
        QCOMPARE(hood({"run", "-d", "--name", "zombie", "--memory", "64M", "--pids", "20", "--", "sleep", "600"}).code, 0);
        QFile f(root() + "/zombie/state.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonObject saved = QJsonDocument::fromJson(f.readAll()).object();
        const pid_t monitor = saved["monitorPid"].toInt();
        const pid_t pid = saved["pid"].toInt();
        QVERIFY(monitor > 0 && pid > 0);
        ::kill(monitor, SIGKILL);
        ::kill(pid, SIGKILL);
        auto stateLetter = [](pid_t p) {
            QFile stat(QString("/proc/%1/stat").arg(p));
            if (!stat.open(QIODevice::ReadOnly))
                return QChar();
            QByteArray text = stat.readAll();
            int close = text.lastIndexOf(')');
            return close > 0 && close + 2 < text.size() ? QChar(text[close + 2]) : QChar();
        };
        QTRY_COMPARE_WITH_TIMEOUT(stateLetter(monitor), QChar('Z'), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(stateLetter(pid), QChar('Z'), 5000);
        QThread::sleep(1);
        QCOMPARE(state("zombie")["status"].toString(), QString("stopped"));
        Result list = hood({"list"});
        QVERIFY2(list.out.contains(QRegularExpression("zombie\\s.*stopped")), qPrintable(list.out));
        Result gc = hood({"gc"});
        QVERIFY2(gc.out.contains("removed zombie"), qPrintable(gc.out + gc.err));
        QStringList left = leftovers(root());
        QCOMPARE(stateLetter(pid), QChar('Z')); // still unreaped while gc ran
        waitpid(monitor, nullptr, 0);
        waitpid(pid, nullptr, 0);
        QVERIFY2(left.isEmpty(), qPrintable(left.join('\n')));
    }
};

QTEST_GUILESS_MAIN(TestLifecycle)
#include "tst_lifecycle.moc"
