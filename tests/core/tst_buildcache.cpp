// The build plan's cache keys (core/image/buildplan.h) on the matrix of
// edits: after a first build fills the cache, exactly the right steps miss.
#include "image/buildplan.h"
#include "image/dockerignore.h"
#include "error.h"

#include <QtTest>

#include <utime.h>

using namespace hood;

namespace {

class FakeBase : public BaseImageResolver {
public:
    std::string digest = "sha256:base1";
    BuildBaseImage resolve(const std::string &ref, const std::string &, const std::string &where) override
    {
        if (ref != "base")
            throw Error(where + ": image " + ref + " is not in the store");
        BuildBaseImage b;
        b.digest = digest;
        b.config.env = {"PATH=/usr/bin:/bin"};
        b.config.cmd = {"sh"};
        return b;
    }
};

// The store's cache in miniature: key -> layer ("" for config-only steps).
class MapCache : public BuildCache {
public:
    std::map<std::string, std::string> entries;
    std::optional<std::string> lookup(const std::string &key) override
    {
        auto it = entries.find(key);
        if (it == entries.end())
            return std::nullopt;
        return it->second;
    }
    void fill(const BuildPlan &plan)
    {
        for (const BuildStep &s : plan.steps)
            entries[s.key] = s.makesLayer ? "sha256:layer" + std::to_string(s.index) : "";
    }
};

const char *kDockerfile = "FROM base\n"
                          "ARG USED=1\n"
                          "ENV A=1\n"
                          "COPY a.txt /a.txt\n"
                          "RUN echo $USED\n"
                          "COPY b.txt /b.txt\n"
                          "CMD [\"sh\"]\n";

void put(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(content);
}

BuildPlan plan(const std::string &text, const QString &ctx, const std::map<std::string, std::string> &args,
               FakeBase &base)
{
    Dockerfile f = parseDockerfile(text, "Dockerfile");
    BuildContext context(ctx.toStdString());
    return planBuild(f, args, &context, base);
}

QString misses(const std::vector<StepExplanation> &ex)
{
    QStringList out;
    for (const StepExplanation &e : ex)
        if (!e.hit)
            out << QString::number(e.index);
    return out.join(',');
}

} // namespace

class TestBuildCache : public QObject {
    Q_OBJECT

private slots:
    void matrix_data();
    void matrix();
    void noCache();
    void stepsAndConfig();
    void keyTexts();
    void undeclaredArgsWarned();
    void errorsNameLine();
};

void TestBuildCache::matrix_data()
{
    QTest::addColumn<QString>("edit");
    QTest::addColumn<QString>("expectedMisses");
    QTest::addRow("nothing") << "none" << "";
    QTest::addRow("copied-file-content") << "a-content" << "3,4,5,6";
    QTest::addRow("copied-file-mtime-only") << "a-mtime" << "";
    QTest::addRow("later-copied-file") << "b-content" << "5,6";
    QTest::addRow("env-value") << "env" << "2,3,4,5,6";
    QTest::addRow("reorder-steps") << "reorder" << "4,5,6";
    QTest::addRow("used-build-arg") << "used-arg" << "4,5,6";
    QTest::addRow("build-arg-equal-to-default") << "default-arg" << "";
    QTest::addRow("undeclared-build-arg") << "unused-arg" << "";
    QTest::addRow("base-image") << "base" << "1,2,3,4,5,6";
    QTest::addRow("cmd-only") << "cmd" << "6";
    QTest::addRow("ignored-file-changes") << "ignored" << "";
}

