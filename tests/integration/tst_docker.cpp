// Docker runs its containers on hoodctl: Debian's dockerd (20.10) and containerd
// (1.6), started by this test with their own roots, sockets and exec roots under
// a temporary directory, `--add-runtime hood=HOODCTL`; containerd-shim-runc-v2
// drives hoodctl through go-runc (`--root R --log F --log-format json create
// --bundle B --pid-file F [--console-socket S] ID`, state, kill, delete). The
// client is /usr/bin/docker (Debian's, the 20.10 CLI) with DOCKER_HOST; a newer
// CLI may stand first in PATH. Both daemons are stopped by pid at the end.
#include "hoodtest.h"

#include <QStandardPaths>

#include <csignal>

using namespace hoodtest;

namespace {

const QString kDocker = "/usr/bin/docker";
const QString kImage = "hood-busybox:latest";

using Run = Result;

} // namespace

class TestDocker : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp {"/tmp/hood-docker-XXXXXX"}; // short: unix socket paths
    QString m_skip;
    QProcess m_containerd;
    QProcess m_dockerd;
    bool m_dockerCgroupBefore = false; // dockerd makes /docker in every hierarchy (cgroupfs)

    QString path(const QString &rel) const { return m_tmp.path() + "/" + rel; }

    Run docker(const QStringList &args, int timeoutMs = 120000)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("DOCKER_HOST", "unix://" + path("docker.sock"));
        return runProgram(kDocker, args, timeoutMs, env);
    }

    static QStringList runFlags() { return {"--runtime", "hood", "--network", "none"}; }

    void stopDaemon(QProcess &p)
    {
        if (p.state() == QProcess::NotRunning)
            return;
        ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
        if (!p.waitForFinished(20000)) {
            p.kill();
            p.waitForFinished();
        }
    }

