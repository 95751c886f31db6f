// hoodctl build for real: RUN in Hood containers on the store's layers, the
// layer cache across builds (a changed COPY'd file rebuilds from its step on,
// a touched one does not), --no-cache, a failing RUN's sentence, and the image
// run afterwards; a multi-tag build; a build SIGKILLed mid-RUN whose container,
// scratch and half layer `hoodctl gc` removes; gc of cache entries whose layers
// are gone; and a push / pull round trip through a docker-registry of the test's
// own with the digests equal.
#include "hoodtest.h"
#include "testregistry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <signal.h>

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
    void multiTag();
    void killedRunLeavesNothing();
    void gcDropsDanglingCache();
    void pushPullRoundTrip();
    void cleanupTestCase();

private:
    QStringList base() const { return {"--store", m_dir.path() + "/store"}; }
    Result hood(const QStringList &args) { return run(m_dir.path() + "/state", base() + args, 300000); }
    QString store() const { return m_dir.path() + "/store"; }
    QStringList names(const QString &sub) const { return QDir(store() + "/" + sub).entryList(QDir::NoDotAndDotDot | QDir::AllEntries); }
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

void TestBuild::multiTag()
{
    const QString ctx = m_dir.path() + "/tags";
    put(ctx + "/Dockerfile", "FROM busybox\nLABEL tagged=twice\n");
    Result r = hood({"build", "-t", "hood-test/one:1", "-t", "hood-test/two:2", ctx});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("Successfully tagged hood-test/one:1") && r.out.contains("Successfully tagged hood-test/two:2"));
    const QJsonArray images = QJsonDocument::fromJson(hood({"images", "--json"}).out.toUtf8()).array();
    for (const QJsonValue &v : images) {
        const QJsonArray names = v.toObject()["names"].toArray();
        if (names.contains(QJsonValue("hood-test/one:1"))) {
            QVERIFY2(names.contains(QJsonValue("hood-test/two:2")), qPrintable(QJsonDocument(v.toObject()).toJson()));
            return;
        }
    }
    QFAIL("hood-test/one:1 is not in hoodctl images --json");
}

// SIGKILL the builder while its RUN sleeps: its container keeps running under its
// monitor, its upper directory is mounted, its layer was never made. gc finds the
// builder gone and removes all of it.
void TestBuild::killedRunLeavesNothing()
{
    const QString ctx = m_dir.path() + "/killed";
    put(ctx + "/Dockerfile", "FROM busybox\nRUN echo started > /started && sleep 60\n");
    const QStringList layersBefore = names("layers");
    QProcess builder;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOOD_ROOT", m_dir.path() + "/state");
    builder.setProcessEnvironment(env);
    builder.start(hoodctl(), base() + QStringList{"build", "-t", "hood-test/killed", ctx});
    QVERIFY(builder.waitForStarted());
    QString step;
    for (int i = 0; i < 200 && step.isEmpty(); ++i) {
        QThread::msleep(100);
        for (const QString &id : hood({"list", "-q"}).out.split('\n', Qt::SkipEmptyParts))
            if (id.startsWith("build-"))
                step = id;
    }
    QVERIFY2(!step.isEmpty(), "the RUN step's container never appeared");
    QThread::msleep(300);
    ::kill(pid_t(builder.processId()), SIGKILL);
    QVERIFY(builder.waitForFinished(10000));
    QVERIFY2(hood({"list", "-q"}).out.contains(step), "the RUN container should outlive its builder");
    Result gc = hood({"gc"});
    QVERIFY2(gc.code == 0, qPrintable(gc.out + gc.err));
    QVERIFY2(gc.out.contains(step), qPrintable(gc.out));
    QCOMPARE(hood({"list", "-q"}).out.trimmed(), QString());
    QCOMPARE(names("tmp").filter(QRegularExpression("^build-|journal")), QStringList());
    QCOMPARE(names("containers").filter("build-"), QStringList());
    QCOMPARE(names("layers"), layersBefore);
    QVERIFY(!hood({"images"}).out.contains("hood-test/killed"));
    QCOMPARE(leftovers(m_dir.path() + "/state"), QStringList());
}

// A layer no image holds goes with gc; the cache entry naming it goes too, and the
// same build misses (and works) again.
void TestBuild::gcDropsDanglingCache()
{
    const QString ctx = m_dir.path() + "/cachegc";
    put(ctx + "/f.txt", "only here\n");
    put(ctx + "/Dockerfile", "FROM busybox\nCOPY f.txt /f.txt\n");
    QVERIFY(hood({"build", "-t", "hood-test/cachegc", ctx}).code == 0);
    const int entries = int(names("buildcache").size());
    Result rmi = hood({"rmi", "hood-test/cachegc"});
    QVERIFY2(rmi.code == 0, qPrintable(rmi.err));
    Result gc = hood({"gc"});
    QVERIFY2(gc.code == 0, qPrintable(gc.err));
    QVERIFY2(gc.out.contains("removed the build cache entry"), qPrintable(gc.out));
    QVERIFY(int(names("buildcache").size()) < entries);
    Result again = hood({"build", "-t", "hood-test/cachegc", ctx});
    QVERIFY2(again.code == 0, qPrintable(again.err));
    QCOMPARE(cachedSteps(again.out), QStringList()); // the COPY (step 1) is built again
}

void TestBuild::pushPullRoundTrip()
{
    if (!testregistry::available())
        QSKIP(testregistry::kMissing);
    testregistry::TestRegistry registry;
    QVERIFY(registry.start(m_dir.path() + "/registry"));
    const QString ref = registry.host() + "/hood-test/app:1";
    Result push = hood({"push", "--tls-verify=false", "hood-test/app:1", ref});
    QVERIFY2(push.code == 0, qPrintable(push.err));
    const QString pushed = push.out.section("Digest: ", 1).section('\n', 0, 0).trimmed();
    QVERIFY2(pushed.startsWith("sha256:"), qPrintable(push.out));
    const QString store2 = m_dir.path() + "/store2";
    Result pull = run(m_dir.path() + "/state", {"--store", store2, "pull", "--tls-verify=false", ref}, 300000);
    QVERIFY2(pull.code == 0, qPrintable(pull.err));
    QCOMPARE(pull.out.section("Digest: ", 1).section('\n', 0, 0).trimmed(), pushed);
    // The same image on the other side: its ID (the config's digest) and manifest both.
    const QString imageId = pull.out.section('\n', 1, 1).trimmed();
    const QJsonArray images = QJsonDocument::fromJson(hood({"images", "--json"}).out.toUtf8()).array();
    bool found = false;
    for (const QJsonValue &v : images)
        found |= v.toObject()["id"].toString() == imageId && v.toObject()["manifest"].toString() == pushed;
    QVERIFY2(found, qPrintable(imageId + " " + pushed));
}

void TestBuild::cleanupTestCase()
{
    if (isRoot())
        QCOMPARE(leftovers(m_dir.path() + "/state"), QStringList());
}

QTEST_GUILESS_MAIN(TestBuild)
#include "tst_build.moc"
