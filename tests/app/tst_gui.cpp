// The window, offscreen: every page is there and readable; as root, a real
// container launched through the window's own controller fills the Resources plots
// and the Namespaces page, every page is saved as a screenshot in
// <build>/screenshots/, and stopping and removing leaves nothing behind.
#include "../integration/hoodtest.h"

#include "controller.h"
#include "screenshot.h"
#include "lessonrunner.h"
#include "lessonsdock.h"
#include "lessonvocabulary.h"
#include "mainwindow.h"
#include "models/containerlistmodel.h"
#include "models/mounttreemodel.h"
#include "models/namespacemodel.h"
#include "models/preflightmodel.h"
#include "models/processtreemodel.h"
#include "pages/commandspage.h"
#include "pages/consolepage.h"
#include "pages/launcherpage.h"
#include "pages/namespacediagram.h"
#include "pages/namespacespage.h"
#include "pages/preflightbanner.h"
#include "pages/resourcespage.h"
#include "pages/startuppage.h"
#include "terminal/terminalwidget.h"
#include "pages/treepages.h"
#include "plots/resourceplots.h"
#include "plots/startupplot.h"
#include "sampler.h"

#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTableWidget>
#include <qcustomplot.h>

using namespace hood::gui;
using pagetest::kShots;
using pagetest::projectorName;
using pagetest::screenNamed;
using pagetest::shoot;

namespace {

// A start as the engine records it: 36 steps, one failed (tests/app/fixtures/trace).
const QString kTraceFixture = QStringLiteral(HOOD_FIXTURES_DIR "/trace/good.json");

StartTrace fixtureTrace()
{
    QFile f(kTraceFixture);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return parseStartTrace(f.readAll(), f.fileName()).trace.value_or(StartTrace {});
}

// Presentation mode is for projectors: besides the offscreen platform's usual
// 800×800 screen (first, so every other window and screenshot stays as it was),
// two screens at the common projector sizes. main() hands this to the platform.
const QString kScreensConfig = QStringLiteral(HOOD_BINARY_DIR "/tst_gui-screens.json");
constexpr QSize kProjectors[] = {{1280, 720}, {1920, 1080}};


// What this test's containers left: hoodtest::leftovers() narrowed to our names and
// state root, since other suites may run their own containers on the machine now.
QStringList ourLeftovers(const QString &root, const QStringList &names)
{
    QStringList ours;
    for (const QString &line : hoodtest::leftovers(root)) {
        const bool mine = line.contains(root)
                          || std::any_of(names.begin(), names.end(), [&](const QString &n) { return line.endsWith("/hood/" + n); });
        if (mine)
            ours << line;
    }
    return ours;
}

} // namespace

class TestGui : public QObject {
    Q_OBJECT

public:
    // Before the application starts: the projector screens exist only if the
    // offscreen platform is told about them at start-up.
    static void initMain()
    {
        pagetest::initOffscreen(kScreensConfig, {kProjectors[0], kProjectors[1]}, true);
    }

private slots:
    void initTestCase();
    void everyPageIsThere();
    void startupPageDrawsATrace();
    void engineErrorsBecomeOneSentence();
    void launchesARealContainer();
    void closingRemovesRunningContainers();
    void oomKillIsMarked();
    void captionSaysWhatLimitsDid();
    void manyOomKillsOneLabel();
    void limitHitsAreReported_data();
    void limitHitsAreReported();
    void lessonActionsInARow();
    void lessonActionsWaitForEachOther();
    void consoleSizeReachesThePty();
    void restartAndDarkTheme();
    void cleanup();

private:
    QTemporaryDir m_root {QStringLiteral("/tmp/hood-tst-gui-XXXXXX")};
};

void TestGui::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QVERIFY(m_root.isValid());
    QVERIFY2(QFileInfo(findHoodctl()).isExecutable(), "hoodctl is not built");
}

