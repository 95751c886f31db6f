// hood-demo, the static program inside the built-in image: each command is run on the
// host and what it prints is checked against what the kernel says about it.
#include <QtTest>

#include <csignal>
#include <fcntl.h>
#include <grp.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace {

const QString kDemo = QStringLiteral(HOOD_BINARY_DIR "/app/demo/hood-demo");

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runDemo(const QStringList &args, QProcess *process = nullptr, const QString &program = kDemo)
{
    QProcess local;
    QProcess &p = process ? *process : local;
    p.start(program, args);
    if (!p.waitForFinished(30000))
        p.kill();
    p.waitForFinished();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromLocal8Bit(p.readAllStandardOutput()),
            QString::fromLocal8Bit(p.readAllStandardError())};
}

// "key: value" lines -> map; the format tests are promised.
QMap<QString, QString> keyValues(const QString &text)
{
    QMap<QString, QString> map;
    for (const QString &line : text.split('\n', Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(QStringLiteral(": "));
        if (colon > 0)
            map.insert(line.left(colon), line.mid(colon + 2));
    }
    return map;
}

QString procStatusField(const QString &path, const QString &field)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field.toLatin1() + ':'))
            return QString::fromLatin1(line.mid(field.size() + 1)).trimmed();
    }
    return {};
}

QString nsInode(const QString &kind)
{
    const QString target = QFile::symLinkTarget("/proc/self/ns/" + kind);
    return target.section('[', 1).section(']', 0, 0);
}

bool waitForLine(QProcess &p, const QString &prefix, QString *line)
{
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 20000) {
        if (p.canReadLine() || p.waitForReadyRead(200)) {
            while (p.canReadLine()) {
                *line = QString::fromLocal8Bit(p.readLine()).trimmed();
                if (line->startsWith(prefix))
                    return true;
            }
        }
        if (p.state() == QProcess::NotRunning)
            return false;
    }
    return false;
}

} // namespace

class TestHoodDemo : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void isStatic();
    void whoamiMatchesThisProcess();
    void memTouchesEveryPage();
    void cpuReportsItsUsage();
    void forksStartsAndReaps();
    void forksReportsTheFailure();
    void fdsListsInheritedDescriptors();
    void sleepIgnoringTermNeedsKill();
    void badCommandLine_data();
    void badCommandLine();
};

void TestHoodDemo::initTestCase()
{
    QVERIFY2(QFileInfo(kDemo).isExecutable(),
             qPrintable(kDemo + " is missing: build the hood-demo target first"));
}

// Without PT_INTERP the kernel needs no dynamic loader: it runs in any rootfs.
void TestHoodDemo::isStatic()
{
    QFile file(kDemo);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray elf = file.readAll();
    QVERIFY(elf.startsWith("\x7f"
                           "ELF"));
    QVERIFY2(!elf.contains("/lib64/ld-linux"), "hood-demo names a dynamic loader");
    const Run help = runDemo({"help"});
    QCOMPARE(help.exitCode, 0);
}

void TestHoodDemo::whoamiMatchesThisProcess()
{
    QProcess process;
    const Run run = runDemo({"whoami"}, &process);
    QCOMPARE(run.exitCode, 0);
    const QMap<QString, QString> v = keyValues(run.out);
    QCOMPARE(v.value("uid"), QString::number(getuid()));
    QCOMPARE(v.value("euid"), QString::number(geteuid()));
    QCOMPARE(v.value("gid"), QString::number(getgid()));
    QCOMPARE(v.value("ppid"), QString::number(getpid()));
    utsname uts{};
    uname(&uts);
    QCOMPARE(v.value("hostname"), QString::fromLocal8Bit(uts.nodename));
    // Same namespaces as ours, and the bounding set is inherited unchanged by exec.
    for (const char *kind : {"pid", "mnt", "uts", "ipc", "net", "user", "cgroup"})
        QCOMPARE(v.value(QStringLiteral("ns.") + kind), nsInode(kind));
    QCOMPARE(v.value("cap.bnd"), procStatusField("/proc/self/status", "CapBnd"));
    const quint64 bounding = v.value("cap.bnd").toULongLong(nullptr, 16);
    QCOMPARE(v.value("cap.bnd.names").split(',').size(), qPopulationCount(bounding));
    if (bounding & 1)
        QVERIFY(v.value("cap.bnd.names").startsWith("cap_chown"));
}

void TestHoodDemo::memTouchesEveryPage()
{
    QProcess p;
    p.start(kDemo, {"mem", "24M"});
    QString line;
    QVERIFY2(waitForLine(p, "mem: holding", &line), qPrintable(p.readAllStandardError()));
    QCOMPARE(line, QStringLiteral("mem: holding 24 MiB until killed"));
    // VmRSS counts only pages really backed: the proof that every page was touched.
    const QString rss =
        procStatusField(QStringLiteral("/proc/%1/status").arg(p.processId()), "VmRSS");
    p.kill();
    p.waitForFinished();
    QVERIFY2(rss.section(' ', 0, 0).toLongLong() >= 24 * 1024, qPrintable("VmRSS " + rss));
}

