// SIGKILL of the monitor after each step of a start, in turn, then `hoodctl gc`:
// nothing may be left (no cgroup, no mount, no state). The same for each step of
// `hoodctl exec` and of `hoodctl delete`. The engine's test hook
// HOOD_TEST_KILL_AT_STEP=N makes the monitor kill itself right after its Nth
// recorded step (every journal line and privileged call is one: trace.h), so the
// kill lands exactly between two steps, not at a random moment.
#include "hoodtest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace hoodtest;

class TestKillSteps : public QObject {
    Q_OBJECT

    QTemporaryDir m_root;

    QString root() const { return m_root.path() + "/state"; }

    // Runs hoodctl with the hook set at `step` and waits for it (at most 30 s).
    void runWithHook(QProcess &p, int step, const QStringList &args)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOOD_ROOT", root());
        env.insert("HOOD_TEST_KILL_AT_STEP", QString::number(step));
        p.setProcessEnvironment(env);
        p.start(hoodctl(), args);
        if (!p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished();
        }
    }

    // Runs the command with the hook set; true when the monitor died by it.
    bool startKilledAt(int step, const QStringList &args, bool detached, QString *err)
    {
        QProcess p;
        runWithHook(p, step, args);
        *err = QString::fromUtf8(p.readAllStandardError());
        if (detached) // hoodctl outlives its monitor and says it ended without a word
            return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 125
                && err->contains("ended without a word");
        return p.exitStatus() == QProcess::CrashExit; // hoodctl itself was the monitor
    }

    // gc until nothing is left; the init dies with its monitor (PDEATHSIG), which
    // can take a moment to be reaped on this machine.
    QStringList gcUntilClean()
    {
        QStringList left;
        for (int i = 0; i < 50; ++i) {
            run(root(), {"gc"});
            left = leftovers(root());
            if (left.isEmpty())
                break;
            QTest::qWait(100);
        }
        return left;
    }

    // hoodctl with the hook set at `step`; its exit status, -1 when it was killed.
    int runKilledAt(int step, const QStringList &args)
    {
        QProcess p;
        runWithHook(p, step, args);
        return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }

    QString status(const QString &id)
    {
        const Result r = run(root(), {"state", id});
        return QJsonDocument::fromJson(r.out.toUtf8()).object()["status"].toString();
    }

    // The pids in the container's cgroup (hoodctl ps), or -1 when it cannot say.
    int pidCount(const QString &id)
    {
        const Result r = run(root(), {"ps", "--format", "json", id});
        return r.code == 0 ? int(QJsonDocument::fromJson(r.out.toUtf8()).array().size()) : -1;
    }

private slots:
    void initTestCase()
    {
        if (!isRoot())
            QSKIP("the kill-at-every-step test makes cgroups, which Hood does only as root here (run it with sudo)");
        QVERIFY(m_root.isValid());
        QVERIFY(leftovers(root()).isEmpty());
    }

    void killAtEveryStep_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<bool>("detached");
        QTest::addRow("foreground") << QStringList {"run", "--memory", "64M", "--pids", "50", "--", "true"} << false;
        QTest::addRow("detached") << QStringList {"run", "-d", "--name", "k", "--memory", "64M", "--", "sleep", "600"}
                                  << true;
        QTest::addRow("terminal-rootless") << QStringList {"run", "-d", "-t", "--name", "k", "--rootless", "--", "sleep", "600"}
                                           << true;
    }

    void killAtEveryStep()
    {
        QFETCH(QStringList, args);
        QFETCH(bool, detached);
        int step = 1;
        int dirty = 0; // kills after which gc had something to remove
        for (;; ++step) {
            QVERIFY2(step < 300, "the start never finished: the hook kept firing");
            QString err;
            if (!startKilledAt(step, args, detached, &err)) {
                QVERIFY2(!err.contains("hoodctl:") || detached, qPrintable(err));
                break; // past the last step: the container started normally
            }
            dirty += leftovers(root()).isEmpty() ? 0 : 1;
            QStringList left = gcUntilClean();
            QVERIFY2(left.isEmpty(), qPrintable(QString("after a SIGKILL at step %1: %2").arg(step).arg(left.join("; "))));
        }
        if (detached)
            QCOMPARE(run(root(), {"delete", "--force", "k"}).code, 0);
        QVERIFY2(leftovers(root()).isEmpty(), qPrintable(leftovers(root()).join("; ")));
        qInfo("%d steps, each killed once; gc had work after %d of them", step - 1, dirty);
        // At least: the new state dir, its rename, a journal line, the cgroup made,
        // the clone, state.json with the init's pid.
        QVERIFY(step > 6);
        QCOMPARE(dirty, step - 1); // the state directory is there from the first step on
    }

    // SIGKILL of `hoodctl exec` (or its helper, which makes the steps) after each
    // of its steps: the container goes on running with only its init, the next
    // exec works, and delete + gc leave nothing.
    void killExecAtEveryStep()
    {
        QCOMPARE(run(root(), {"run", "-d", "--name", "x", "--memory", "64M", "--", "sleep", "600"}).code, 0);
        int step = 1;
        for (;; ++step) {
            QVERIFY2(step < 200, "exec never finished: the hook kept firing");
            const int code = runKilledAt(step, {"exec", "x", "--", "true"});
            if (code == 0)
                break; // past its last step
            QCOMPARE(status("x"), QString("running"));
            QTRY_COMPARE_WITH_TIMEOUT(pidCount("x"), 1, 5000); // nothing of the killed exec stays inside
            const Result again = run(root(), {"exec", "x", "--", "true"});
            QVERIFY2(again.code == 0, qPrintable(QString("after a SIGKILL at step %1: %2").arg(step).arg(again.err)));
        }
        QCOMPARE(run(root(), {"delete", "--force", "x"}).code, 0);
        QStringList left = gcUntilClean();
        QVERIFY2(left.isEmpty(), qPrintable(left.join("; ")));
        qInfo("exec: %d steps, each killed once", step - 1);
        QVERIFY(step > 3); // cgroup join, setns of each namespace, chroot
    }

    // SIGKILL of `hoodctl delete --force` after each of its steps (each undo of a
    // journal line): the next gc removes the rest.
    void killDeleteAtEveryStep()
    {
        int step = 1;
        for (;; ++step) {
            QVERIFY2(step < 200, "delete never finished: the hook kept firing");
            QCOMPARE(run(root(), {"run", "-d", "--name", "d", "--memory", "64M", "--pids", "50", "--", "sleep", "600"}).code, 0);
            const int code = runKilledAt(step, {"delete", "--force", "d"});
            QStringList left = gcUntilClean();
            QVERIFY2(left.isEmpty(), qPrintable(QString("after a SIGKILL at step %1: %2").arg(step).arg(left.join("; "))));
            if (code == 0)
                break;
        }
        qInfo("delete: %d steps, each killed once", step - 1);
        QVERIFY(step > 1);
    }
};

QTEST_GUILESS_MAIN(TestKillSteps)
#include "tst_killsteps.moc"