void TestGui::everyPageIsThere()
{
    MainWindow w(m_root.path());
    for (const QString &name : MainWindow::pageNames()) {
        w.openPage(name);
        QCOMPARE(w.currentPage(), name);
        QVERIFY(w.page(name)->isVisibleTo(&w));
    }
    // The machine's facts are read on a pool thread; the banner fills in a moment later.
    QTRY_COMPARE(w.preflightBanner()->model()->rowCount(), int(judgeMachine(readMachineFacts()).size()));
    // The commands page follows the launcher at once.
    LaunchSettings s = w.launcherPage()->settings();
    s.memory = 96 * 1024 * 1024;
    s.name = "pagecheck";
    w.launcherPage()->setSettings(s);
    auto *docker = w.commandsPage()->findChild<QPlainTextEdit *>("commands-docker");
    QVERIFY(docker);
    QVERIFY2(docker->toPlainText().contains("--memory 96m"), qPrintable(docker->toPlainText()));
    QVERIFY(w.commandsPage()->findChild<QPlainTextEdit *>("commands-config")->toPlainText().contains("\"limit\": 100663296"));
}

// The Start-up page on its own, from the fixture: the waterfall, the legend and the
// totals, readable at normal and presentation font sizes.
void TestGui::startupPageDrawsATrace()
{
    const StartTrace trace = fixtureTrace();
    QCOMPARE(trace.steps.size(), 36);
    StartupPage page;
    page.resize(1000, 560);
    page.show();
    QVERIFY(!page.hasTrace());
    QVERIFY2(page.message().contains("Select a container"), qPrintable(page.message()));
    page.showTrace("web", trace);
    QVERIFY(page.hasTrace());
    QVERIFY2(page.caption().contains("36 steps in 5.98 ms") && page.caption().contains("1 failed"),
             qPrintable(page.caption()));
    QCOMPARE(page.totals()->rowCount(), 9);
    QCOMPARE(page.totals()->item(0, 0)->text(), "state");
    QCOMPARE(page.totals()->item(1, 1)->text(), "9");
    QCOMPARE(page.totals()->item(4, 1)->text(), QString::fromUtf8("15 (1 ✗)"));
    // Every row has its step as a label; the failed one is marked, and a long one is
    // elided in the middle with the whole of it in the tooltip.
    int failedRow = -1, longRow = -1;
    for (int i = 0; i < trace.steps.size(); ++i) {
        QVERIFY(!page.plot()->rowLabel(i).isEmpty());
        if (trace.steps[i].failed())
            failedRow = i;
        if (trace.steps[i].args.size() > 70)
            longRow = i;
    }
    QVERIFY(page.plot()->rowLabel(failedRow).startsWith(QString::fromUtf8("✗ mount")));
    QVERIFY(longRow >= 0);
    QVERIFY2(page.plot()->rowLabel(longRow).contains(QString::fromUtf8("…")), qPrintable(page.plot()->rowLabel(longRow)));
    const QString tip = stepToolTip(trace.steps[failedRow]);
    QVERIFY2(tip.contains("permission denied (errno 13)") && tip.contains("process: init"), qPrintable(tip));
    QVERIFY(stepToolTip(trace.steps[longRow]).contains(trace.steps[longRow].args.toHtmlEscaped()));
    shoot(page, "startup-page");
    QFont big = page.font();
    big.setPointSizeF(big.pointSizeF() * 1.75);
    page.setFont(big);
    page.resize(1280, 560);
    shoot(page, "startup-page-large");
    // Each row still gets a line of its own at the larger font: the plot grows and scrolls.
    QVERIFY(page.plot()->height() >= int(trace.steps.size()) * QFontMetrics(big).height());
    page.showTrace("old", StartTrace {});
    QVERIFY(!page.hasTrace());
    QVERIFY2(page.message().contains("recorded no steps"), qPrintable(page.message()));
}