void TestHoodDemo::cpuReportsItsUsage()
{
    const Run run = runDemo({"cpu", "1", "--seconds", "0.5"});
    QCOMPARE(run.exitCode, 0);
    const QRegularExpression used("cpu: used ([0-9.]+) s of CPU in ([0-9.]+) s");
    const QRegularExpressionMatch m = used.match(run.out);
    QVERIFY2(m.hasMatch(), qPrintable(run.out));
    QVERIFY(m.captured(2).toDouble() >= 0.5);
    // A busy thread on a shared 2-core machine still gets a good part of a core.
    QVERIFY2(m.captured(1).toDouble() > 0.1, qPrintable(run.out));
}

void TestHoodDemo::forksStartsAndReaps()
{
    const Run run = runDemo({"forks", "8"});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains("forks: 8 asked, 8 started, 0 failed\n"), qPrintable(run.out));
    QVERIFY(run.out.contains("forks: reaped 8 children\n"));
}

// RLIMIT_NPROC of 0 makes every fork fail with EAGAIN, as a full pids cgroup does.
// The kernel never applies it to root, so as root the child first becomes nobody and
// runs a copy of hood-demo that nobody can reach (the build tree may be under /root).
void TestHoodDemo::forksReportsTheFailure()
{
    QTemporaryDir dir;
    QString program = kDemo;
    if (geteuid() == 0) {
        QVERIFY(dir.isValid());
        program = dir.filePath("hood-demo");
        QVERIFY(QFile::copy(kDemo, program));
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner
                                                      | QFile::ExeOwner | QFile::ReadOther
                                                      | QFile::ExeOther));
    }
    QProcess p;
    p.setChildProcessModifier([] {
        if (geteuid() == 0
            && (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0))
            _exit(100);
        const rlimit none{0, 0};
        setrlimit(RLIMIT_NPROC, &none);
    });
    const Run run = runDemo({"forks", "5"}, &p, program);
    QVERIFY2(run.exitCode == 0,
             qPrintable(
                 QStringLiteral("exit %1, %2 %3").arg(run.exitCode).arg(run.err, p.errorString())));
    QCOMPARE(run.out.section('\n', 0, 0),
             QStringLiteral("forks: 5 asked, 0 started, 5 failed: "
                            "Resource temporarily unavailable (EAGAIN)"));
}

void TestHoodDemo::fdsListsInheritedDescriptors()
{
    int fds[2];
    QVERIFY(pipe(fds) == 0); // no O_CLOEXEC: the child inherits both ends
    const QString expected = QFile::symLinkTarget(QStringLiteral("/proc/self/fd/%1").arg(fds[0]));
    const Run run = runDemo({"fds"});
    close(fds[0]);
    close(fds[1]);
    QCOMPARE(run.exitCode, 0);
    const QMap<QString, QString> v = keyValues(run.out);
    QVERIFY(v.contains("fd.0") && v.contains("fd.1") && v.contains("fd.2"));
    QCOMPARE(v.value(QStringLiteral("fd.%1").arg(fds[0])), expected.section('/', -1));
    QVERIFY(expected.contains("pipe:["));
    int listed = 0;
    for (auto it = v.begin(); it != v.end(); ++it)
        listed += it.key().startsWith("fd.");
    QCOMPARE(v.value("fds"), QStringLiteral("%1 open").arg(listed));
}

void TestHoodDemo::sleepIgnoringTermNeedsKill()
{
    QProcess p;
    p.start(kDemo, {"sleep", "--ignore-term"});
    QString line;
    QVERIFY(waitForLine(p, "sleep:", &line));
    QVERIFY(line.endsWith("forever, ignoring SIGTERM"));
    ::kill(pid_t(p.processId()), SIGTERM);
    QVERIFY(!p.waitForFinished(300));
    ::kill(pid_t(p.processId()), SIGKILL);
    QVERIFY(p.waitForFinished(5000));
    QCOMPARE(p.exitStatus(), QProcess::CrashExit);
}

void TestHoodDemo::badCommandLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::addRow("no-command") << QStringList{} << "";
    QTest::addRow("unknown-command") << QStringList{"nope"} << "unknown command 'nope'";
    QTest::addRow("mem-unit") << QStringList{"mem", "10x"} << "unknown unit";
    QTest::addRow("mem-zero") << QStringList{"mem", "0"} << "must be a positive size";
    QTest::addRow("mem-missing") << QStringList{"mem"} << "expected one size";
    QTest::addRow("cpu-zero") << QStringList{"cpu", "0"} << "from 1 to 1024";
    QTest::addRow("cpu-seconds") << QStringList{"cpu", "1", "--seconds"} << "needs a value";
    QTest::addRow("forks-text") << QStringList{"forks", "many"} << "must be a whole number";
    QTest::addRow("sleep-negative") << QStringList{"sleep", "-1"} << "must be a number >= 0";
    QTest::addRow("fds-argument") << QStringList{"fds", "x"} << "takes no arguments";
}

void TestHoodDemo::badCommandLine()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run run = runDemo(args);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(message), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestHoodDemo)
#include "tst_hooddemo.moc"
