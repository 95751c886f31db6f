// Recent launcher configurations in QSettings: newest first, no duplicates, at most
// ten, every field kept.
#include "recentlaunches.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QStandardPaths>
#include <QtTest>

using namespace hood::gui;

class TestRecentLaunches : public QObject {
    Q_OBJECT

public:
    // Before anything makes a QSettings: the test's settings go to a test location
    // (~/.qttest), never to the person's own.
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void roundTripKeepsEveryField();
    void newestFirstWithoutDuplicates();
    void keepsTen();
    void describesInOneLine();
};

void TestRecentLaunches::roundTripKeepsEveryField()
{
    LaunchSettings s;
    s.image = "/srv/rootfs";
    s.command = {"sh", "-c", "echo hi there"};
    s.namespaces = {"pid", "time"};
    s.memory = 96 * 1024 * 1024;
    s.cpus = 0.25;
    s.pids = 12;
    s.hostname = "h";
    s.chroot = true;
    s.rootless = true;
    s.name = "n";
    s.terminal = false;
    s.seccomp = false;
    QCOMPARE(fromVariant(toVariant(s)), s);
    QCOMPARE(fromVariant({}), LaunchSettings());
}

void TestRecentLaunches::newestFirstWithoutDuplicates()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath("hood.ini"), QSettings::IniFormat);
    RecentLaunches recent(settings);
    LaunchSettings a, b;
    a.name = "a";
    b.name = "b";
    recent.remember(a);
    recent.remember(b);
    recent.remember(a);
    QCOMPARE(recent.load(), (QVector<LaunchSettings> {a, b}));
    settings.sync();
    QSettings again(dir.filePath("hood.ini"), QSettings::IniFormat);
    QCOMPARE(RecentLaunches(again).load(), (QVector<LaunchSettings> {a, b}));
}

void TestRecentLaunches::keepsTen()
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath("hood.ini"), QSettings::IniFormat);
    RecentLaunches recent(settings);
    for (int i = 0; i < 15; ++i) {
        LaunchSettings s;
        s.pids = i + 1;
        recent.remember(s);
    }
    const QVector<LaunchSettings> list = recent.load();
    QCOMPARE(list.size(), RecentLaunches::kMax);
    QCOMPARE(list.first().pids, 15);
    QCOMPARE(list.last().pids, 6);
}

void TestRecentLaunches::describesInOneLine()
{
    LaunchSettings s;
    s.memory = 64 * 1024 * 1024;
    s.rootless = true;
    QCOMPARE(describe(s), QStringLiteral("busybox: sh · pid mnt uts ipc net cgroup · 64 MiB · rootless"));
    s.namespaces.clear();
    QVERIFY(describe(s).contains("no namespaces"));
}

QTEST_GUILESS_MAIN(TestRecentLaunches)
#include "tst_recentlaunches.moc"
