// The lesson parser rejects bad input with one exact sentence, and the vocabulary
// turns actions into launch requests, descriptions and wait conditions.
#include "lessonactions.h"
#include "lessonlibrary.h"
#include "lessonparser.h"
#include "lessonrunner.h"
#include "lessonsdock.h"
#include "lessonvocabulary.h"
#include "lessontest.h"

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSvgRenderer>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace hood::gui;
using namespace lessontest;

class TestLessonParser : public QObject {
    Q_OBJECT

public:
    // Before anything makes a QSettings: the test's settings go to a test location.
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void initTestCase();
    void init();
    void parserReadsALesson();
    void parserErrors_data();
    void parserErrors();
    void loadReportsUnreadableFile();
    void lessonsDirectoryFollowsTheEnvironment();
    void launchRequestHasEveryArgument();
    void describesActions_data();
    void describesActions();

private:
    QTemporaryDir m_settings;
};

void TestLessonParser::initTestCase()
{
    QVERIFY(m_settings.isValid());
    useOwnSettings(m_settings, "tst_lessonparser");
}

void TestLessonParser::init()
{
    QSettings().clear();
}

// ---- the parser ----

void TestLessonParser::parserReadsALesson()
{
    const QString text =
        readFixture("01-first/lesson.md")
            .replace("No actions here.",
                     "No actions here.\n\n````md\n## not a step\n```action stop\n```\n````");
    QString error;
    const std::optional<Lesson> lesson = parseLesson(text, "first.md", &error);
    QVERIFY2(lesson, qPrintable(error));
    QCOMPARE(lesson->title, "First lesson");
    QCOMPARE(lesson->level, "beginner");
    QCOMPARE(lesson->minutes, 5);
    QCOMPARE(lesson->prerequisites, QStringList());
    QCOMPARE(lesson->summary, "An introduction.");
    QCOMPARE(lesson->steps.size(), 3);

    const LessonStep &first = lesson->steps[0];
    QCOMPARE(first.title, "Launch it");
    QCOMPARE(first.line, 9);
    QCOMPARE(first.markdown, "Launch a memory hog.");
    QCOMPARE(first.predict, "What happens at **64M**?");
    QCOMPARE(first.reveal, "The OOM killer ends it.");
    QCOMPARE(first.actions.size(), 3);
    QCOMPARE(first.actions[0].name, "stop");
    QCOMPARE(first.actions[0].args, QJsonObject());
    QCOMPARE(first.actions[1].name, "launch");
    QCOMPARE(first.actions[1].line, 15);
    QCOMPARE(first.actions[1].args["memory"].toString(), "64M");
    QCOMPARE(first.actions[2].args, QJsonObject({{"page", "resources"}}));

    QCOMPARE(lesson->steps[1].actions.size(), 3);
    QCOMPARE(lesson->steps[1].markdown, QString());
    // A code block in a step is Markdown, even when it looks like a step or an action.
    const LessonStep &last = lesson->steps[2];
    QVERIFY(last.actions.isEmpty());
    QCOMPARE(last.markdown, "No actions here.\n\n````md\n## not a step\n```action stop\n```\n````");

    QString second;
    const auto other = parseLesson(readFixture("02-second/lesson.md"), "second.md", &second);
    QVERIFY2(other, qPrintable(second));
    QCOMPARE(other->prerequisites, QStringList({"01-first"}));
    QCOMPARE(other->summary, QString());
}