void TestBuildCache::matrix()
{
    QFETCH(QString, edit);
    QFETCH(QString, expectedMisses);
    QTemporaryDir dir;
    const QString ctx = dir.path();
    put(ctx + "/a.txt", "a");
    put(ctx + "/b.txt", "b");
    put(ctx + "/notes.log", "1");
    put(ctx + "/.dockerignore", "*.log\n");
    FakeBase base;
    MapCache cache;
    cache.fill(plan(kDockerfile, ctx, {}, base));

    std::string text = kDockerfile;
    std::map<std::string, std::string> args;
    if (edit == "a-content")
        put(ctx + "/a.txt", "A");
    if (edit == "a-mtime") {
        struct utimbuf t = {12345, 12345};
        QCOMPARE(::utime((ctx + "/a.txt").toLocal8Bit().constData(), &t), 0);
    }
    if (edit == "b-content")
        put(ctx + "/b.txt", "B");
    if (edit == "env")
        text.replace(text.find("A=1"), 3, "A=2");
    if (edit == "reorder") {
        std::string run = "RUN echo $USED\n", copy = "COPY b.txt /b.txt\n";
        text.erase(text.find(run), run.size());
        text.insert(text.find("CMD"), run);
        QVERIFY(text.find(copy) < text.find(run));
    }
    if (edit == "used-arg")
        args["USED"] = "2";
    if (edit == "default-arg")
        args["USED"] = "1";
    if (edit == "unused-arg")
        args["NOT_DECLARED"] = "x";
    if (edit == "base")
        base.digest = "sha256:base2";
    if (edit == "cmd")
        text.replace(text.find("[\"sh\"]"), 6, "[\"bash\"]");
    if (edit == "ignored")
        put(ctx + "/notes.log", "2");

    BuildPlan p = plan(text, ctx, args, base);
    QCOMPARE(misses(explainCache(p, cache)), expectedMisses);
}

void TestBuildCache::noCache()
{
    QTemporaryDir dir;
    put(dir.path() + "/a.txt", "a");
    put(dir.path() + "/b.txt", "b");
    FakeBase base;
    MapCache cache;
    BuildPlan p = plan(kDockerfile, dir.path(), {}, base);
    cache.fill(p);
    std::vector<StepExplanation> ex = explainCache(p, cache, true);
    QCOMPARE(misses(ex), QString("1,2,3,4,5,6"));
    QVERIFY(QString::fromStdString(ex[0].reason).startsWith("--no-cache"));
    std::vector<StepExplanation> cached = explainCache(p, cache);
    QCOMPARE(misses(cached), QString());
    QCOMPARE(QString::fromStdString(cached[2].result), QString("sha256:layer3"));
    QVERIFY(QString::fromStdString(cached[2].reason).contains("layer3"));
    // A miss names itself; the steps after it name the step that broke the chain.
    put(dir.path() + "/a.txt", "changed");
    std::vector<StepExplanation> after = explainCache(plan(kDockerfile, dir.path(), {}, base), cache);
    QVERIFY(QString::fromStdString(after[2].reason).startsWith("cache miss: nothing was built on this parent with its text or the files it copies"));
    QCOMPARE(QString::fromStdString(after[4].reason), QString("its parent, step 3, was rebuilt, so the key is new"));
}

void TestBuildCache::stepsAndConfig()
{
    QTemporaryDir dir;
    put(dir.path() + "/a.txt", "a");
    FakeBase base;
    BuildPlan p = plan("FROM base\nENV A=1 B=$A C=${A:-none}\nENV D=$A\nWORKDIR app\nWORKDIR sub\nCOPY a.txt .\nUSER nobody\n"
                       "LABEL x=\"y z\"\nEXPOSE 80\nVOLUME /data\nENTRYPOINT [\"/bin/app\"]\nRUN make\n",
                       dir.path(), {}, base);
    QCOMPARE(p.steps.size(), size_t(11));
    p.steps.erase(p.steps.begin() + 1); // ENV D
    QStringList layers;
    for (const BuildStep &s : p.steps)
        if (s.makesLayer)
            layers << QString::fromStdString(s.instruction.keyword);
    QCOMPARE(layers, QStringList({"COPY", "RUN"}));
    QCOMPARE(QString::fromStdString(p.steps[3].destination), QString("/app/sub/."));
    const BuildImageConfig &c = p.config;
    QCOMPARE(c.env, std::vector<std::string>({"PATH=/usr/bin:/bin", "A=1", "B=", "C=none", "D=1"}));
    QCOMPARE(QString::fromStdString(c.workingDir), QString("/app/sub"));
    QCOMPARE(QString::fromStdString(c.user), QString("nobody"));
    QCOMPARE(QString::fromStdString(c.labels.at("x")), QString("y z"));
    QVERIFY(c.exposedPorts.count("80/tcp"));
    QVERIFY(c.volumes.count("/data"));
    QCOMPARE(c.entrypoint, std::vector<std::string>({"/bin/app"}));
    QVERIFY(c.cmd.empty()); // the base's CMD is dropped with a new ENTRYPOINT, as Docker does
    // One ENV line substitutes before it sets anything (Docker: "def=$abc" sees the old abc).
    QCOMPARE(p.steps[0].changes.size(), size_t(3));
    QCOMPARE(QString::fromStdString(p.steps[0].changes[1].value), QString("B="));
    const BuildStep &run = p.steps[9];
    QCOMPARE(run.runArgv, std::vector<std::string>({"/bin/sh", "-c", "make"}));
    QCOMPARE(run.runEnv, c.env);
}

