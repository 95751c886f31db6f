// The lessons: every lesson in lessons/ parses and says only what Hood can do, the
// parser rejects bad input with one exact sentence, and the dock steps, performs
// actions through LessonActions, reveals answers and remembers progress.
#include "lessonactions.h"
#include "lessonlibrary.h"
#include "lessonparser.h"
#include "lessonrunner.h"
#include "lessonsdock.h"
#include "lessonvocabulary.h"

#include <QStandardPaths>
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSvgRenderer>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace hood::gui;

namespace {

const QString kLessonsDir = QStringLiteral(HOOD_SOURCE_DIR "/lessons");
// 01-first and 02-second are good, 03-broken has no level, notes/ is no lesson folder.
const QString kFixtureLessons = QStringLiteral(HOOD_FIXTURES_DIR "/lessons");

QString readFixture(const QString &relative)
{
    QFile file(kFixtureLessons + "/" + relative);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// Six lines, so a lesson body starts on line 7.
const QString kFront = QStringLiteral("---\ntitle: T\nlevel: beginner\nminutes: 5\n"
                                      "prerequisites: []\n---\n");

QString fence(const QString &info, const QString &body)
{
    return "```" + info + "\n" + body + (body.isEmpty() ? "" : "\n") + "```\n";
}

QString stepWithAction(const QString &name, const QString &json)
{
    return kFront + "## S\ntext\n" + fence("action " + name, json);
}

// Markdown links and images outside code: [text](target) and ![alt](target), plus
// autolinks <https://...>.
QStringList linkTargets(QString markdown)
{
    static const QRegularExpression fencedCode(QStringLiteral("```.*?```"),
                                               QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression inlineCode(QStringLiteral("`[^`\n]*`"));
    static const QRegularExpression link(QStringLiteral("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)"));
    static const QRegularExpression autolink(QStringLiteral("<(https?://[^>\\s]+)>"));
    markdown.remove(fencedCode).remove(inlineCode);
    QStringList targets;
    for (const QRegularExpression *re : {&link, &autolink}) {
        for (const QRegularExpressionMatch &m : re->globalMatch(markdown))
            targets << m.captured(1);
    }
    return targets;
}

QStringList imageTargets(const QString &markdown)
{
    static const QRegularExpression image(QStringLiteral("!\\[[^\\]]*\\]\\(([^)\\s]+)"));
    QStringList targets;
    for (const QRegularExpressionMatch &m : image.globalMatch(markdown))
        targets << m.captured(1);
    return targets;
}

QString allMarkdown(const Lesson &lesson)
{
    QStringList parts{lesson.summary};
    for (const LessonStep &step : lesson.steps)
        parts << step.markdown << step.predict << step.reveal;
    return parts.join("\n\n");
}

// Records every call. The actions that take time end at once, unless `slow` names
// them: those end `delayMs` later (a stop that takes a while), or fail with
// `failure` when it is set.
class FakeActions : public LessonActions {
public:
    void launch(const LaunchRequest &request, ActionDone done) override
    {
        calls << "launch";
        launches << request;
        finish("launch", done);
    }
    void openPage(const QString &page) override { calls << "open-page " + page; }
    void highlight(const QString &page, const QString &key) override
    {
        calls << "highlight " + page + " " + key;
    }
    void typeInConsole(const QString &text) override { calls << "type " + text; }
    void stopContainer(ActionDone done) override
    {
        calls << "stop";
        finish("stop", done);
    }
    void killContainer(const QString &signal, ActionDone done) override
    {
        calls << "kill " + signal;
        finish("kill", done);
    }
    void waitFor(const WaitCondition &condition, ActionDone done) override
    {
        calls << "wait-for " + condition.value;
        waits << condition;
        finish("wait-for", done);
    }

    QStringList calls;
    QList<LaunchRequest> launches;
    QList<WaitCondition> waits;
    QStringList slow;
    int delayMs = 300;
    QString failure;

private:
    void finish(const QString &name, const ActionDone &done)
    {
        if (!slow.contains(name)) {
            done({});
            return;
        }
        QTimer::singleShot(delayMs, [this, name, done] {
            calls << name + " done";
            done(failure);
        });
    }
};

QString screenshotDir()
{
    const QString dir = QStringLiteral(HOOD_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir;
}

} // namespace

class TestLessons : public QObject {
    Q_OBJECT

public:
    // Before anything makes a QSettings: the test's settings go to a test location
    // (~/.qttest), never to the person's own.
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void initTestCase();
    void init();

    void everyLessonParses();
    void frontMatter_data();
    void frontMatter();
    void actionsAreValid_data();
    void actionsAreValid();
    void imagesAndLinksExist_data();
    void imagesAndLinksExist();

    void parserReadsALesson();
    void parserErrors_data();
    void parserErrors();
    void loadReportsUnreadableFile();
    void lessonsDirectoryFollowsTheEnvironment();
    void launchRequestHasEveryArgument();
    void describesActions_data();
    void describesActions();

    void doItPerformsTheStepsActions();
    void doItNeedsAWindow();
    void waitConditionFromArguments_data();
    void waitConditionFromArguments();
    void doItWaitsForEachAction();
    void doItStopsAtTheFirstFailure();
    void anotherStepCancelsDoIt();
    void waitForHoldsTheRestBack();
    void nextAndBackMove();
    void keysMove();
    void predictHidesTheAnswerUntilRevealed();
    void progressIsRemembered();
    void brokenLessonShowsItsError();
    void presentationScaleEnlargesFonts();
    void screenshot();

private:
    QTemporaryDir m_settings;
    QList<LessonEntry> m_lessons;
};

void TestLessons::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_settings.isValid());
    // Progress goes to QSettings: keep the user's own settings out of the test.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settings.path());
    QCoreApplication::setOrganizationName("hood-tests");
    QCoreApplication::setApplicationName("tst_lessons");
    m_lessons = loadLessons(kLessonsDir);
}

void TestLessons::init()
{
    QSettings().clear();
}

// ---- the lessons in lessons/ ----

void TestLessons::everyLessonParses()
{
    QVERIFY2(m_lessons.size() >= 2, qPrintable("lessons found in " + kLessonsDir));
    for (const LessonEntry &entry : m_lessons)
        QVERIFY2(entry.lesson, qPrintable(entry.error));
    // Folders that look like lessons but have no lesson.md would be skipped silently.
    for (const QString &dir : QDir(kLessonsDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        QVERIFY2(QFileInfo::exists(kLessonsDir + "/" + dir + "/lesson.md"),
                 qPrintable(dir + " has no lesson.md"));
}

void TestLessons::frontMatter_data()
{
    QTest::addColumn<int>("index");
    if (m_lessons.isEmpty())
        QSKIP("no lessons were found (everyLessonParses says where it looked)");
    for (int i = 0; i < m_lessons.size(); ++i)
        QTest::addRow("%s", qPrintable(m_lessons[i].slug)) << i;
}

void TestLessons::frontMatter()
{
    QFETCH(int, index);
    const LessonEntry &entry = m_lessons[index];
    QVERIFY2(entry.lesson, qPrintable(entry.error));
    const Lesson &lesson = *entry.lesson;
    QVERIFY(!lesson.title.isEmpty());
    QVERIFY(QStringList({"beginner", "intermediate", "advanced"}).contains(lesson.level));
    QVERIFY(lesson.minutes >= 5 && lesson.minutes <= 120);
    QVERIFY2(lesson.steps.size() >= 3, "a lesson of fewer than three steps is a paragraph");
    for (const QString &prerequisite : lesson.prerequisites) {
        const auto found =
            std::find_if(m_lessons.begin(), m_lessons.end(),
                         [&](const LessonEntry &e) { return e.slug == prerequisite; });
        QVERIFY2(found != m_lessons.end(), qPrintable("no lesson " + prerequisite));
        // Coming first in the contents rules out cycles.
        QVERIFY2(found->slug < entry.slug, qPrintable(prerequisite + " comes after " + entry.slug));
    }
}

void TestLessons::actionsAreValid_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QJsonObject>("args");
    if (m_lessons.isEmpty())
        QSKIP("no lessons were found (everyLessonParses says where it looked)");
    for (const LessonEntry &entry : m_lessons) {
        if (!entry.lesson)
            continue;
        for (const LessonStep &step : entry.lesson->steps) {
            for (const LessonAction &action : step.actions)
                QTest::addRow("%s:%d %s", qPrintable(entry.slug), action.line,
                              qPrintable(action.name))
                    << action.name << action.args;
        }
    }
}

void TestLessons::actionsAreValid()
{
    QFETCH(QString, name);
    QFETCH(QJsonObject, args);
    QVERIFY(lessonActionNames().contains(name));
    QCOMPARE(checkAction(name, args), QString());
}

void TestLessons::imagesAndLinksExist_data()
{
    QTest::addColumn<QString>("dir");
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("image");
    if (m_lessons.isEmpty())
        QSKIP("no lessons were found (everyLessonParses says where it looked)");
    for (const LessonEntry &entry : m_lessons) {
        if (!entry.lesson)
            continue;
        const QString markdown = allMarkdown(*entry.lesson);
        const QStringList images = imageTargets(markdown);
        for (const QString &target : linkTargets(markdown))
            QTest::addRow("%s %s", qPrintable(entry.slug), qPrintable(target))
                << entry.dir << target << images.contains(target);
    }
}

void TestLessons::imagesAndLinksExist()
{
    QFETCH(QString, dir);
    QFETCH(QString, target);
    QFETCH(bool, image);
    const QUrl url(target, QUrl::StrictMode);
    QVERIFY2(url.isValid(), qPrintable(url.errorString()));
    if (!url.isRelative()) {
        QVERIFY2(!image, "images come from the lesson's folder, not from the web");
        QVERIFY(url.scheme() == "https" || url.scheme() == "http");
        QVERIFY(!url.host().isEmpty() && url.host().contains('.'));
        return;
    }
    const QString path = QDir(dir).absoluteFilePath(url.path());
    QVERIFY2(QFileInfo(path).isFile(), qPrintable(path + " does not exist"));
    if (image && path.endsWith(".svg"))
        QVERIFY2(QSvgRenderer(path).isValid(), qPrintable(path + " is not a valid SVG"));
    else if (image)
        QVERIFY2(!QImage(path).isNull(), qPrintable(path + " is not an image"));
}

// ---- the parser ----

void TestLessons::parserReadsALesson()
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

void TestLessons::parserErrors_data()
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
           "open-page, highlight, type, stop, kill, wait-for)";
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
           "of launcher, namespaces, resources, mounts, processes, console, commands, startup";
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
        << "x.md:9: step \"S\", action \"wait-for\": needs exactly one of \"state\", \"console\" and "
           "\"file\"";
    QTest::addRow("wait-for-two")
        << stepWithAction("wait-for", R"({"state": "running", "file": "/tmp/ready"})")
        << "x.md:9: step \"S\", action \"wait-for\": needs exactly one of \"state\", \"console\" and "
           "\"file\"";
    QTest::addRow("wait-for-bad-state")
        << stepWithAction("wait-for", R"({"state": "paused"})")
        << "x.md:9: step \"S\", action \"wait-for\": argument \"state\" must be one of running, stopped";
    QTest::addRow("wait-for-relative-file")
        << stepWithAction("wait-for", R"({"file": "tmp/ready"})")
        << "x.md:9: step \"S\", action \"wait-for\": argument \"file\" must be an absolute path in the "
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

void TestLessons::parserErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QString error;
    const std::optional<Lesson> lesson = parseLesson(text, "x.md", &error);
    QVERIFY(!lesson);
    QCOMPARE(error, message);
}

void TestLessons::loadReportsUnreadableFile()
{
    QString error;
    const QString path = kFixtureLessons + "/missing/lesson.md";
    QVERIFY(!loadLessonFile(path, &error));
    QCOMPARE(error, "open " + path + ": no such file or directory");
}

void TestLessons::lessonsDirectoryFollowsTheEnvironment()
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

void TestLessons::launchRequestHasEveryArgument()
{
    const QJsonObject args = QJsonDocument::fromJson(R"({
        "image": "busybox", "command": ["hood-demo", "cpu", "2"],
        "namespaces": ["pid", "mnt", "uts"], "memory": "64M", "cpus": 0.5, "pids": 50,
        "hostname": "inside", "chroot": true, "rootless": false, "name": "burner"})")
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
    QVERIFY(launchRequest(args) == expected);