void TestGui::engineErrorsBecomeOneSentence()
{
    MainWindow w(m_root.path());
    LaunchSettings s;
    s.name = "no/slashes";
    s.terminal = false;
    w.launch({QString(), {}, std::nullopt, QString(), std::nullopt, std::nullopt, QString(), std::nullopt,
              std::nullopt, s.name, std::nullopt});
    QTRY_VERIFY_WITH_TIMEOUT(!w.lastError().isEmpty(), 20000);
    QVERIFY2(w.lastError().contains("no/slashes") && !w.lastError().contains('\n'), qPrintable(w.lastError()));
    QVERIFY(!w.lastError().startsWith("hoodctl:"));
    shoot(w, "engine-error");
    QVERIFY(w.controller()->containers().isEmpty());
}

void TestGui::launchesARealContainer()
{
    if (!hoodtest::isRoot())
        QSKIP("launching a container with cgroup limits needs root here (cgroup v1/hybrid); run the test as root");
    MainWindow w(m_root.path());
    w.setCloseAnswer(true);
    w.show();
    LaunchSettings s;
    s.name = "gui-test";
    s.memory = 64 * 1024 * 1024;
    s.cpus = 0.5;
    s.pids = 64;
    s.hostname = "inside";
    w.launcherPage()->setSettings(s);
    shoot(w, "launcher");
    w.launcherPage()->launchButton()->click();
    ContainerController *c = w.controller();
    QTRY_VERIFY_WITH_TIMEOUT(c->runningCount() == 1, 30000);
    QCOMPARE(w.currentContainer(), QStringLiteral("gui-test"));

    // The console is the container's terminal: what we type runs in its sh.
    w.openPage("console");
    QTRY_VERIFY_WITH_TIMEOUT(w.consolePage()->terminal()->screen().text().contains("/ #"), 10000);
    w.typeInConsole("hostname; echo gui-$((6*7))\n");
    QTRY_VERIFY_WITH_TIMEOUT(w.consolePage()->terminal()->screen().text().contains("gui-42"), 10000);
    QVERIFY(w.consolePage()->terminal()->screen().text().contains("inside"));
    // Busy work held to half a CPU by the quota, so the plots have something to show.
    w.typeInConsole("timeout 30 sh -c 'while :; do :; done' &\n");
    shoot(w, "console");

    w.openPage("resources");
    QTRY_VERIFY_WITH_TIMEOUT(w.resourcesPage()->plots()->pointCount() > 40, 15000);
    const ResourceHistory *h = w.sampler()->history("gui-test");
    QVERIFY(h && h->memoryLimit && qint64(*h->memoryLimit) == 64 * 1024 * 1024);
    QVERIFY(h->pidsMax && *h->pidsMax == 64);
    QTRY_VERIFY_WITH_TIMEOUT(h->points.last().cpuPercent > 20, 10000);
    QTest::qWait(3000);
    shoot(w, "resources");
    // Export: the plots as PNG and PDF, the samples as CSV.
    QTemporaryDir out;
    QVERIFY(w.resourcesPage()->plots()->savePng(out.filePath("r.png")));
    QVERIFY(w.resourcesPage()->plots()->savePdf(out.filePath("r.pdf")));
    QFile png(out.filePath("r.png")), pdf(out.filePath("r.pdf"));
    QVERIFY(png.open(QIODevice::ReadOnly) && png.read(8) == "\x89PNG\r\n\x1a\n");
    QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(5) == "%PDF-");
    const QStringList csv = historyCsv(*h).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(csv.first(), QStringLiteral("time_s,cpu_percent,memory_bytes,pids,throttled_ms_per_s"));
    QVERIFY(csv.size() > 40);
    QCOMPARE(csv.last().split(',').size(), 5);

    w.openPage("namespaces");
    QTRY_COMPARE_WITH_TIMEOUT(w.namespacesPage()->model()->comparedKinds(), 8, 5000);
    QCOMPARE(w.namespacesPage()->diagram()->laneCount(), 8);
    const QModelIndex net = w.namespacesPage()->model()->index(int(hood::NsKind::Network), NamespaceTableModel::Isolation);
    QCOMPARE(net.data().toString(), QStringLiteral("private"));
    const QModelIndex user = w.namespacesPage()->model()->index(int(hood::NsKind::User), NamespaceTableModel::Isolation);
    QCOMPARE(user.data().toString(), QStringLiteral("shared with host"));
    shoot(w, "namespaces");

    w.openPage("mounts");
    QTRY_VERIFY_WITH_TIMEOUT(w.mountsPage()->model()->mountCount() > 3, 5000);
    QVERIFY(w.mountsPage()->model()->addedCount() > 0);
    shoot(w, "mounts");

    w.openPage("processes");
    QTRY_VERIFY_WITH_TIMEOUT(w.processesPage()->model()->processCount() >= 1, 5000);
    const QModelIndex init = w.processesPage()->model()->index(0, ProcessTreeModel::ContainerPid);
    QCOMPARE(init.data().toInt(), 1);
    shoot(w, "processes");

    w.openPage("commands");
    shoot(w, "commands");

    // Start-up: a container the engine recorded no steps for says so; then the
    // fixture stands in for the engine's trace.json (once the engine writes one, the
    // page shows the real start instead).
    const QString tracePath = c->containerDir("gui-test") + "/trace.json";
    w.openPage("startup");
    if (!QFileInfo::exists(tracePath)) {
        QTRY_VERIFY_WITH_TIMEOUT(w.startupPage()->message().contains("before Hood recorded start-up steps"), 5000);
        shoot(w, "startup-missing");
        QVERIFY(QFile::copy(kTraceFixture, tracePath));
    }
    QTRY_VERIFY_WITH_TIMEOUT(w.startupPage()->hasTrace(), 5000);
    QVERIFY2(w.startupPage()->caption().contains("gui-test"), qPrintable(w.startupPage()->caption()));
    shoot(w, "startup");

    // The lessons dock beside the live pages, on the first lesson.
    w.lessonsDock()->show();
    QVERIFY(!w.lessonsDock()->lessons().isEmpty());
    QVERIFY(w.lessonsDock()->openLesson(w.lessonsDock()->lessons().first().slug, 1));
    w.openPage("namespaces");
    QTest::qWait(1200);
    shoot(w, "lessons-namespaces");
    w.lessonsDock()->hide();

    // Presentation mode, full screen on each projector.
    for (QSize size : kProjectors) {
        QScreen *screen = screenNamed(projectorName(size));
        if (!screen && QGuiApplication::platformName() != QLatin1String("offscreen"))
            break; // a real display: its screens are what they are
        QVERIFY2(screen, qPrintable("no offscreen screen " + projectorName(size) + " (see " + kScreensConfig + ")"));
        w.windowHandle()->setScreen(screen);
        w.setPresentationMode(true);
        QTRY_COMPARE_WITH_TIMEOUT(w.size(), size, 5000);
        QVERIFY(w.presentationMode());
        const QString suffix = QStringLiteral("-%1x%2").arg(size.width()).arg(size.height());
        w.openPage("resources");
        QTest::qWait(1500);
        shoot(w, "presentation-resources" + suffix);
        QCOMPARE(w.size(), size);
        w.openPage("namespaces");
        QTest::qWait(1200);
        shoot(w, "presentation-namespaces" + suffix);
        QCOMPARE(w.size(), size);
        w.openPage("startup");
        QTest::qWait(1200);
        QVERIFY(w.startupPage()->hasTrace());
        shoot(w, "presentation-startup" + suffix);
        QCOMPARE(w.size(), size);
        // No page may push the window past the projector's screen (the launcher's
        // form scrolls instead).
        w.openPage("launcher");
        QTest::qWait(300);
        shoot(w, "presentation-launcher" + suffix);
        QCOMPARE(w.size(), size);
        QVERIFY(w.presentationMode());
        w.setPresentationMode(false);
        // Window states change asynchronously: let "normal" arrive before the next
        // round turns full screen on again.
        QTRY_VERIFY_WITH_TIMEOUT(!w.isFullScreen() && w.size() != size, 5000);
        QTest::qWait(200);
        w.windowHandle()->setScreen(QGuiApplication::primaryScreen());
    }

    c->remove("gui-test");
    QTRY_VERIFY_WITH_TIMEOUT(c->containers().isEmpty() && c->pendingCommands() == 0, 30000);
    const QStringList left = ourLeftovers(m_root.path(), {"gui-test"});
    QVERIFY2(left.isEmpty(), qPrintable(left.join('\n')));
}