private slots:
    void initTestCase()
    {
        if (!isRoot())
            QSKIP("dockerd and containerd run as root: run the suite as root");
        for (const QString &bin : {QString("/usr/sbin/dockerd"), QString("/usr/bin/containerd"), kDocker,
                                   QString("/usr/bin/containerd-shim-runc-v2")}) {
            if (!QFile::exists(bin)) {
                m_skip = bin + " is not installed (apt-get install docker.io containerd)";
                return;
            }
        }
        QVERIFY(m_tmp.isValid());
        m_dockerCgroupBefore = QFile::exists("/sys/fs/cgroup/memory/docker") || QFile::exists("/sys/fs/cgroup/docker");
        QFile config(path("containerd.toml"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QString("version = 2\nroot = \"%1\"\nstate = \"%2\"\n"
                             "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]\n"
                             "[grpc]\n  address = \"%3\"\n[ttrpc]\n  address = \"%3.ttrpc\"\n"
                             "[debug]\n  address = \"%4\"\n")
                         .arg(path("ctd-root"), path("ctd-state"), path("ctd.sock"), path("ctd-debug.sock"))
                         .toUtf8());
        config.close();
        m_containerd.setProcessChannelMode(QProcess::MergedChannels);
        m_containerd.setStandardOutputFile(path("containerd.log"));
        m_containerd.start("/usr/bin/containerd", {"--config", path("containerd.toml")});
        QVERIFY(m_containerd.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(path("ctd.sock")), 20000);
        m_dockerd.setProcessChannelMode(QProcess::MergedChannels);
        m_dockerd.setStandardOutputFile(path("dockerd.log"));
        m_dockerd.start("/usr/sbin/dockerd",
                        {"--containerd", path("ctd.sock"), "--data-root", path("data"), "--exec-root", path("exec"),
                         "--pidfile", path("dockerd.pid"), "-H", "unix://" + path("docker.sock"),
                         "--iptables=false", "--ip6tables=false", "--bridge=none", "--storage-driver", "vfs",
                         "--add-runtime", "hood=" + hoodctl()});
        QVERIFY(m_dockerd.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(docker({"version"}).code == 0, 30000);
        const QString tar = path("busybox.tar");
        QProcess t;
        t.start("tar", {"-C", builtinRootfs(), "-cf", tar, "."});
        QVERIFY(t.waitForFinished(60000) && t.exitCode() == 0);
        Run imp = docker({"import", tar, kImage});
        QVERIFY2(imp.code == 0, qPrintable(imp.err));
    }

    void cleanupTestCase()
    {
        if (m_skip.isEmpty() && isRoot()) {
            Run ids = docker({"ps", "-aq"});
            for (const QString &id : ids.out.split('\n', Qt::SkipEmptyParts))
                docker({"rm", "-f", id});
        }
        stopDaemon(m_dockerd);
        stopDaemon(m_containerd);
        // The cgroup parent dockerd made at start-up (cgroupfs driver), empty once its
        // containers are gone; rmdir leaves it if anything is still in it.
        if (!m_dockerCgroupBefore) {
            for (const QString &h : QDir("/sys/fs/cgroup").entryList(QDir::Dirs | QDir::NoDotAndDotDot))
                QDir("/sys/fs/cgroup/" + h).rmdir("docker");
            QDir("/sys/fs/cgroup").rmdir("docker");
            QVERIFY2(!QFile::exists("/sys/fs/cgroup/memory/docker"), "dockerd's /docker cgroup stayed");
        }
        if (!m_tmp.path().isEmpty()) {
            // Mounts of the daemons' own (their data roots, the shim's) that they left
            // are Docker's, not Hood's: said, removed, and checked gone. On a fresh
            // Debian 12 root (scripts/check-fresh-debian.sh) dockerd leaves one.
            auto ours = [&] {
                QFile mounts("/proc/self/mountinfo");
                QList<QByteArray> found;
                if (mounts.open(QIODevice::ReadOnly)) {
                    for (const QByteArray &line : mounts.readAll().split('\n'))
                        if (line.contains(m_tmp.path().toUtf8()))
                            found << line.split(' ').value(4);
                }
                return found;
            };
            for (const QByteArray &dir : ours()) {
                qWarning("the Docker daemons left a mount at %s; unmounting it", dir.constData());
                QProcess::execute("umount", {"-l", QString::fromUtf8(dir)});
            }
            QVERIFY2(ours().isEmpty(), "a mount under the test's directory stayed even after umount -l");
        }
        QStringList left = leftovers(m_tmp.path() + "/no-hood-state");
        QVERIFY2(left.isEmpty(), qPrintable(left.join('\n')));
    }

    void runRmPrintsOutput()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        Run r = docker(QStringList {"run", "--rm"} + runFlags() + QStringList {kImage, "echo", "hi"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out, QString("hi\n"));
    }

    void exitStatus_data()
    {
        QTest::addColumn<QStringList>("command");
        QTest::addColumn<int>("status");
        QTest::addRow("exit-3") << QStringList {"sh", "-c", "exit 3"} << 3;
        QTest::addRow("missing-command") << QStringList {"no-such-command"} << 127;
    }

    void exitStatus()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        QFETCH(QStringList, command);
        QFETCH(int, status);
        Run r = docker(QStringList {"run", "--rm"} + runFlags() + QStringList {kImage} + command);
        QVERIFY2(r.code == status, qPrintable(QString("status %1: %2").arg(r.code).arg(r.err)));
    }

    void detachedLogsExecTopStats()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        Run d = docker(QStringList {"run", "-d", "--name", "bg"} + runFlags()
                       + QStringList {kImage, "sh", "-c", "echo started; exec sleep 100"});
        QVERIFY2(d.code == 0, qPrintable(d.err));
        QTRY_VERIFY_WITH_TIMEOUT(docker({"logs", "bg"}).out.contains("started"), 10000);
        Run e = docker({"exec", "bg", "sh", "-c", "echo in-exec; exit 4"});
        QCOMPARE(e.code, 4);
        QCOMPARE(e.out, QString("in-exec\n"));
        Run top = docker({"top", "bg"});
        QVERIFY2(top.code == 0 && top.out.contains("sleep 100"), qPrintable(top.out + top.err));
        Run stats = docker({"stats", "--no-stream", "bg"});
        QVERIFY2(stats.code == 0 && stats.out.contains("bg"), qPrintable(stats.out + stats.err));
        QCOMPARE(docker({"stop", "-t", "1", "bg"}).code, 0);
        QCOMPARE(docker({"inspect", "bg", "--format", "{{.State.ExitCode}}"}).out.trimmed(), QString("137"));
        QCOMPARE(docker({"rm", "bg"}).code, 0);
    }

    // Hood's `save --format docker-archive` of the built-in busybox loads in Docker
    // and runs there, on Hood's engine (issue 8: Hood's save output loads in docker).
    void savedImageLoadsAndRuns()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        const QString tar = path("hood-saved.tar");
        Result save = hoodtest::run(path("hood-state"), {"--store", path("hood-store"), "save", "--format",
                                                         "docker-archive", "-o", tar, "busybox"});
        QVERIFY2(save.code == 0, qPrintable(save.err));
        Run load = docker({"load", "-i", tar});
        QVERIFY2(load.code == 0, qPrintable(load.err));
        const QRegularExpressionMatch named = QRegularExpression("Loaded image: (\\S+)").match(load.out);
        QVERIFY2(named.hasMatch(), qPrintable(load.out));
        Run r = docker(QStringList {"run", "--rm"} + runFlags() + QStringList {named.captured(1), "sh", "-c", "echo from-saved"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out, QString("from-saved\n"));
        QCOMPARE(docker({"rmi", named.captured(1)}).code, 0);
    }

    void terminal()
    {
        if (!m_skip.isEmpty())
            QSKIP(qPrintable(m_skip));
        if (QStandardPaths::findExecutable("script").isEmpty())
            QSKIP("script (util-linux) is not installed, so there is no pty to give docker -it");
        QString cmd = "DOCKER_HOST=unix://" + path("docker.sock") + " " + kDocker + " run --rm -it " + runFlags().join(' ')
                      + " " + kImage + " sh -c 'tty; test -t 0 && echo is-a-terminal'";
        QProcess p;
        p.start("script", {"-qec", cmd, "/dev/null"});
        QVERIFY(p.waitForFinished(60000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(p.exitCode() == 0 && out.contains("/dev/pts/") && out.contains("is-a-terminal"), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestDocker)
#include "tst_docker.moc"