    // Nothing given: every field says "the launcher's default".
    const LaunchRequest empty = launchRequest({});
    QVERIFY(empty == LaunchRequest());
    QVERIFY(!empty.namespaces && !empty.cpus && !empty.pids && !empty.chroot && !empty.rootless);
    // An empty list is not "unset": it shares every namespace it can with the host.
    QVERIFY(launchRequest({{"namespaces", QJsonArray{"mnt"}}}).namespaces == QStringList{"mnt"});
}

void TestLessons::describesActions_data()
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

void TestLessons::describesActions()
{
    QFETCH(QString, name);
    QFETCH(QString, json);
    QFETCH(QString, text);
    const QJsonObject args = QJsonDocument::fromJson(json.toUtf8()).object();
    QCOMPARE(checkAction(name, args), QString());
    QCOMPARE(describeAction({name, args, 1}), text);
}

// ---- the dock ----

void TestLessons::doItPerformsTheStepsActions()
{
    LessonsDock dock(kFixtureLessons);
    FakeActions fake;
    dock.setActions(&fake);
    QCOMPARE(dock.lessons().size(), 3);
    QVERIFY(dock.openLesson("01-first", 0));
    auto *doIt = dock.findChild<QPushButton *>("doItButton");
    QVERIFY(doIt && doIt->isEnabled());
    QTest::mouseClick(doIt, Qt::LeftButton);
    QCOMPARE(fake.calls, QStringList({"stop", "launch", "open-page resources"}));
    QCOMPARE(fake.launches.size(), 1);
    const LaunchRequest &r = fake.launches[0];
    QCOMPARE(r.command, QStringList({"hood-demo", "mem", "200M"}));
    QCOMPARE(r.memory, "64M");
    QCOMPARE(r.cpus, 0.5);
    QCOMPARE(r.pids, 50);
    QCOMPARE(r.namespaces, QStringList({"pid", "mnt", "uts"}));
    QCOMPARE(r.hostname, "inside");
    QCOMPARE(r.chroot, true);
    QVERIFY(!r.rootless);
    QCOMPARE(r.name, "hog");
    QVERIFY(r.image.isEmpty());

    fake.calls.clear();
    QVERIFY(dock.openLesson("01-first", 1));
    QTest::mouseClick(doIt, Qt::LeftButton);
    QCOMPARE(fake.calls, QStringList({"highlight namespaces net", "type hostname\n", "kill KILL"}));

    // The step lists what "Do it" does, in words.
    const QString shown = dock.findChild<QTextBrowser *>("lessonBrowser")->toPlainText();
    QVERIFY2(shown.contains(QString::fromUtf8("Type \u201chostname \u23ce\u201d in the console")),
             qPrintable(shown));
    // A step without actions has no "Do it".
    QVERIFY(dock.openLesson("01-first", 2));
    QVERIFY(doIt->isHidden());
}

