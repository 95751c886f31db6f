// The lessons dock steps, performs actions in order through LessonActions, reveals
// answers, remembers progress, and reads at presentation size.
#include "lessonactions.h"
#include "lessonlibrary.h"
#include "lessonparser.h"
#include "lessonrunner.h"
#include "lessonsdock.h"
#include "lessonvocabulary.h"
#include "measureresult.h"
#include "measureplot.h"
#include "measureview.h"
#include "lessontest.h"

#include <QtTest>

#include <QJsonArray>
#include <QMainWindow>
#include <QSignalSpy>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSvgRenderer>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace hood::gui;
using namespace lessontest;

class TestLessonsDock : public QObject {
    Q_OBJECT

public:
    // Before anything makes a QSettings: the test's settings go to a test location.
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void initTestCase();
    void init();
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
    void playModePerformsEachStepOnArrival();
    void arrowKeysOnlyInPresentationMode();
    void measureRunsHoodctlAndDrawsIt();
    void measureViewGivesEveryBarALine();
    void predictHidesTheAnswerUntilRevealed();
    void progressIsRemembered();
    void brokenLessonShowsItsError();
    void presentationScaleEnlargesFonts();
    void screenshot();

private:
    QTemporaryDir m_settings;
    QList<LessonEntry> m_lessons;
};

void TestLessonsDock::initTestCase()
{
    QVERIFY(m_settings.isValid());
    useOwnSettings(m_settings, "tst_lessonsdock");
    m_lessons = loadLessons(kLessonsDir);
}

void TestLessonsDock::init()
{
    QSettings().clear();
}

// ---- the dock ----

void TestLessonsDock::doItPerformsTheStepsActions()
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

void TestLessonsDock::doItNeedsAWindow()
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

void TestLessonsDock::waitConditionFromArguments_data()
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
    QTest::addRow("copy-up") << R"({"copy-up": "/etc/hostname", "timeout": 30})" << int(WaitCondition::Kind::CopyUp)
                             << "/etc/hostname" << 30000;
}

void TestLessonsDock::waitConditionFromArguments()
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
void TestLessonsDock::doItWaitsForEachAction()
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

void TestLessonsDock::doItStopsAtTheFirstFailure()
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

void TestLessonsDock::anotherStepCancelsDoIt()
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

void TestLessonsDock::waitForHoldsTheRestBack()
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

void TestLessonsDock::nextAndBackMove()
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

void TestLessonsDock::keysMove()
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
    dock->setContentsShown(true); // the contents take the step's place
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

// Play mode, for a talk: every step's actions run as soon as it is shown, the
// next key moves on and performs the next one.
void TestLessonsDock::playModePerformsEachStepOnArrival()
{
    LessonsDock dock(kFixtureLessons);
    FakeActions fake;
    dock.setActions(&fake);
    QVERIFY(dock.openLesson("01-first", 0));
    dock.setPlaying(true);
    QTRY_COMPARE(fake.calls, QStringList({"stop", "launch", "open-page resources"}));
    fake.calls.clear();
    dock.nextStep();
    QTRY_COMPARE(fake.calls, QStringList({"highlight namespaces net", "type hostname\n", "kill KILL"}));
    dock.setPlaying(false);
    fake.calls.clear();
    dock.previousStep();
    QTest::qWait(50);
    QVERIFY(fake.calls.isEmpty());
    QVERIFY(dock.findChild<QPushButton *>("playButton"));
}

// Plain Right and Left step only in presentation mode; Alt+arrows always.
void TestLessonsDock::arrowKeysOnlyInPresentationMode()
{
    QMainWindow window;
    auto *dock = new LessonsDock(kFixtureLessons);
    window.addDockWidget(Qt::RightDockWidgetArea, dock);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(dock->openLesson("01-first", 0));
    QTest::keyClick(&window, Qt::Key_Right);
    QCOMPARE(dock->currentStep(), 0);
    dock->setArrowKeys(true);
    QVERIFY(dock->arrowKeys());
    QTest::keyClick(&window, Qt::Key_Right);
    QCOMPARE(dock->currentStep(), 1);
    QTest::keyClick(&window, Qt::Key_Left);
    QCOMPARE(dock->currentStep(), 0);
}