void TestGui::closingRemovesRunningContainers()
{
    if (!hoodtest::isRoot())
        QSKIP("launching containers needs root here; run the test as root");
    auto *w = new MainWindow(m_root.path());
    w->setAttribute(Qt::WA_DeleteOnClose, false);
    w->setCloseAnswer(true);
    w->show();
    for (const char *name : {"close-a", "close-b"}) {
        LaunchSettings s;
        s.name = name;
        s.command = {"sleep", "1000"};
        s.terminal = false;
        w->controller()->launch(s);
    }
    QTRY_VERIFY_WITH_TIMEOUT(w->controller()->runningCount() == 2, 30000);
    w->close();
    QTRY_VERIFY_WITH_TIMEOUT(!w->isVisible(), 30000);
    delete w;
    const QStringList left = ourLeftovers(m_root.path(), {"close-a", "close-b"});
    QVERIFY2(left.isEmpty(), qPrintable(left.join('\n')));
}

// A memory hog in a 16 MiB container: the OOM killer ends it, and the memory plot
// marks the moment.
void TestGui::oomKillIsMarked()
{
    if (!hoodtest::isRoot())
        QSKIP("a memory limit needs root on this machine (cgroup v1/hybrid); run the test as root");
    MainWindow w(m_root.path());
    w.setCloseAnswer(true);
    w.show();
    LaunchSettings s;
    s.name = "oom";
    s.memory = 16 * 1024 * 1024;
    s.terminal = false;
    // tail keeps the last lines of a file without newlines: all of /dev/zero.
    s.command = {"sh", "-c", "sleep 3; echo filling memory; tail /dev/zero; echo tail ended; sleep 30"};
    w.controller()->launch(s);
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningCount() == 1, 30000);
    w.selectContainer("oom");
    w.openPage("resources");
    QTRY_VERIFY_WITH_TIMEOUT(w.sampler()->history("oom") && !w.sampler()->history("oom")->oomKillTimes.isEmpty(), 30000);
    QTest::qWait(1500);
    shoot(w, "resources-oom");
    w.openPage("console");
    QTRY_VERIFY_WITH_TIMEOUT(w.consolePage()->terminal()->screen().text().contains("tail ended"), 10000);
    shoot(w, "console-log");
    w.controller()->remove("oom");
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->containers().isEmpty(), 30000);
}