void TestLessons::doItNeedsAWindow()
{
    LessonsDock dock(kFixtureLessons);
    QVERIFY(dock.openLesson("01-first", 0));
    auto *doIt = dock.findChild<QPushButton *>("doItButton");
    QVERIFY(!doIt->isEnabled());
    dock.doIt(); // must not crash without a window to act on
    FakeActions fake;
    dock.setActions(&fake);
    QVERIFY(doIt->isEnabled());
}

void TestLessons::waitConditionFromArguments_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("timeoutMs");
    QTest::addRow("state") << R"({"state": "stopped"})" << int(WaitCondition::Kind::State) << "stopped" << 10000;
    QTest::addRow("console") << R"({"console": "/ # ", "timeout": 3})" << int(WaitCondition::Kind::Console) << "/ # "
                             << 3000;
    QTest::addRow("file") << R"({"file": "/tmp/ready", "timeout": 0.25})" << int(WaitCondition::Kind::File)
                          << "/tmp/ready" << 250;
}

void TestLessons::waitConditionFromArguments()
{
    QFETCH(QString, json);
    QFETCH(int, kind);
    QFETCH(QString, value);
    QFETCH(int, timeoutMs);
    const QJsonObject args = QJsonDocument::fromJson(json.toUtf8()).object();
    QCOMPARE(checkAction("wait-for", args), QString());
    const WaitCondition c = waitCondition(args);
    QCOMPARE(int(c.kind), kind);
    QCOMPARE(c.value, value);
    QCOMPARE(c.timeoutMs, timeoutMs);
}

