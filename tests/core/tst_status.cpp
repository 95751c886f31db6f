// What a container's state on disk says it is: currentStatus from state.json's
// pids, the exec fifo and the settingUp mark, with live and dead processes of this
// machine (this test's own pid and a child it has reaped).
#include "runtime/procfs.h"
#include "runtime/state.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace hood;

namespace {

// A pid that no longer names a process: a child, exited and reaped.
pid_t deadPid()
{
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, nullptr, 0);
    return child;
}

} // namespace

class TestStatus : public QObject {
    Q_OBJECT

private slots:
    void status_data()
    {
        QTest::addColumn<bool>("initAlive");
        QTest::addColumn<bool>("monitorAlive");
        QTest::addColumn<bool>("settingUp");
        QTest::addColumn<bool>("fifo");
        QTest::addColumn<QString>("expected");
        QTest::newRow("running") << true << true << false << false << "running";
        QTest::newRow("created, waiting for start") << true << true << false << true << "created";
        // exec must not join an init whose root is not made yet.
        QTest::newRow("init setting up its root") << true << true << true << false << "creating";
        // Its monitor died mid-start: gc may take it (and kill the init).
        QTest::newRow("setting up, monitor dead") << true << false << true << false << "stopped";
        QTest::newRow("runc mode, no monitor") << true << false << false << false << "running";
        QTest::newRow("init dead") << false << true << false << false << "stopped";
        QTest::newRow("init dead while setting up") << false << true << true << false << "stopped";
    }

    void status()
    {
        QFETCH(bool, initAlive);
        QFETCH(bool, monitorAlive);
        QFETCH(bool, settingUp);
        QFETCH(bool, fifo);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = dir.path().toStdString();
        if (fifo)
            QCOMPARE(mkfifo((path + "/exec.fifo").c_str(), 0600), 0);

        ContainerState s;
        s.id = "c";
        s.pid = initAlive ? getpid() : deadPid();
        s.pidStartTime = initAlive ? processStartTime(getpid()) : 1;
        if (monitorAlive) {
            s.monitorPid = getpid();
            s.monitorStartTime = processStartTime(getpid());
        }
        s.settingUp = settingUp;
        // Through state.json, as every verb reads it.
        saveState(path, s);
        const ContainerState read = loadState(path);
        QCOMPARE(read.settingUp, settingUp);
        QCOMPARE(QString::fromStdString(statusName(currentStatus(path, read))), expected);
    }
};

QTEST_GUILESS_MAIN(TestStatus)
#include "tst_status.moc"