// Each limit's effect in the caption over the plots: the forks pids.max refused,
// the periods the CPU quota throttled, the OOM kills.
void TestGui::captionSaysWhatLimitsDid()
{
    ResourcesPage page;
    ResourceHistory h;
    h.id = "hogs";
    h.pidsMax = 64;
    h.pidsLimitHits = 37;
    h.throttledPeriods = 16;
    h.oomKills = 1;
    page.showHistory(&h, 0);
    for (const char *fact : {"pids.max 64", "forks refused 37", "throttled periods 16", "OOM kills 1"})
        QVERIFY2(page.caption().contains(fact), qPrintable(page.caption()));
    h.pidsLimitHits = 0;
    page.showHistory(&h, 0);
    QVERIFY2(page.caption().contains("forks refused 0"), qPrintable(page.caption()));
}

// A memory hog killed again and again: every kill is a line of one graph, and one
// label counts them, however many there are (an item per kill made each replot
// slower with every kill: tests/bench/hogs).
void TestGui::manyOomKillsOneLabel()
{
    ResourcePlots plots;
    ResourceHistory h;
    h.id = "hog";
    h.memoryLimit = 64.0 * 1024 * 1024;
    for (int i = 0; i < 300; ++i) {
        h.points << ResourcePoint {double(i), 0, 60.0 * 1024 * 1024, 2, 0};
        h.oomKillTimes << double(i);
    }
    plots.setHistory(&h, 300);
    QCOMPARE(plots.plot()->itemCount(), 1);
    auto *label = qobject_cast<QCPItemText *>(plots.plot()->item(0));
    QVERIFY(label && label->visible());
    QCOMPARE(label->text().trimmed(), QString("300 OOM kills"));
    h.oomKillTimes << 300.5;
    plots.append(h, 301);
    QCOMPARE(plots.plot()->itemCount(), 1);
    QCOMPARE(label->text().trimmed(), QString("301 OOM kills"));
    plots.setHistory(nullptr, 301);
    QVERIFY(!label->visible());
}