// `measure` runs hoodctl (here a script that prints what `measure proot --json`
// prints) and draws its figures under the step.
void TestLessonsDock::measureRunsHoodctlAndDrawsIt()
{
    QTemporaryDir dir;
    const QString fakeHoodctl = dir.filePath("hoodctl");
    QFile f(fakeHoodctl);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("#!/bin/sh\n[ \"$1 $2 $3\" = \"measure proot --json\" ] || { echo \"hoodctl: unexpected $*\" >&2; exit 125; }\n"
            "echo '{\"title\": \"One workload\", \"unit\": \"ms\", \"bars\": [{\"label\": \"native\", \"value\": 400},"
            " {\"label\": \"PRoot\", \"value\": 2000}], \"summary\": \"5 times\", \"method\": \"wall time\"}'\n");
    f.close();
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    LessonsDock dock(kFixtureLessons);
    FakeActions fake;
    dock.setActions(&fake);
    dock.setHoodctl(fakeHoodctl);
    QVERIFY(dock.openLesson("01-first", 0));
    LessonAction measure {"measure", QJsonObject {{"what", "proot"}}, 1};
    QVERIFY(checkAction(measure.name, measure.args).isEmpty());
    QString failure = "not finished";
    performAction(measure, fake, [&](const QString &f) { failure = f; });
    // The window itself does not measure: it says so.
    QVERIFY(failure.contains("measured by the lessons dock"));
    // Through the dock, as "Do it" does: its own actions object handles measure.
    // A step whose only action is the measurement.
    QTemporaryDir lessons;
    QDir().mkpath(lessons.filePath("01-measure"));
    QFile md(lessons.filePath("01-measure/lesson.md"));
    QVERIFY(md.open(QIODevice::WriteOnly));
    md.write("---\ntitle: m\nlevel: beginner\nminutes: 1\nprerequisites: []\n---\nIntro.\n\n## S\n\nText.\n\n"
             "```action measure\n{\"what\": \"proot\"}\n```\n");
    md.close();
    LessonsDock measuring(lessons.path());
    measuring.setActions(&fake);
    measuring.setHoodctl(fakeHoodctl);
    QVERIFY(measuring.openLesson("01-measure", 0));
    QSignalSpy done(&measuring, &LessonsDock::doItFinished);
    measuring.doIt();
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
    QCOMPARE(done.first().first().toString(), QString());
    const MeasureResult &r = measuring.lastMeasurement();
    QCOMPARE(r.bars.size(), 2);
    QCOMPARE(r.bars[1].value, 2000.0);
    QCOMPARE(r.summary, QString("5 times"));
}

// The figures at presentation size in a dock-sized view: every bar gets a line of
// its own, the blocks table is there; saved to <build>/screenshots/ to look at.
void TestLessonsDock::measureViewGivesEveryBarALine()
{
    QFile f(QStringLiteral(HOOD_FIXTURES_DIR "/measure/translate.json"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const MeasureResult r = measureResult("translate", f.readAll(), 0);
    QFile g(QStringLiteral(HOOD_FIXTURES_DIR "/measure/switches.json"));
    QVERIFY(g.open(QIODevice::ReadOnly));
    const MeasureResult bars = measureResult("switches", g.readAll(), 0);
    for (const MeasureResult &m : {r, bars}) {
        MeasureView view;
        QFont big = view.font();
        big.setPointSizeF(big.pointSizeF() * 1.75);
        view.setFont(big);
        view.resize(560, 700);
        view.showResult(m);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto *plot = view.findChild<MeasurePlot *>("measurePlot");
        QVERIFY(plot);
        QVERIFY(plot->height() >= QFontMetrics(big).height() * (1.5 * m.bars.size()));
        QCOMPARE(view.findChild<QTextBrowser *>("measureBlocks")->isVisible(), !m.blocks.isEmpty());
        QDir().mkpath(QStringLiteral(HOOD_BINARY_DIR "/screenshots"));
        QVERIFY(view.grab().save(QStringLiteral(HOOD_BINARY_DIR "/screenshots/measureview-%1.png")
                                     .arg(m.blocks.isEmpty() ? "bars" : "blocks")));
    }
}

void TestLessonsDock::predictHidesTheAnswerUntilRevealed()
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

void TestLessonsDock::progressIsRemembered()
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

void TestLessonsDock::brokenLessonShowsItsError()
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

void TestLessonsDock::presentationScaleEnlargesFonts()
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

void TestLessonsDock::screenshot()
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

QTEST_MAIN(TestLessonsDock)
#include "tst_lessonsdock.moc"