void TestBuildCache::keyTexts()
{
    QTemporaryDir dir;
    put(dir.path() + "/a.txt", "a");
    FakeBase base;
    BuildPlan p = plan("ARG TAG=x\nFROM base\nARG TAG\nARG V=1\nENV E=2\nARG E=3\nRUN echo\n"
                       "SHELL [\"/bin/bash\", \"-c\"]\nRUN [\"true\"]\nRUN x\nCOPY --chown=1:1 a.txt /\n",
                       dir.path(), {{"V", "9"}}, base);
    auto text = [&](size_t i) { return QString::fromStdString(p.steps.at(i).text); };
    // The classic builder's form: the declared args in effect, sorted, E hidden by ENV E.
    QCOMPARE(text(4), QString("RUN |2 TAG=x V=9 /bin/sh -c echo"));
    QCOMPARE(text(0), QString("ARG TAG"));
    QCOMPARE(text(1), QString("ARG V=1"));
    QCOMPARE(text(6), QString("RUN |2 TAG=x V=9 true"));
    QCOMPARE(text(7), QString("RUN |2 TAG=x V=9 /bin/bash -c x"));
    QVERIFY(text(8).startsWith("COPY --chown=1:1 sha256:"));
    QVERIFY(text(8).endsWith(" in /"));
    QCOMPARE(p.steps[4].runEnv, std::vector<std::string>({"PATH=/usr/bin:/bin", "E=2", "TAG=x", "V=9"}));
    QCOMPARE(QString::fromStdString(p.steps[1].parentKey), QString::fromStdString(p.steps[0].key));
    QCOMPARE(QString::fromStdString(p.steps[0].parentKey), QString("sha256:base1"));
}

void TestBuildCache::undeclaredArgsWarned()
{
    QTemporaryDir dir;
    FakeBase base;
    BuildPlan p = plan("FROM base\nARG A\nRUN true\n", dir.path(), {{"A", "1"}, {"B", "2"}, {"HTTP_PROXY", "p"}}, base);
    QCOMPARE(p.unusedBuildArgs, std::vector<std::string>({"B"}));
    // The predefined proxy args reach RUN without an ARG, as Docker's do.
    QCOMPARE(QString::fromStdString(p.steps[1].text), QString("RUN |2 A=1 HTTP_PROXY=p /bin/sh -c true"));
}

void TestBuildCache::errorsNameLine()
{
    QTemporaryDir dir;
    put(dir.path() + "/a.txt", "a");
    FakeBase base;
    auto err = [&](const std::string &text) {
        try {
            plan(text, dir.path(), {}, base);
        } catch (const Error &e) {
            return QString::fromStdString(e.what());
        }
        return QString("(accepted)");
    };
    QCOMPARE(err("FROM nothere\n"), QString("Dockerfile line 1 (FROM): image nothere is not in the store"));
    QCOMPARE(err("FROM base\n\nCOPY missing.txt /\n"),
             QString("Dockerfile line 3 (COPY): missing.txt: no such file or directory in the build context (or excluded by .dockerignore)"));
    QCOMPARE(err("FROM base\nCOPY ../x /\n"), QString("Dockerfile line 2 (COPY): ../x is outside the build context"));
    QCOMPARE(err("FROM base\nCOPY a.txt a.txt /d\n"),
             QString("Dockerfile line 2 (COPY): when copying more than one source the destination must be a directory and end with a /"));
    QCOMPARE(err("RUN x\nFROM base\n"), QString("Dockerfile line 1 (RUN): the first instruction must be FROM (after ARGs only)"));
    QCOMPARE(err("FROM base\nFROM base\n"),
             QString("Dockerfile line 2 (FROM): a second FROM (a multi-stage build) is not supported by Hood's builder yet"));
    QCOMPARE(err("FROM base\nENV X=${Y:?needed}\n"),
             QString("Dockerfile line 2 (ENV): failed to process \"${Y:?needed}\": Y: needed"));
    QCOMPARE(err("ARG B=base\nFROM $B\n"), QString("(accepted)"));
    QCOMPARE(err("FROM scratch\nCOPY a.txt /\n"), QString("(accepted)"));
}

QTEST_GUILESS_MAIN(TestBuildCache)
#include "tst_buildcache.moc"