// 01-first's first step is stop, launch, open-page: the launch waits for the stop.
void TestLessons::doItWaitsForEachAction()
{
    LessonsDock dock(kFixtureLessons);
    FakeActions fake;
    fake.slow = QStringList {"stop"};
    dock.setActions(&fake);
    QVERIFY(dock.openLesson("01-first", 0));
    QSignalSpy finished(&dock, &LessonsDock::doItFinished);
    dock.doIt();
    QCOMPARE(fake.calls, QStringList({"stop"}));
    QVERIFY(dock.isDoingIt());
    QVERIFY2(dock.status().contains("Stop the container"), qPrintable(dock.status()));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toString(), QString());
    QCOMPARE(fake.calls, QStringList({"stop", "stop done", "launch", "open-page resources"}));
    QVERIFY(!dock.isDoingIt());
    QVERIFY(dock.status().isEmpty());
}

void TestLessons::doItStopsAtTheFirstFailure()
{
    LessonsDock dock(kFixtureLessons);
    FakeActions fake;
    fake.slow = QStringList {"stop"};
    fake.failure = "stop web: the monitor did not answer.";
    dock.setActions(&fake);
    QVERIFY(dock.openLesson("01-first", 0));
    QSignalSpy finished(&dock, &LessonsDock::doItFinished);
    dock.doIt();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(finished.first().first().toString(), fake.failure);
    QCOMPARE(fake.calls, QStringList({"stop", "stop done"}));
    QCOMPARE(dock.status(), "Stopped: " + fake.failure);
}

