// hoodctl build for real: RUN in Hood containers on the store's layers, the
// layer cache across builds (a changed COPY'd file rebuilds from its step on,
// a touched one does not), --no-cache, a failing RUN's sentence, and the image
// run afterwards. Skips until the verbs are in hoodctl (the images branch).
#include "hoodtest.h"

#include <utime.h>

using namespace hoodtest;

namespace {

void put(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(content);
}

// The "Step N/M" lines followed by "Using cache": the steps that hit.
QStringList cachedSteps(const QString &out)
{
    QStringList hits;
    QString step;
    for (const QString &line : out.split('\n')) {
        if (line.startsWith("Step "))
            step = line.section(' ', 1, 1).section('/', 0, 0);
        else if (line.startsWith(" ---> Using cache"))
            hits << step;
    }
    return hits;
}

} // namespace

class TestBuild : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void buildCacheRun();
    void failingRun();
    void cleanupTestCase();

private:
    QStringList base() const { return {"--store", m_dir.path() + "/store"}; }
    Result hood(const QStringList &args) { return run(m_dir.path() + "/state", base() + args, 300000); }
    QTemporaryDir m_dir;
};

void TestBuild::initTestCase()
{
    if (!isRoot())
        QSKIP("RUN steps start containers: run as root (sudo ctest -L privileged)");
    Result help = run(m_dir.path() + "/state", {"build"});
    if (help.err.contains("unknown verb"))
        QSKIP("hoodctl has no build verb yet (it comes with the image store of the images branch)");
    const QString ctx = m_dir.path() + "/ctx";
    put(ctx + "/a.txt", "one\n");
    put(ctx + "/skip.log", "ignored\n");
    put(ctx + "/.dockerignore", "*.log\n");
    put(ctx + "/Dockerfile", "FROM busybox\n"
                             "ARG WHO=world\n"
                             "ENV GREETING=hello\n"
                             "COPY a.txt /app/\n"
                             "RUN cat /app/a.txt > /app/b.txt && echo \"$GREETING $WHO\" >> /app/b.txt\n"
                             "WORKDIR /app\n"
                             "CMD [\"cat\", \"b.txt\"]\n");
}

void TestBuild::buildCacheRun()
{
    const QString ctx = m_dir.path() + "/ctx";
    Result first = hood({"build", "-t", "hood-test/app:1", ctx});
    QVERIFY2(first.code == 0, qPrintable(first.out + first.err));
    QCOMPARE(cachedSteps(first.out), QStringList());
    QVERIFY(first.out.contains("Successfully tagged hood-test/app:1"));

    Result again = hood({"build", "-t", "hood-test/app:1", ctx});
    QVERIFY2(again.code == 0, qPrintable(again.err));
    QCOMPARE(cachedSteps(again.out), QStringList({"1", "2", "3", "4", "5", "6"}));

    struct utimbuf t = {1000, 1000};
    QCOMPARE(::utime((ctx + "/a.txt").toLocal8Bit().constData(), &t), 0);
    put(ctx + "/skip.log", "changed, but ignored\n");
    QCOMPARE(cachedSteps(hood({"build", "-t", "hood-test/app:1", ctx}).out), QStringList({"1", "2", "3", "4", "5", "6"}));

    put(ctx + "/a.txt", "two\n");
    Result changed = hood({"build", "-t", "hood-test/app:2", "--build-arg", "WHO=hood", ctx});
    QVERIFY2(changed.code == 0, qPrintable(changed.err));
    QCOMPARE(cachedSteps(changed.out), QStringList({"1", "2"}));

    Result noCache = hood({"build", "--no-cache", "-t", "hood-test/app:3", ctx});
    QVERIFY2(noCache.code == 0, qPrintable(noCache.err));
    QCOMPARE(cachedSteps(noCache.out), QStringList());

    Result explain = hood({"build", "--explain", "--progress", "json", ctx});
    QVERIFY2(explain.code == 0, qPrintable(explain.err));
    QCOMPARE(explain.out.count("\"hit\":true"), 6);

    Result ran = hood({"run", "--image", "hood-test/app:2"});
    QVERIFY2(ran.code == 0, qPrintable(ran.err));
    QCOMPARE(ran.out, QString("two\nhello hood\n"));
    Result history = hood({"history", "hood-test/app:2"});
    QVERIFY2(history.code == 0, qPrintable(history.err));
    QVERIFY(history.out.contains("ENV GREETING=hello"));
}

void TestBuild::failingRun()
{
    const QString ctx = m_dir.path() + "/bad";
    put(ctx + "/Dockerfile", "FROM busybox\nRUN echo about to fail && exit 3\n");
    Result r = hood({"build", "-t", "hood-test/bad", ctx});
    QCOMPARE(r.code, 125);
    QVERIFY2(r.err.contains(ctx + "/Dockerfile line 2 (RUN): the command '/bin/sh -c echo about to fail && exit 3' "
                            "returned a non-zero code: 3; its last lines: about to fail"),
             qPrintable(r.err));
    QVERIFY(!hood({"images"}).out.contains("hood-test/bad"));
    QCOMPARE(hood({"list", "-q"}).out.trimmed(), QString());
}

void TestBuild::cleanupTestCase()
{
    if (isRoot())
        QCOMPARE(leftovers(m_dir.path() + "/state"), QStringList());
}

QTEST_GUILESS_MAIN(TestBuild)
#include "tst_build.moc"