// A hog under its limit, launched through the window: the live history counts what
// the limit did (pids.events "max", cpu.stat nr_throttled) and the Resources page
// says it. (The memory hog's OOM kill is oomKillIsMarked.)
void TestGui::limitHitsAreReported_data()
{
    QTest::addColumn<qint64>("pids");
    QTest::addColumn<double>("cpus");
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QString>("fact");
    QTest::addRow("fork-bomb") << qint64(16) << 0.0 << QStringList {"hood-demo", "forks", "200", "--hold", "30"}
                               << "forks refused";
    QTest::addRow("cpu-hog") << qint64(0) << 0.2 << QStringList {"hood-demo", "cpu", "1", "--seconds", "30"}
                             << "throttled periods";
}

void TestGui::limitHitsAreReported()
{
    QFETCH(qint64, pids);
    QFETCH(double, cpus);
    QFETCH(QStringList, command);
    QFETCH(QString, fact);
    if (!hoodtest::isRoot())
        QSKIP("pids and CPU limits need root on this machine (cgroup v1/hybrid); run the test as root");
    MainWindow w(m_root.path());
    w.setCloseAnswer(true);
    w.show();
    LaunchSettings s;
    s.name = QString("hog-%1").arg(QTest::currentDataTag());
    s.pids = pids;
    s.cpus = cpus;
    s.terminal = false;
    s.command = command;
    w.controller()->launch(s);
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningCount() == 1, 30000);
    w.selectContainer(s.name);
    w.openPage("resources");
    const auto hits = [&]() -> quint64 {
        const ResourceHistory *h = w.sampler()->history(s.name);
        return !h ? 0 : pids ? h->pidsLimitHits : h->throttledPeriods;
    };
    QTRY_VERIFY_WITH_TIMEOUT(hits() > 0, 20000);
    const QString counted = QString("%1 %2").arg(fact).arg(hits());
    QTRY_VERIFY2_WITH_TIMEOUT(w.resourcesPage()->caption().contains(fact + " ")
                                  && !w.resourcesPage()->caption().contains(fact + " 0"),
                              qPrintable(w.resourcesPage()->caption() + " (sampler: " + counted + ")"), 5000);
    shoot(w, "resources-" + QString(QTest::currentDataTag()));
    w.controller()->remove(s.name);
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->containers().isEmpty(), 30000);
}

// A lesson's "Do it" performs its actions one after the other without waiting:
// stop the current container, launch another, open a page, type into the console.
// The typing must reach the new container, not the old one or nowhere.
void TestGui::lessonActionsInARow()
{
    if (!hoodtest::isRoot())
        QSKIP("launching containers needs root here; run the test as root");
    MainWindow w(m_root.path());
    w.setCloseAnswer(true);
    w.show();
    LaunchRequest first;
    first.name = "lesson-a";
    first.command = {"sh"};
    w.launch(first);
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningCount() == 1 && w.currentContainer() == "lesson-a", 30000);
    LaunchRequest second;
    second.name = "lesson-b";
    second.hostname = "second";
    second.namespaces = QStringList {"pid", "mnt", "uts"};
    w.stopContainer();
    w.launch(second);
    w.openPage("console");
    w.typeInConsole("echo I am $(hostname)\n");
    QTRY_VERIFY_WITH_TIMEOUT(w.consolePage()->terminal()->screen().text().contains("I am second"), 20000);
    QCOMPARE(w.currentContainer(), QStringLiteral("lesson-b"));
    QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->container("lesson-a")->running(), 20000);
    w.killContainer("KILL");
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningCount() == 0, 20000);
    // The monitor records the exit a moment after the processes are gone.
    QTRY_COMPARE_WITH_TIMEOUT(w.controller()->container("lesson-b")->statusText(), QStringLiteral("killed (signal 9)"), 10000);
    w.stopContainer(); // nothing runs: nothing happens, and no error
    QTest::qWait(500);
    QVERIFY2(w.lastError().isEmpty(), qPrintable(w.lastError()));
}