void TestLessons::anotherStepCancelsDoIt()
{
    LessonsDock dock(kFixtureLessons);
    FakeActions fake;
    fake.slow = QStringList {"stop"};
    dock.setActions(&fake);
    QVERIFY(dock.openLesson("01-first", 0));
    dock.doIt();
    dock.nextStep();
    QVERIFY(!dock.isDoingIt());
    QTest::qWait(fake.delayMs + 200);
    // The stop ended after the reader moved on: the launch no longer applies.
    QCOMPARE(fake.calls, QStringList({"stop", "stop done"}));
}

void TestLessons::waitForHoldsTheRestBack()
{
    auto action = [](const QString &name, const QString &json) {
        return LessonAction {name, QJsonDocument::fromJson(json.toUtf8()).object(), 1};
    };
    const QList<LessonAction> actions = {action("launch", R"({"command": ["sh"]})"),
                                         action("wait-for", R"({"console": "/ # "})"),
                                         action("type", R"({"text": "touch /tmp/ready\n"})"),
                                         action("wait-for", R"({"file": "/tmp/ready", "timeout": 5})"),
                                         action("open-page", R"({"page": "startup"})")};
    for (const LessonAction &a : actions)
        QCOMPARE(checkAction(a.name, a.args), QString());
    FakeActions fake;
    fake.slow = QStringList {"launch", "wait-for"};
    fake.delayMs = 100;
    LessonRunner runner;
    QSignalSpy started(&runner, &LessonRunner::actionStarted);
    QSignalSpy finished(&runner, &LessonRunner::finished);
    runner.run(actions, fake);
    QCOMPARE(fake.calls, QStringList({"launch"}));
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(fake.calls, QStringList({"launch", "launch done", "wait-for / # ", "wait-for done",
                                      "type touch /tmp/ready\n", "wait-for /tmp/ready", "wait-for done",
                                      "open-page startup"}));
    QCOMPARE(started.size(), 5);
    QCOMPARE(started.at(3).at(1).toString(), "Wait for /tmp/ready in the container (at most 5 s)");
    QCOMPARE(fake.waits.last().timeoutMs, 5000);
}

void TestLessons::nextAndBackMove()
{
    LessonsDock dock(kFixtureLessons);
    QVERIFY(dock.openLesson("01-first", 0));
    auto *next = dock.findChild<QPushButton *>("nextButton");
    auto *back = dock.findChild<QPushButton *>("previousButton");
    auto *counter = dock.findChild<QLabel *>("stepCounter");
    QVERIFY(!back->isEnabled());
    QCOMPARE(counter->text(), "Step 1 of 3");
    QSignalSpy changed(&dock, &LessonsDock::stepChanged);

    QTest::mouseClick(next, Qt::LeftButton);
    QCOMPARE(dock.currentStep(), 1);
    QCOMPARE(counter->text(), "Step 2 of 3");
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0), QVariantList({"01-first", 1}));
    QTest::mouseClick(next, Qt::LeftButton);
    QCOMPARE(dock.currentStep(), 2);
    QVERIFY(next->text().startsWith("Finish"));
    // Past the last step: the next lesson.
    QTest::mouseClick(next, Qt::LeftButton);
    QCOMPARE(dock.currentLesson(), "02-second");
    QCOMPARE(dock.currentStep(), 0);
    // Back from a first step: the previous lesson's last step.
    QTest::mouseClick(back, Qt::LeftButton);
    QCOMPARE(dock.currentLesson(), "01-first");
    QCOMPARE(dock.currentStep(), 2);
    QTest::mouseClick(back, Qt::LeftButton);
    QCOMPARE(dock.currentStep(), 1);
    // The browser shows the step's title and text.
    const QString shown = dock.findChild<QTextBrowser *>("lessonBrowser")->toPlainText();
    QVERIFY2(shown.startsWith("Look around"), qPrintable(shown));
    // The contents list each step under its lesson.
    auto *contents = dock.findChild<QTreeWidget *>("lessonsContents");
    QCOMPARE(contents->topLevelItemCount(), 3);
    QCOMPARE(contents->topLevelItem(0)->childCount(), 3);
    QCOMPARE(contents->currentItem(), contents->topLevelItem(0)->child(1));
    QVERIFY(!dock.openLesson("01-first", 3));
    QVERIFY(!dock.openLesson("04-none", 0));
}

