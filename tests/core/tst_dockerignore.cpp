// .dockerignore and the build context (core/image/dockerignore.h): Docker's
// pattern rules, sources resolved inside the context, refusals of paths and
// symlinks that lead outside, and a content hash that ignores mtimes.
#include "image/dockerignore.h"
#include "error.h"
#include "sys/fileio.h"

#include <QtTest>

#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

using namespace hood;

namespace {

void put(const QString &root, const QString &rel, const QByteArray &content, mode_t mode = 0644)
{
    QString path = root + "/" + rel;
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(content);
    f.close();
    QCOMPARE(::chmod(path.toLocal8Bit().constData(), mode), 0);
}

QString resolveError(const BuildContext &ctx, const std::vector<std::string> &sources)
{
    try {
        ctx.resolveSources(sources, "Dockerfile line 2 (COPY)");
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(accepted)");
}

QStringList resolved(const BuildContext &ctx, const std::vector<std::string> &sources)
{
    QStringList out;
    for (const std::string &s : ctx.resolveSources(sources, "here"))
        out << QString::fromStdString(s);
    return out;
}

} // namespace

class TestDockerignore : public QObject {
    Q_OBJECT

private slots:
    void patterns_data();
    void patterns();
    void cleanPaths_data();
    void cleanPaths();
    void sources();
    void refusals();
    void walkSkipsIgnored();
    void hashIgnoresMtime();
    void hashFollowsContentModeNamesLinks();
};

void TestDockerignore::patterns_data()
{
    QTest::addColumn<QString>("ignore");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("excluded");
    QTest::addRow("exact") << "a.txt" << "a.txt" << true;
    QTest::addRow("exact-other") << "a.txt" << "b.txt" << false;
    QTest::addRow("star-in-dir-only") << "*.log" << "sub/x.log" << false;
    QTest::addRow("star-top") << "*.log" << "x.log" << true;
    QTest::addRow("double-star") << "**/*.log" << "sub/deep/x.log" << true;
    QTest::addRow("double-star-top") << "**/*.log" << "x.log" << true;
    QTest::addRow("double-star-end") << "build/**" << "build/a/b" << true;
    QTest::addRow("parent-dir-matches") << "node_modules" << "node_modules/a/b.js" << true;
    QTest::addRow("question") << "?.c" << "a.c" << true;
    QTest::addRow("question-not-slash") << "a?b" << "a/b" << false;
    QTest::addRow("class") << "[ab].c" << "b.c" << true;
    QTest::addRow("exception") << "*.md\n!README.md" << "README.md" << false;
    QTest::addRow("exception-other") << "*.md\n!README.md" << "NOTES.md" << true;
    QTest::addRow("last-wins") << "!README.md\n*.md" << "README.md" << true;
    QTest::addRow("leading-slash") << "/secret" << "secret" << true;
    QTest::addRow("leading-dot-slash") << "./secret" << "secret" << true;
    QTest::addRow("cleaned") << "a//b/../c" << "a/c" << true;
    QTest::addRow("comment") << "# a.txt" << "# a.txt" << false;
    QTest::addRow("blank-and-spaces") << "\n   \n  x  \n" << "x" << true;
    QTest::addRow("dot-literal") << "a.c" << "abc" << false;
    QTest::addRow("escape") << "a\\*b" << "a*b" << true;
    QTest::addRow("escape-literal") << "a\\*b" << "axb" << false;
    QTest::addRow("dir-exception") << "docs\n!docs/keep.md" << "docs/keep.md" << false;
}

void TestDockerignore::patterns()
{
    QFETCH(QString, ignore);
    QFETCH(QString, path);
    QFETCH(bool, excluded);
    IgnoreMatcher m = IgnoreMatcher::fromText(ignore.toStdString());
    QCOMPARE(m.excluded(path.toStdString()), excluded);
}

void TestDockerignore::cleanPaths_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::addRow("empty") << "" << ".";
    QTest::addRow("dot") << "./a/./b/" << "a/b";
    QTest::addRow("dotdot") << "a/../../b" << "../b";
    QTest::addRow("rooted") << "/../a//b" << "/a/b";
    QTest::addRow("root") << "/" << "/";
}

void TestDockerignore::cleanPaths()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(QString::fromStdString(cleanPath(in.toStdString())), out);
}

void TestDockerignore::sources()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.path();
    put(root, "a.txt", "a");
    put(root, "b.txt", "b");
    put(root, "c.md", "c");
    put(root, "src/x.cpp", "x");
    put(root, "src/y.cpp", "y");
    put(root, "src/skip.cpp", "s");
    put(root, ".dockerignore", "src/skip.cpp\n");
    QVERIFY(QFile::link("a.txt", root + "/inside-link"));
    BuildContext ctx(root.toStdString());
    QCOMPARE(resolved(ctx, {"*.txt"}), QStringList({"a.txt", "b.txt"}));
    QCOMPARE(resolved(ctx, {"src/*.cpp"}), QStringList({"src/x.cpp", "src/y.cpp"}));
    QCOMPARE(resolved(ctx, {"/a.txt", "./c.md"}), QStringList({"a.txt", "c.md"}));
    QCOMPARE(resolved(ctx, {"."}), QStringList({"."}));
    QCOMPARE(resolved(ctx, {"inside-link"}), QStringList({"a.txt"}));
    QCOMPARE(resolved(ctx, {"src/../b.txt"}), QStringList({"b.txt"}));
    QCOMPARE(resolveError(ctx, {"src/skip.cpp"}),
             QString("Dockerfile line 2 (COPY): src/skip.cpp: no such file or directory in the build context (or excluded by .dockerignore)"));
    QCOMPARE(resolveError(ctx, {"*.nothing"}),
             QString("Dockerfile line 2 (COPY): *.nothing: no source files match it in the build context"));
}