// A lesson's actions through the real window, one after the other: the second
// launch starts only once the stop has finished, each wait-for holds the rest back
// until its condition holds, and a wait that times out stops the run with a sentence.
void TestGui::lessonActionsWaitForEachOther()
{
    if (!hoodtest::isRoot())
        QSKIP("launching containers needs root here; run the test as root");
    MainWindow w(m_root.path());
    w.setCloseAnswer(true);
    w.show();
    auto action = [](const QString &name, const QString &json) {
        const LessonAction a {name, QJsonDocument::fromJson(json.toUtf8()).object(), 1};
        const QString wrong = checkAction(a.name, a.args);
        if (!wrong.isEmpty())
            qWarning("%s: %s", qPrintable(name), qPrintable(wrong));
        return a;
    };
    const QList<LessonAction> actions = {
        action("launch", R"({"command": ["sh"], "name": "order-a"})"),
        action("wait-for", R"({"state": "running"})"),
        action("wait-for", R"({"console": "/ # ", "timeout": 10})"),
        action("type", R"({"text": "sleep 1; touch /tmp/ready
"})"),
        action("wait-for", R"({"file": "/tmp/ready", "timeout": 10})"),
        action("stop", "{}"),
        action("launch", R"({"command": ["sh"], "name": "order-b", "hostname": "second"})"),
        action("wait-for", R"({"console": "/ # "})"),
        action("type", R"({"text": "echo I am $(hostname)
"})"),
        action("wait-for", R"({"console": "I am second"})"),
        action("wait-for", R"({"file": "/never", "timeout": 0.5})"),
        action("open-page", R"({"page": "startup"})"),
    };
    LessonRunner runner;
    QStringList seen;
    connect(&runner, &LessonRunner::actionStarted, this, [&](int index, const QString &) {
        const ContainerRow *a = w.controller()->container("order-a");
        if (index == 6) // the second launch: the stop before it has finished
            seen << (a && !a->running() ? "a stopped" : "a still running");
        if (index == 5) // the stop: the file made after a second is there
            seen << (QFileInfo::exists(QStringLiteral("/proc/%1/root/tmp/ready").arg(a ? a->pid : 0)) ? "ready" : "not ready");
    });
    QSignalSpy finished(&runner, &LessonRunner::finished);
    runner.run(actions, w);
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 60000);
    QCOMPARE(finished.first().first().toString(), "wait-for: /never did not appear in order-b within 0.5 s.");
    QCOMPARE(seen, QStringList({"ready", "a stopped"}));
    QCOMPARE(w.currentContainer(), "order-b");
    QVERIFY(w.consolePage()->terminal()->screen().text().contains("I am second"));
    QCOMPARE(w.currentPage(), "console"); // open-page startup never ran
    // A state that does not come: the sentence says what it is instead.
    QSignalSpy again(&runner, &LessonRunner::finished);
    runner.run({action("wait-for", R"({"state": "stopped", "timeout": 0.3})")}, w);
    QTRY_VERIFY_WITH_TIMEOUT(again.size() == 1, 5000);
    QCOMPARE(again.first().first().toString(), "wait-for: order-b was not stopped after 0.3 s (it is running).");
    w.controller()->removeAll();
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->containers().isEmpty() && w.controller()->pendingCommands() == 0, 30000);
    const QStringList left = ourLeftovers(m_root.path(), {"order-a", "order-b"});
    QVERIFY2(left.isEmpty(), qPrintable(left.join('\n')));
}