void TestLessons::keysMove()
{
    QWidget window;
    auto *dock = new LessonsDock(kFixtureLessons, &window);
    auto *other = new QPushButton("elsewhere", &window);
    other->move(0, 600);
    dock->resize(400, 580);
    window.resize(420, 640);
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QVERIFY(dock->openLesson("01-first", 0));

    // Alt+arrows work from anywhere in the window.
    other->setFocus();
    QTest::keyClick(other, Qt::Key_Right, Qt::AltModifier);
    QCOMPARE(dock->currentStep(), 1);
    QTest::keyClick(other, Qt::Key_Left, Qt::AltModifier);
    QCOMPARE(dock->currentStep(), 0);
    // PageDown / PageUp only while the dock has focus, even in the step's text.
    QTest::keyClick(other, Qt::Key_PageDown);
    QCOMPARE(dock->currentStep(), 0);
    auto *browser = dock->findChild<QTextBrowser *>("lessonBrowser");
    browser->setFocus();
    QTest::keyClick(browser, Qt::Key_PageDown);
    QCOMPARE(dock->currentStep(), 1);
    QTest::keyClick(browser, Qt::Key_Right, Qt::AltModifier);
    QCOMPARE(dock->currentStep(), 2);
    QTest::keyClick(browser, Qt::Key_PageUp);
    QCOMPARE(dock->currentStep(), 1);
    auto *contents = dock->findChild<QTreeWidget *>("lessonsContents");
    contents->setFocus();
    QTest::keyClick(contents, Qt::Key_PageDown);
    QCOMPARE(dock->currentStep(), 2);

    // Ctrl+Enter does the step's actions, Ctrl+Shift+Enter reveals, from anywhere.
    FakeActions fake;
    dock->setActions(&fake);
    QVERIFY(dock->openLesson("01-first", 0));
    other->setFocus();
    QTest::keyClick(other, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(fake.calls, QStringList({"stop", "launch", "open-page resources"}));
    QVERIFY(!browser->toPlainText().contains("The OOM killer ends it."));
    QTest::keyClick(other, Qt::Key_Return, Qt::ControlModifier | Qt::ShiftModifier);
    QVERIFY(browser->toPlainText().contains("The OOM killer ends it."));
    dock->setActions(nullptr);
}

void TestLessons::predictHidesTheAnswerUntilRevealed()
{
    LessonsDock dock(kFixtureLessons);
    dock.resize(420, 700);
    dock.show();
    QVERIFY(dock.openLesson("01-first", 0));
    auto *browser = dock.findChild<QTextBrowser *>("lessonBrowser");
    auto *reveal = dock.findChild<QPushButton *>("revealButton");
    const QString answer = "The OOM killer ends it.";
    QVERIFY(reveal->isVisible() && reveal->isEnabled());
    QVERIFY(browser->toPlainText().contains("What happens at 64M?")); // Markdown: **64M**
    QVERIFY(!browser->toPlainText().contains(answer));
    QTest::mouseClick(reveal, Qt::LeftButton);
    QVERIFY2(browser->toPlainText().endsWith("Answer. " + answer),
             qPrintable(browser->toPlainText()));
    QVERIFY(!reveal->isEnabled());
    // A new step hides the answer again; a step without a question has no button.
    dock.nextStep();
    QVERIFY(!reveal->isVisible());
    dock.previousStep();
    QVERIFY(reveal->isVisible() && reveal->isEnabled());
    QVERIFY(!browser->toPlainText().contains(answer));
    dock.reveal();
    QVERIFY(browser->toPlainText().contains(answer));
}

void TestLessons::progressIsRemembered()
{
    const QString dir = kFixtureLessons;
    {
        LessonsDock dock(dir);
        QVERIFY(dock.openLesson("01-first", 0));
        dock.nextStep();
        dock.nextStep();
        dock.nextStep(); // finishes 01-first, opens 02-second
        dock.nextStep();
        QCOMPARE(dock.currentLesson(), "02-second");
        QCOMPARE(dock.currentStep(), 1);
        auto *contents = dock.findChild<QTreeWidget *>("lessonsContents");
        const QString tick = QString::fromUtf8("\u2713");
        QCOMPARE(contents->topLevelItem(0)->text(0), tick + " First lesson");
        QCOMPARE(contents->topLevelItem(1)->child(0)->text(0), tick + " 1. One");
        QVERIFY(!contents->topLevelItem(1)->text(0).startsWith(tick));
    }
    LessonProgress progress;
    QCOMPARE(progress.doneSteps("01-first"), QSet<int>({0, 1, 2}));
    QVERIFY(progress.isComplete("01-first", 3));
    QCOMPARE(progress.doneSteps("02-second"), QSet<int>({0}));
    QCOMPARE(progress.currentLesson(), "02-second");

    LessonsDock reopened(dir);
    QCOMPARE(reopened.currentLesson(), "02-second");
    QCOMPARE(reopened.currentStep(), 1);
    // Opening a lesson from the contents resumes where it was left.
    reopened.openLesson("01-first", 1);
    auto *contents = reopened.findChild<QTreeWidget *>("lessonsContents");
    contents->itemClicked(contents->topLevelItem(1), 0);
    QCOMPARE(reopened.currentLesson(), "02-second");
    QCOMPARE(reopened.currentStep(), 1);
}

void TestLessons::brokenLessonShowsItsError()
{
    LessonsDock dock(kFixtureLessons);
    QVERIFY(dock.openLesson("03-broken", 0));
    const QString shown = dock.findChild<QTextBrowser *>("lessonBrowser")->toPlainText();
    QVERIFY2(shown.contains("the front matter has no level"), qPrintable(shown));
    auto *contents = dock.findChild<QTreeWidget *>("lessonsContents");
    QVERIFY(contents->topLevelItem(2)->text(0).contains("03-broken (cannot be read)"));
    dock.previousStep();
    QCOMPARE(dock.currentLesson(), "02-second");
}

void TestLessons::presentationScaleEnlargesFonts()
{
    LessonsDock dock(kFixtureLessons);
    auto *browser = dock.findChild<QTextBrowser *>("lessonBrowser");
    const qreal normal = browser->font().pointSizeF();
    QVERIFY(normal >= 11);
    dock.setPresentationScale(2.0);
    QCOMPARE(dock.presentationScale(), 2.0);
    QCOMPARE(browser->font().pointSizeF(), 2 * normal);
    QCOMPARE(dock.findChild<QPushButton *>("nextButton")->font().pointSizeF(), 2 * normal);
    dock.setPresentationScale(1.0);
    QCOMPARE(browser->font().pointSizeF(), normal);
}

void TestLessons::screenshot()
{
    // The real lessons, at the step with the most on it: a diagram, "Do it" and a question.
    const auto cgroups = std::find_if(m_lessons.begin(), m_lessons.end(),
                                      [](const LessonEntry &e) { return e.slug == "02-cgroups"; });
    QVERIFY(cgroups != m_lessons.end() && cgroups->lesson);
    int step = 0;
    while (step < cgroups->lesson->steps.size()
           && (cgroups->lesson->steps[step].actions.isEmpty()
               || cgroups->lesson->steps[step].predict.isEmpty()
               || imageTargets(cgroups->lesson->steps[step].markdown).isEmpty()))
        ++step;
    QVERIFY2(step < cgroups->lesson->steps.size(),
             "no step with a diagram, actions and a question");
    LessonProgress().markDone("01-namespaces", 0);

    struct Shot {
        const char *file;
        double scale;
        QSize size;
        const char *lesson;
        int step;
        bool revealed;
    };
    const Shot shots[] = {
        {"lessons-dock.png", 1.0, {520, 900}, "02-cgroups", step, false},
        {"lessons-dock-revealed.png", 1.0, {520, 900}, "02-cgroups", 1, true},
        {"lessons-dock-namespaces.png", 1.0, {520, 900}, "01-namespaces", 0, false},
        {"lessons-dock-presentation.png", 1.75, {800, 1000}, "02-cgroups", step, false}};
    for (const Shot &shot : shots) {
        LessonsDock dock(kLessonsDir);
        FakeActions fake;
        dock.setActions(&fake);
        dock.setPresentationScale(shot.scale);
        QVERIFY(dock.openLesson(shot.lesson, shot.step));
        dock.resize(shot.size);
        dock.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dock));
        if (shot.revealed)
            dock.reveal();
        const QString file = screenshotDir() + "/" + shot.file;
        QVERIFY(dock.grab().save(file, "PNG"));
        qInfo("screenshot: %s", qPrintable(file));
    }
}

QTEST_MAIN(TestLessons)
#include "tst_lessons.moc"