void TestDockerignore::refusals()
{
    QTemporaryDir outer;
    QVERIFY(outer.isValid());
    const QString root = outer.path() + "/ctx";
    put(root, "ok.txt", "ok");
    put(outer.path(), "secret.txt", "s");
    QVERIFY(QFile::link(outer.path() + "/secret.txt", root + "/abs-link"));
    QVERIFY(QFile::link("../secret.txt", root + "/rel-link"));
    QVERIFY(QFile::link("..", root + "/up"));
    BuildContext ctx(root.toStdString());
    QCOMPARE(resolveError(ctx, {"../secret.txt"}), QString("Dockerfile line 2 (COPY): ../secret.txt is outside the build context"));
    QCOMPARE(resolveError(ctx, {"a/../../x"}), QString("Dockerfile line 2 (COPY): a/../../x is outside the build context"));
    const QString real = QFileInfo(outer.path() + "/secret.txt").canonicalFilePath();
    QCOMPARE(resolveError(ctx, {"abs-link"}),
             QString("Dockerfile line 2 (COPY): abs-link leads outside the build context (to %1)").arg(real));
    QCOMPARE(resolveError(ctx, {"rel-link"}),
             QString("Dockerfile line 2 (COPY): rel-link leads outside the build context (to %1)").arg(real));
    QVERIFY(resolveError(ctx, {"up/secret.txt"}).contains("leads outside the build context"));
    QCOMPARE(resolveError(ctx, {"ok.txt"}), QString("(accepted)"));
}

void TestDockerignore::walkSkipsIgnored()
{
    QTemporaryDir dir;
    const QString root = dir.path();
    put(root, "app/main.c", "m");
    put(root, "app/build/out.o", "o");
    put(root, "app/build/keep.txt", "k");
    BuildContext ctx(root.toStdString(), IgnoreMatcher::fromText("app/build\n!app/build/keep.txt"));
    QStringList paths;
    for (const ContextEntry &e : ctx.entries("app"))
        paths << QString::fromStdString(e.path);
    QCOMPARE(paths, QStringList({"app", "app/build/keep.txt", "app/main.c"}));
}

void TestDockerignore::hashIgnoresMtime()
{
    QTemporaryDir dir;
    const QString root = dir.path();
    put(root, "f.txt", "hello");
    BuildContext ctx(root.toStdString());
    std::string before = ctx.contentHash({"f.txt"});
    struct utimbuf times = {1000000, 1000000};
    QCOMPARE(::utime((root + "/f.txt").toLocal8Bit().constData(), &times), 0);
    QCOMPARE(ctx.contentHash({"f.txt"}), before);
    // Rewriting the same bytes (a new inode, a new mtime) keeps the hash too.
    put(root, "f.txt", "hello");
    QCOMPARE(ctx.contentHash({"f.txt"}), before);
    QVERIFY(QString::fromStdString(before).startsWith("sha256:"));
    QCOMPARE(before.size(), size_t(7 + 64));
}

void TestDockerignore::hashFollowsContentModeNamesLinks()
{
    QTemporaryDir dir;
    const QString root = dir.path();
    put(root, "d/f.txt", "hello");
    QVERIFY(QFile::link("f.txt", root + "/d/l"));
    BuildContext ctx(root.toStdString());
    const std::string base = ctx.contentHash({"d"});
    put(root, "d/f.txt", "hellO");
    const std::string content = ctx.contentHash({"d"});
    QVERIFY(content != base);
    put(root, "d/f.txt", "hello", 0755);
    const std::string mode = ctx.contentHash({"d"});
    QVERIFY(mode != base && mode != content);
    put(root, "d/f.txt", "hello", 0644);
    QCOMPARE(ctx.contentHash({"d"}), base);
    QVERIFY(QFile::remove(root + "/d/l"));
    QVERIFY(QFile::link("other", root + "/d/l"));
    QVERIFY(ctx.contentHash({"d"}) != base);
    QVERIFY(QFile::remove(root + "/d/l"));
    QVERIFY(QFile::link("f.txt", root + "/d/l"));
    QCOMPARE(ctx.contentHash({"d"}), base);
    QVERIFY(QFile::rename(root + "/d/f.txt", root + "/d/g.txt"));
    QVERIFY(ctx.contentHash({"d"}) != base);
}

QTEST_GUILESS_MAIN(TestDockerignore)
#include "tst_dockerignore.moc"
