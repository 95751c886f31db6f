// Many containers, in sequence and at once: at the end nothing of Hood is left on
// the machine (cgroups, mounts, state directories, network links), and the
// machine's own mount table has exactly as many entries as before.
#include "hoodtest.h"

#include <QElapsedTimer>

#include <future>

using namespace hoodtest;

class TestStress : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_root {"/tmp/hood-tst-stress-XXXXXX"};
    QString root() const { return m_root.path(); }

    Result hood(const QStringList &args, int timeoutMs = 120000)
    {
        return run(root(), args, timeoutMs);
    }

    // In the cgroup v2 VM (tests/vm, under TCG) a container starts some 20 times
    // slower: fewer of them, so the suite stays inside the VM's time budget.
    static int scaled(int n) { return qEnvironmentVariableIsSet("HOOD_VM_GUEST") ? n / 10 : n; }

    static int lineCount(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll().count('\n') : -1;
    }

    static int linkCount()
    {
        return QDir("/sys/class/net").entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size();
    }

    struct Counts {
        int mounts, links;
        QStringList hood;
    };
    Counts counts() { return {lineCount("/proc/self/mountinfo"), linkCount(), leftovers(root())}; }

    void expectSame(const Counts &before)
    {
        Counts after = counts();
        QVERIFY2(after.hood.isEmpty(), qPrintable(after.hood.join('\n')));
        QCOMPARE(after.mounts, before.mounts);
        QCOMPARE(after.links, before.links);
    }

private slots:
    void initTestCase()
    {
        if (!isRoot())
            QSKIP("needs root: containers with cgroups and every namespace (run the suite with sudo)");
        QVERIFY(m_root.isValid());
        QVERIFY2(QFile::exists(builtinRootfs() + "/bin/sh"), "the built-in image is not built");
    }

    void sequence()
    {
        const Counts before = counts();
        QElapsedTimer t;
        t.start();
        const int n = scaled(200);
        for (int i = 0; i < n; ++i) {
            Result r = hood({"run", "--memory", "32M", "--pids", "20", "--", "true"});
            QVERIFY2(r.code == 0, qPrintable(QString("run %1: %2").arg(i).arg(r.err)));
        }
        qInfo("%d containers in sequence: %lld ms", n, t.elapsed());
        expectSame(before);
    }

    void twentyAtOnce()
    {
        const Counts before = counts();
        const int n = scaled(20);
        std::vector<std::future<Result>> started;
        for (int i = 0; i < n; ++i)
            started.push_back(std::async(std::launch::async, [this, i] {
                return hood({"run", "-d", "--name", QString("many%1").arg(i), "--memory", "32M", "--", "sleep", "600"});
            }));
        for (auto &f : started) {
            Result r = f.get();
            QVERIFY2(r.code == 0, qPrintable(r.err));
        }
        Result list = hood({"list", "-q"});
        QCOMPARE(list.out.split('\n', Qt::SkipEmptyParts).size(), n);
        std::vector<std::future<Result>> removed;
        for (int i = 0; i < n; ++i)
            removed.push_back(std::async(std::launch::async, [this, i] {
                return hood({"delete", "--force", QString("many%1").arg(i)});
            }));
        for (auto &f : removed) {
            Result r = f.get();
            QVERIFY2(r.code == 0, qPrintable(r.err));
        }
        expectSame(before);
    }
};

QTEST_GUILESS_MAIN(TestStress)
#include "tst_stress.moc"