void TestLessonParser::parserErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    const QString front = kFront;
    auto frontWith = [](const QString &line) {
        return "---\ntitle: T\n" + line + "\nminutes: 5\nprerequisites: []\n---\n## S\ntext\n";
    };
    QTest::addRow("no-front-matter")
        << "# Hello\n"
        << "x.md:1: a lesson starts with front matter between two --- lines";
    QTest::addRow("front-matter-not-closed")
        << "---\ntitle: T\n"
        << "x.md:1: the front matter is not closed by a --- line";
    QTest::addRow("missing-minutes") << "---\ntitle: T\nlevel: beginner\nprerequisites: []\n---\n"
                                     << "x.md:1: the front matter has no minutes";
    QTest::addRow("unknown-key") << frontWith("author: someone")
                                 << "x.md:3: unknown front matter key \"author\" (expected title, "
                                    "level, minutes, prerequisites)";
    QTest::addRow("key-twice") << frontWith("title: U")
                               << "x.md:3: the front matter sets title twice";
    QTest::addRow("not-key-value")
        << frontWith("just words")
        << "x.md:3: expected \"key: value\" in the front matter, not \"just words\"";
    QTest::addRow("empty-title") << "---\ntitle: \"\"\n---\n"
                                 << "x.md:2: the title is empty";
    QTest::addRow("bad-level")
        << frontWith("level: expert")
        << "x.md:3: level must be beginner, intermediate or advanced, not \"expert\"";
    QTest::addRow("bad-minutes")
        << "---\nminutes: ten\n---\n"
        << "x.md:2: minutes must be a whole number from 1 to 600, not \"ten\"";
    QTest::addRow("prerequisites-not-a-list")
        << "---\nprerequisites: 01-namespaces\n---\n"
        << "x.md:2: prerequisites must be a list in brackets, such as [01-namespaces] or []";
    QTest::addRow("bad-prerequisite")
        << "---\nprerequisites: [01-namespaces, Namespaces]\n---\n"
        << "x.md:2: prerequisite \"Namespaces\" is not a lesson folder name such as 01-namespaces";
    QTest::addRow("no-steps")
        << front + "Just text.\n"
        << "x.md:7: the lesson has no steps (each step starts with a ## heading)";
    QTest::addRow("h1-heading")
        << front + "# Title\n"
        << "x.md:7: a step starts with ## (the lesson's title is in the front matter)";
    QTest::addRow("empty-heading") << front + "## \ntext\n"
                                   << "x.md:7: a step has an empty ## heading";
    QTest::addRow("empty-step") << front + "## S\n\n## T\ntext\n"
                                << "x.md:7: step \"S\": the step is empty";
    QTest::addRow("unclosed-fence") << front + "## S\n```sh\nls\n"
                                    << "x.md:8: the code block opened here is never closed";
    QTest::addRow("action-outside-step")
        << front + fence("action stop", "") + "## S\ntext\n"
        << "x.md:7: the action block must be inside a step (after a ## heading)";
    QTest::addRow("action-without-name")
        << front + "## S\n" + fence("action", "")
        << "x.md:8: step \"S\": the action block names no action (write ```action NAME)";
    QTest::addRow("unknown-action")
        << stepWithAction("lauch", "")
        << "x.md:9: step \"S\": unknown action \"lauch\" (expected launch, "
           "open-page, highlight, type, stop, kill, wait-for, measure)";
    QTest::addRow("arguments-not-json") << stepWithAction("open-page", "page: resources")
                                        << "x.md:9: step \"S\", action \"open-page\": the "
                                           "arguments must be one JSON object, such as "
                                           "{\"page\": \"resources\"}";
    QTest::addRow("arguments-an-array")
        << stepWithAction("type", "[\"ls\"]")
        << "x.md:9: step \"S\", action \"type\": the arguments must be "
           "one JSON object, such as {\"page\": \"resources\"}";
    QTest::addRow("missing-argument")
        << stepWithAction("open-page", "")
        << "x.md:9: step \"S\", action \"open-page\": argument \"page\" is missing";
    QTest::addRow("unknown-argument")
        << stepWithAction("launch", R"({"memroy": "64M"})")
        << "x.md:9: step \"S\", action \"launch\": unknown argument \"memroy\"";
    QTest::addRow("stop-takes-nothing")
        << stepWithAction("stop", R"({"force": true})")
        << "x.md:9: step \"S\", action \"stop\": unknown argument \"force\"";
    QTest::addRow("bad-memory")
        << stepWithAction("launch", R"({"memory": "64 MB"})")
        << "x.md:9: step \"S\", action \"launch\": argument \"memory\" must be a "
           "size such as 64M (a number with an optional unit K, M, G or T)";
    QTest::addRow("memory-a-number")
        << stepWithAction("launch", R"({"memory": 64})")
        << "x.md:9: step \"S\", action \"launch\": argument \"memory\" must "
           "be a size such as 64M (a number with an optional unit K, M, G or T)";
    QTest::addRow("bad-cpus")
        << stepWithAction("launch", R"({"cpus": 0})")
        << "x.md:9: step \"S\", action \"launch\": argument \"cpus\" must be a "
           "number greater than 0, such as 0.5";
    QTest::addRow("bad-pids")
        << stepWithAction("launch", R"({"pids": 2.5})")
        << "x.md:9: step \"S\", action \"launch\": argument \"pids\" must be a "
           "whole number from 1 to 4194304";
    QTest::addRow("command-not-a-list")
        << stepWithAction("launch", R"({"command": "sh"})")
        << "x.md:9: step \"S\", action \"launch\": argument \"command\" "
           "must be a non-empty list of strings, such as [\"sh\"]";
    QTest::addRow("bad-chroot")
        << stepWithAction("launch", R"({"chroot": "yes"})")
        << "x.md:9: step \"S\", action \"launch\": argument \"chroot\" must be "
           "true or false";
    QTest::addRow("bad-namespace")
        << stepWithAction("launch", R"({"namespaces": ["mnt", "mount"]})")
        << "x.md:9: step \"S\", action \"launch\": argument \"namespaces\" names "
           "\"mount\", which is not one of pid, mnt, uts, ipc, net, user, "
           "cgroup, time";
    QTest::addRow("namespace-twice")
        << stepWithAction("launch", R"({"namespaces": ["mnt", "pid", "pid"]})")
        << "x.md:9: step \"S\", action \"launch\": argument \"namespaces\" "
           "lists \"pid\" twice";
    QTest::addRow("namespaces-without-mnt")
        << stepWithAction("launch", R"({"namespaces": ["pid"]})")
        << "x.md:9: step \"S\", action \"launch\": argument \"namespaces\" must include \"mnt\": "
           "Hood "
           "sets up the root filesystem in the mount namespace";
    QTest::addRow("hostname-without-uts")
        << stepWithAction("launch", R"({"namespaces": ["mnt"], "hostname": "box"})")
        << "x.md:9: step \"S\", action \"launch\": argument \"hostname\" needs \"uts\" in "
           "namespaces: "
           "without its own uts namespace the container shares the host's name";
    QTest::addRow("bad-hostname")
        << stepWithAction("launch", R"({"hostname": "-box"})")
        << "x.md:9: step \"S\", action \"launch\": argument \"hostname\" must "
           "be a host name of at most 64 letters, digits, '-' and '.', "
           "starting with a letter or digit";
    QTest::addRow("bad-name")
        << stepWithAction("launch", R"({"name": "a b"})")
        << "x.md:9: step \"S\", action \"launch\": argument \"name\" is not a valid "
           "container name: invalid container ID \"a b\": character ' ' is not "
           "allowed (use letters, digits, _ . + -)";
    QTest::addRow("bad-page")
        << stepWithAction("open-page", R"({"page": "plots"})")
        << "x.md:9: step \"S\", action \"open-page\": argument \"page\" must be one "
           "of launcher, namespaces, resources, mounts, processes, console, commands, startup, layers, security";
    QTest::addRow("highlight-without-key")
        << stepWithAction("highlight", R"({"page": "mounts"})")
        << "x.md:9: step \"S\", action \"highlight\": argument \"key\" "
           "is missing";
    QTest::addRow("bad-resources-key")
        << stepWithAction("highlight", R"({"page": "resources", "key": "disk"})")
        << "x.md:9: step \"S\", action \"highlight\": argument \"key\" must be one of cpu, memory, "
           "pids, "
           "throttling on the resources page";
    QTest::addRow("bad-namespaces-key")
        << stepWithAction("highlight", R"({"page": "namespaces", "key": "network"})")
        << "x.md:9: step \"S\", action \"highlight\": argument \"key\" must be one of pid, mnt, "
           "uts, ipc, "
           "net, user, cgroup, time on the namespaces page";
    QTest::addRow("empty-text")
        << stepWithAction("type", R"({"text": ""})")
        << "x.md:9: step \"S\", action \"type\": argument \"text\" must be a "
           "non-empty string";
    QTest::addRow("bad-signal")
        << stepWithAction("kill", R"({"signal": "NOPE"})")
        << "x.md:9: step \"S\", action \"kill\": argument \"signal\" must be a "
           "signal name such as KILL or TERM";
    QTest::addRow("wait-for-nothing")
        << stepWithAction("wait-for", "{}")
        << "x.md:9: step \"S\", action \"wait-for\": needs exactly one of \"state\", \"console\", "
           "\"file\" and \"copy-up\"";
    QTest::addRow("wait-for-two")
        << stepWithAction("wait-for", R"({"state": "running", "file": "/tmp/ready"})")
        << "x.md:9: step \"S\", action \"wait-for\": needs exactly one of \"state\", \"console\", "
           "\"file\" and \"copy-up\"";
    QTest::addRow("wait-for-bad-state")
        << stepWithAction("wait-for", R"({"state": "paused"})")
        << "x.md:9: step \"S\", action \"wait-for\": argument \"state\" must be one of running, stopped";
    QTest::addRow("wait-for-relative-file")
        << stepWithAction("wait-for", R"({"file": "tmp/ready"})")
        << "x.md:9: step \"S\", action \"wait-for\": argument \"file\" must be an absolute path in the "
           "container, such as /tmp/ready, without \"..\"";
    QTest::addRow("wait-for-relative-copy-up")
        << stepWithAction("wait-for", R"({"copy-up": "etc/hostname"})")
        << "x.md:9: step \"S\", action \"wait-for\": argument \"copy-up\" must be an absolute path in the "
           "container, such as /tmp/ready, without \"..\"";
    QTest::addRow("wait-for-dotdot")
        << stepWithAction("wait-for", R"({"file": "/tmp/../../etc"})")
        << "x.md:9: step \"S\", action \"wait-for\": argument \"file\" must be an absolute path in the "
           "container, such as /tmp/ready, without \"..\"";
    QTest::addRow("wait-for-empty-console")
        << stepWithAction("wait-for", R"({"console": ""})")
        << "x.md:9: step \"S\", action \"wait-for\": argument \"console\" must be a non-empty string";
    QTest::addRow("wait-for-long-timeout")
        << stepWithAction("wait-for", R"({"state": "stopped", "timeout": 900})")
        << "x.md:9: step \"S\", action \"wait-for\": argument \"timeout\" must be a number of seconds "
           "greater than 0 and at most 300";
    QTest::addRow("wait-for-unknown-argument")
        << stepWithAction("wait-for", R"({"state": "stopped", "for": "web"})")
        << "x.md:9: step \"S\", action \"wait-for\": unknown argument \"for\"";
    QTest::addRow("predict-without-reveal")
        << front + "## S\ntext\n" + fence("predict", "Guess?")
        << "x.md:9: step \"S\": the predict block has no reveal block to answer it";
    QTest::addRow("reveal-before-predict")
        << front + "## S\ntext\n" + fence("reveal", "Answer.") + fence("predict", "Guess?")
        << "x.md:9: step \"S\": the reveal block has no predict block before it";
    QTest::addRow("two-predicts")
        << front + "## S\n" + fence("predict", "A?") + fence("reveal", "A.")
               + fence("predict", "B?")
        << "x.md:14: step \"S\": a second predict block (a step asks one question)";
    QTest::addRow("empty-predict") << front + "## S\n" + fence("predict", "  ")
                                   << "x.md:8: step \"S\": the predict block is empty";
    QTest::addRow("words-after-predict") << front + "## S\n" + fence("predict now", "A?")
                                         << "x.md:8: step \"S\": unexpected \"now\" after predict "
                                            "(the block's text goes on the lines below)";
}