// The pty inside is as large as the Console's terminal: its rows and columns go to
// the monitor on attach (TIOCSWINSZ), and again after every resize.
void TestGui::consoleSizeReachesThePty()
{
    if (!hoodtest::isRoot())
        QSKIP("launching containers needs root here; run the test as root");
    MainWindow w(m_root.path());
    w.setCloseAnswer(true);
    w.resize(1280, 800);
    w.show();
    LaunchRequest r;
    r.name = "sized";
    r.command = {"sh"};
    w.launch(r);
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningCount() == 1 && w.currentContainer() == "sized", 30000);
    w.openPage("console");
    TerminalWidget *t = w.consolePage()->terminal();
    // The prompt (the screen's text has no spaces at the ends of its lines).
    QTRY_VERIFY2_WITH_TIMEOUT(t->screen().text().contains("/ #"), qPrintable(t->screen().text().right(300)), 20000);
    auto sttySays = [&](const QString &mark) {
        w.typeInConsole("echo " + mark + " $(stty size)\n");
        const QString want = QStringLiteral("%1 %2 %3").arg(mark).arg(t->screen().rows()).arg(t->screen().columns());
        QTRY_VERIFY2_WITH_TIMEOUT(t->screen().text().contains(want),
                                  qPrintable("no \"" + want + "\" in: " + t->screen().text().right(300)), 15000);
    };
    QVERIFY(t->screen().columns() > 60);
    sttySays("first");
    // Narrower and shorter: the shell's next stty sees the new size.
    const int before = t->screen().columns();
    w.resize(900, 640);
    QTRY_VERIFY(t->screen().columns() < before);
    sttySays("resized");
    w.controller()->removeAll();
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->containers().isEmpty() && w.controller()->pendingCommands() == 0, 30000);
}

// Restart keeps the name and settings and gives a new init; the dark theme keeps
// every page readable.
void TestGui::restartAndDarkTheme()
{
    if (!hoodtest::isRoot())
        QSKIP("launching containers needs root here; run the test as root");
    MainWindow w(m_root.path());
    w.setCloseAnswer(true);
    w.show();
    LaunchSettings s;
    s.name = "again";
    s.memory = 32 * 1024 * 1024;
    s.namespaces = {"pid", "mnt", "net"};
    w.launcherPage()->setSettings(s);
    w.launcherPage()->launchButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->runningCount() == 1, 30000);
    const int pid = w.controller()->container("again")->pid;
    w.selectContainer("again");
    w.controller()->restart("again");
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->container("again") && w.controller()->container("again")->running()
                                 && w.controller()->container("again")->pid != pid,
                             30000);
    const LaunchSettings after = w.controller()->settingsOf("again");
    QCOMPARE(after.memory, s.memory);
    QCOMPARE(after.namespaces, s.namespaces);
    w.setScheme(hood::gui::theme::Scheme::Dark);
    w.selectContainer("again");
    w.openPage("namespaces");
    QTRY_COMPARE_WITH_TIMEOUT(w.namespacesPage()->model()->comparedKinds(), 8, 5000);
    shoot(w, "dark-namespaces");
    w.openPage("resources");
    QTest::qWait(2000);
    shoot(w, "dark-resources");
    w.openPage("launcher");
    shoot(w, "dark-launcher");
    w.setScheme(hood::gui::theme::Scheme::System);
    w.controller()->remove("again");
    QTRY_VERIFY_WITH_TIMEOUT(w.controller()->containers().isEmpty(), 30000);
}

// A failed test must not leave containers behind: delete whatever is in the state root.
void TestGui::cleanup()
{
    for (const QString &id : QDir(m_root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        hoodtest::run(m_root.path(), {"delete", "--force", id});
}

QTEST_MAIN(TestGui)
#include "tst_gui.moc"