void TestLessonParser::parserErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QString error;
    const std::optional<Lesson> lesson = parseLesson(text, "x.md", &error);
    QVERIFY(!lesson);
    QCOMPARE(error, message);
}

void TestLessonParser::loadReportsUnreadableFile()
{
    QString error;
    const QString path = kFixtureLessons + "/missing/lesson.md";
    QVERIFY(!loadLessonFile(path, &error));
    QCOMPARE(error, "open " + path + ": no such file or directory");
}

void TestLessonParser::lessonsDirectoryFollowsTheEnvironment()
{
    // While developing, the source tree's lessons; HOOD_LESSONS_DIR wins over it.
    QCOMPARE(lessonsDirectory(), QDir(kLessonsDir).absolutePath());
    const QString dir = kFixtureLessons;
    qputenv("HOOD_LESSONS_DIR", dir.toUtf8());
    const QString found = lessonsDirectory();
    LessonsDock dock;
    qunsetenv("HOOD_LESSONS_DIR");
    QCOMPARE(found, dir);
    QCOMPARE(dock.lessons().size(), 3);
    QCOMPARE(dock.lessons().front().slug, "01-first");
}

void TestLessonParser::launchRequestHasEveryArgument()
{
    const QJsonObject args = QJsonDocument::fromJson(R"({
        "image": "busybox", "command": ["hood-demo", "cpu", "2"],
        "namespaces": ["pid", "mnt", "uts"], "memory": "64M", "cpus": 0.5, "pids": 50,
        "hostname": "inside", "chroot": true, "rootless": false, "name": "burner", "seccomp": false})")
                                 .object();
    QCOMPARE(checkAction("launch", args), QString());
    LaunchRequest expected;
    expected.image = "busybox";
    expected.command = QStringList{"hood-demo", "cpu", "2"};
    expected.namespaces = QStringList{"pid", "mnt", "uts"};
    expected.memory = "64M";
    expected.cpus = 0.5;
    expected.pids = 50;
    expected.hostname = "inside";
    expected.chroot = true;
    expected.rootless = false;
    expected.name = "burner";
    expected.seccomp = false;
    QVERIFY(launchRequest(args) == expected);

    // Nothing given: every field says "the launcher's default".
    const LaunchRequest empty = launchRequest({});
    QVERIFY(empty == LaunchRequest());
    QVERIFY(!empty.namespaces && !empty.cpus && !empty.pids && !empty.chroot && !empty.rootless && !empty.seccomp);
    // An empty list is not "unset": it shares every namespace it can with the host.
    QVERIFY(launchRequest({{"namespaces", QJsonArray{"mnt"}}}).namespaces == QStringList{"mnt"});
}

void TestLessonParser::describesActions_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("text");
    QTest::addRow("launch") << "launch"
                            << R"({"command": ["hood-demo", "mem", "200M"], "memory": "64M"})"
                            << QString::fromUtf8(
                                   "Launch \u201chood-demo mem 200M\u201d (memory 64M)");
    QTest::addRow("launch-namespaces")
        << "launch"
        << R"({"namespaces": ["pid", "mnt", "uts", "ipc", "cgroup"], "name": "a"})"
        << "Launch the image's default command as a (own namespaces: pid mnt uts ipc cgroup; "
           "shared "
           "with the host: net user time)";
    QTest::addRow("open-page") << "open-page"
                               << R"({"page": "resources"})"
                               << "Open the Resources page";
    QTest::addRow("highlight") << "highlight"
                               << R"({"page": "namespaces", "key": "net"})"
                               << "Point at net on the Namespaces page";
    QTest::addRow("type") << "type"
                          << R"({"text": "hostname\n"})"
                          << QString::fromUtf8("Type \u201chostname \u23ce\u201d in the console");
    QTest::addRow("stop") << "stop"
                          << "{}"
                          << "Stop the container";
    QTest::addRow("kill") << "kill"
                          << R"({"signal": "KILL"})"
                          << "Send SIGKILL to the container";
    QTest::addRow("kill-default") << "kill"
                                  << "{}"
                                  << "Kill the container";
    QTest::addRow("wait-for-state") << "wait-for"
                                    << R"({"state": "running"})"
                                    << "Wait until the container is running (at most 10 s)";
    QTest::addRow("wait-for-console") << "wait-for"
                                      << R"({"console": "ready", "timeout": 2.5})"
                                      << QString::fromUtf8("Wait for \u201cready\u201d in the console (at most 2.5 s)");
    QTest::addRow("wait-for-file") << "wait-for"
                                   << R"({"file": "/tmp/ready", "timeout": 30})"
                                   << "Wait for /tmp/ready in the container (at most 30 s)";
}

void TestLessonParser::describesActions()
{
    QFETCH(QString, name);
    QFETCH(QString, json);
    QFETCH(QString, text);
    const QJsonObject args = QJsonDocument::fromJson(json.toUtf8()).object();
    QCOMPARE(checkAction(name, args), QString());
    QCOMPARE(describeAction({name, args, 1}), text);
}

QTEST_MAIN(TestLessonParser)
#include "tst_lessonparser.moc"
