// How the lessons look where they are read: in the real window, beside its pages, at
// 1920x1080 and 1280x720, in presentation mode and not. Every step of every lesson
// is opened (nothing is done, so no container starts); a step that measures gets
// figures of the kind hoodctl reports (its real output where a fixture holds one).
// Each must show its text, its chart and its buttons whole: the dock about a third
// of a wide window, the contents out of the way, the text most of the height,
// headings near the body's size, no label cut that had room, and the Launch page
// never cut at the right. Each step is saved to
// <build>/screenshots/lessons-layout/<size>[-presentation]/<slug>-<step>.png.
#include "screenshot.h"

#include "lessonbrowser.h"
#include "lessonlibrary.h"
#include "lessonsdock.h"
#include "lessonstepview.h"
#include "mainwindow.h"
#include "measureplot.h"
#include "measureresult.h"
#include "measureview.h"
#include "pages/launcherpage.h"
#include "diagramdialog.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QLabel>
#include <QSplitter>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTreeWidget>
#include <QWindow>

using namespace hood::gui;

namespace {

const QString kScreensConfig = QStringLiteral(HOOD_BINARY_DIR "/tst_lessonslayout-screens.json");
const QSize kWide {1920, 1080};
const QSize kSmall {1280, 720};

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(HOOD_FIXTURES_DIR "/measure/") + name + ".json");
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// What hoodctl reported on this machine where a fixture holds it; else bars with
// labels as long as the real ones (`hoodctl measure ... --json`).
MeasureResult figuresFor(const QString &what)
{
    const QByteArray real = fixture(what);
    if (!real.isEmpty())
        return measureResult(what, real, what == "kvm" ? 1 : 0);
    MeasureResult r;
    r.title = describeMeasure(what);
    r.unit = "ms";
    r.bars = {{"with the default seccomp profile", 1.2}, {"without a profile (unconfined)", 0.9},
              {"in a container of the same busybox", 14.5}};
    if (what == "network") { // as `hoodctl measure network --json` counts them
        r.unit = "packets";
        r.bars = {{"to the container", 63}, {"from the container", 58}};
    }
    r.summary = QStringLiteral("Each figure was measured once on this machine, just now; the method says how.");
    r.method = QStringLiteral("each timed with CLOCK_MONOTONIC from the fork to the end of the child");
    return r;
}

QString firstAction(const LessonStep &step, const QString &name)
{
    for (const LessonAction &a : step.actions)
        if (a.name == name)
            return a.args["what"].toString();
    return {};
}

double headingRatio(const QTextDocument &doc, int level)
{
    const double body = doc.defaultFont().pointSizeF();
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
        if (b.blockFormat().headingLevel() == level && b.begin() != b.end())
            return b.begin().fragment().charFormat().font().pointSizeF() / body;
    }
    return 0;
}

} // namespace

class TestLessonsLayout : public QObject {
    Q_OBJECT

public:
    static void initMain() { pagetest::initOffscreen(kScreensConfig, {kWide, kSmall}, true); }

private slots:
    void initTestCase();
    void everyStep_data();
    void everyStep();
    void diagramOpensLarge();
    void contentsTakeTheStepsPlace();
    void cleanupTestCase();

private:
    MainWindow &windowFor(QSize size, bool presentation);

    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    QSize m_size;
    bool m_presentation = false;
};

void TestLessonsLayout::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QVERIFY(m_dir.isValid());
    qputenv("HOOD_STORE", m_dir.filePath("store").toLocal8Bit());
    // Not a first run (tst_firstrun's), the lessons open.
    QSettings settings;
    settings.clear();
    settings.setValue("welcome/shown", true);
    settings.setValue("view/lessons", true);
}

void TestLessonsLayout::cleanupTestCase()
{
    if (m_window)
        m_window->setPresentationMode(false);
    m_window.reset();
}

// One window per size and mode, made when the rows move on to another.
MainWindow &TestLessonsLayout::windowFor(QSize size, bool presentation)
{
    if (m_window && m_size == size && m_presentation == presentation)
        return *m_window;
    // Out of presentation mode first: it enlarged the application's font, which the
    // next window would take for the desktop's.
    if (m_window)
        m_window->setPresentationMode(false);
    m_window.reset();
    m_size = size;
    m_presentation = presentation;
    m_window = std::make_unique<MainWindow>(m_dir.filePath("state"));
    MainWindow &w = *m_window;
    w.openPage("launcher"); // the widest page the dock must leave room for
    if (!presentation) {
        w.resize(size);
        w.show();
    } else {
        w.show();
        if (QScreen *screen = pagetest::screenNamed(pagetest::projectorName(size)))
            w.windowHandle()->setScreen(screen);
        w.setPresentationMode(true);
    }
    // Checked by the callers (QCOMPARE needs a void function).
    (void)QTest::qWaitForWindowExposed(&w);
    (void)QTest::qWaitFor([&] { return w.size() == size; }, 5000);
    QTest::qWait(100);
    return w;
}

void TestLessonsLayout::everyStep_data()
{
    QTest::addColumn<QSize>("size");
    QTest::addColumn<bool>("presentation");
    QTest::addColumn<QString>("slug");
    QTest::addColumn<int>("step");
    const QList<LessonEntry> lessons = loadLessons(QStringLiteral(HOOD_SOURCE_DIR "/lessons"));
    for (const auto &[size, presentation] : {std::pair{kWide, true}, std::pair{kSmall, true}, std::pair{kWide, false},
                                             std::pair{kSmall, false}}) {
        for (const LessonEntry &e : lessons) {
            if (!e.lesson)
                continue;
            for (int s = 0; s < e.lesson->steps.size(); ++s)
                QTest::addRow("%dx%d%s/%s/%d", size.width(), size.height(), presentation ? "-presentation" : "",
                              qPrintable(e.slug), s + 1)
                    << size << presentation << e.slug << s;
        }
    }
}

void TestLessonsLayout::everyStep()
{
    QFETCH(QSize, size);
    QFETCH(bool, presentation);
    QFETCH(QString, slug);
    QFETCH(int, step);
    MainWindow &w = windowFor(size, presentation);
    // At 1280x720 in presentation mode the pages (the Resources plots, with no
    // container) want more than 720 px whatever the dock does: the width must hold.
    const bool smallProjector = presentation && size == kSmall;
    QCOMPARE(w.width(), size.width());
    if (!smallProjector)
        QCOMPARE(w.size(), size);
    LessonsDock *dock = w.lessonsDock();
    QVERIFY(dock->openLesson(slug, step));
    const LessonEntry &entry = *std::find_if(dock->lessons().begin(), dock->lessons().end(),
                                             [&](const LessonEntry &e) { return e.slug == slug; });
    const LessonStep &s = entry.lesson->steps[step];
    auto *view = dock->findChild<LessonStepView *>();
    const QString what = firstAction(s, "measure");
    if (!what.isEmpty())
        view->measureView()->showResult(figuresFor(what));
    QCoreApplication::processEvents();

    const QString mode = QStringLiteral("%1x%2%3").arg(size.width()).arg(size.height()).arg(presentation ? "-presentation" : "");
    const QString dir = pagetest::kShots + "/lessons-layout/" + mode;
    QDir().mkpath(dir);
    const QString shot = QStringLiteral("%1/%2-%3.png").arg(dir, slug).arg(step + 1, 2, 10, QLatin1Char('0'));
    QVERIFY(w.grab().save(shot, "PNG"));

    // The dock: docked, a sensible share of a wide window, the step in it (not the contents).
    QVERIFY(dock->isVisible() && !dock->isFloating());
    // (In presentation mode the Launch form, at its larger font, keeps it near a
    // quarter.)
    if (size == kWide) {
        QVERIFY2(dock->width() >= size.width() * (presentation ? 26 : 31) / 100
                     && dock->width() <= size.width() * 36 / 100,
                 qPrintable(QString::number(dock->width())));
    }
    QVERIFY(!dock->contentsShown());
    QVERIFY(!dock->findChild<QTreeWidget *>("lessonsContents")->isVisible());
    // The Launch page beside it is never cut at the right (at 1280x720 in presentation
    // mode it scrolls, with or without the dock).
    auto *launcher = w.findChild<LauncherPage *>();
    QVERIFY(launcher->isVisible());
    if (!smallProjector) {
        QCOMPARE(launcher->visibleRegion().boundingRect().right(), launcher->rect().right());
        // Nor cut at the bottom of a row: each wrapped description has the lines it needs.
        for (QLabel *label : launcher->findChildren<QLabel *>()) {
            if (label->isVisible() && label->wordWrap())
                QVERIFY2(label->height() >= label->heightForWidth(label->width()),
                         qPrintable(QStringLiteral("%1: %2 of %3 px").arg(label->text().left(30)).arg(label->height()).arg(label->heightForWidth(label->width()))));
        }
    }

    // The step's text has most of the height; its headings are near the body's size.
    LessonBrowser *browser = view->browser();
    const int line = QFontMetrics(browser->font()).lineSpacing();
    auto *split = view->findChild<QSplitter *>("stepSplitter");
    QVERIFY2(browser->viewport()->height() >= split->height() / 2 - line,
             qPrintable(QStringLiteral("text %1 of %2 px").arg(browser->viewport()->height()).arg(split->height())));
    QVERIFY2(browser->viewport()->height() >= 6 * line, qPrintable(QString::number(browser->viewport()->height())));
    QVERIFY(browser->horizontalScrollBar()->maximum() == 0);
    const double h2 = headingRatio(*browser->document(), 2);
    QVERIFY2(h2 > 1.05 && h2 <= 1.3, qPrintable(QString::number(h2)));

    // The figures: whole where the dock has the height for them, labels not cut.
    MeasureView *figures = view->measureView();
    if (!what.isEmpty()) {
        QVERIFY(figures->isVisible());
        const int wanted = figures->preferredHeight(figures->width());
        if (size == kWide && !presentation)
            QVERIFY2(figures->height() >= std::min(wanted, split->height() / 2) - 2,
                     qPrintable(QStringLiteral("%1 < %2").arg(figures->height()).arg(wanted)));
        auto *plot = figures->findChild<MeasurePlot *>();
        const int bars = int(figures->result().bars.size());
        QVERIFY(bars == 0 || plot->isVisible());
        for (int i = 0; i < bars && size == kWide; ++i)
            QVERIFY2(!plot->label(i).contains(QChar(0x2026)), qPrintable(plot->label(i)));
        // Each bar's value is written after it, inside the plot.
        for (const MeasureBar &bar : figures->result().bars) {
            const QString value = formatMeasure(bar.value, figures->result().unit);
            const double end = plot->plot()->xAxis->coordToPixel(bar.value) + QFontMetrics(plot->font()).horizontalAdvance(value);
            QVERIFY2(end <= plot->width(), qPrintable(QStringLiteral("%1 ends at %2 of %3").arg(value).arg(end).arg(plot->width())));
        }
    } else {
        QVERIFY(!figures->isVisible());
    }

    // What to click: every button whole, inside the dock.
    for (QPushButton *b : dock->findChildren<QPushButton *>()) {
        if (!b->isVisible())
            continue;
        QVERIFY2(b->width() >= b->minimumSizeHint().width(), qPrintable(b->text()));
        const QRect inDock(b->mapTo(dock, QPoint(0, 0)), b->size());
        QVERIFY2(dock->rect().contains(inDock), qPrintable(b->text()));
    }
    QCOMPARE(dock->findChild<QPushButton *>("doItButton")->isVisible(), !s.actions.isEmpty());
    QCOMPARE(dock->findChild<QPushButton *>("revealButton")->isVisible(), !s.predict.isEmpty());
}

// A diagram drawn to the dock's width opens large on a click, as sharp as the SVG.
void TestLessonsLayout::diagramOpensLarge()
{
    MainWindow &w = windowFor(kWide, true);
    LessonsDock *dock = w.lessonsDock();
    QVERIFY(dock->openLesson("06-xen-paravirtualization", 1));
    QCoreApplication::processEvents();
    LessonBrowser *browser = dock->findChild<LessonStepView *>()->browser();
    // The first image in the step, found by its place in the laid-out document.
    QPoint at;
    for (int y = 0; y < browser->viewport()->height() && at.isNull(); y += 4) {
        for (int x = 0; x < browser->viewport()->width() && at.isNull(); x += 8) {
            if (!browser->imageAt({x, y}).first.isEmpty())
                at = {x, y};
        }
    }
    if (at.isNull()) { // below the fold: scroll to the end
        browser->verticalScrollBar()->setValue(browser->verticalScrollBar()->maximum());
        for (int y = 0; y < browser->viewport()->height() && at.isNull(); y += 4)
            for (int x = 0; x < browser->viewport()->width() && at.isNull(); x += 8)
                if (!browser->imageAt({x, y}).first.isEmpty())
                    at = {x, y};
    }
    QVERIFY2(!at.isNull(), "no diagram in the step's view");
    const auto [path, alt] = browser->imageAt(at);
    QVERIFY2(path.endsWith(".svg") && QFile::exists(path), qPrintable(path));
    QVERIFY(!alt.isEmpty());
    QTest::mouseClick(browser->viewport(), Qt::LeftButton, {}, at);
    QTRY_VERIFY(w.findChild<DiagramDialog *>("diagramDialog"));
    auto *dialog = w.findChild<DiagramDialog *>("diagramDialog");
    QTRY_VERIFY(dialog->isVisible());
    QVERIFY(dialog->canvas()->isValid());
    // Far larger than the dock could draw it.
    QVERIFY2(dialog->canvas()->drawnRect().width() > dock->width() * 3 / 2,
             qPrintable(QString::number(dialog->canvas()->drawnRect().width())));
    QCoreApplication::processEvents();
    QVERIFY(dialog->grab().save(pagetest::kShots + "/lessons-diagram-large.png", "PNG"));
    QTest::mouseClick(dialog->canvas(), Qt::LeftButton);
    QTRY_VERIFY(!w.findChild<DiagramDialog *>("diagramDialog"));
}

// The Contents button swaps the step for the list of lessons; a step chosen there
// brings the step view back.
void TestLessonsLayout::contentsTakeTheStepsPlace()
{
    MainWindow &w = windowFor(kSmall, false);
    LessonsDock *dock = w.lessonsDock();
    QVERIFY(dock->openLesson("02-cgroups", 0));
    auto *contents = dock->findChild<QTreeWidget *>("lessonsContents");
    auto *view = dock->findChild<LessonStepView *>();
    auto *toggle = dock->findChild<QPushButton *>("contentsToggle");
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(dock->contentsShown());
    QVERIFY(contents->isVisible());
    QVERIFY(!view->isVisible());
    QTest::qWait(50); // the rows get their wrapped heights once laid out at the dock's width
    // Long titles wrap in the dock's width: none is cut.
    QCOMPARE(contents->horizontalScrollBar()->maximum(), 0);
    // "Full virtualization: VirtualBox, VMware, VT-x and /dev/kvm" takes two lines.
    QVERIFY(contents->visualItemRect(contents->topLevelItem(6)).height()
            > contents->visualItemRect(contents->topLevelItem(0)).height());
    QVERIFY2(contents->height() > dock->height() / 2,
             qPrintable(QStringLiteral("%1 of %2").arg(contents->height()).arg(dock->height())));
    pagetest::shoot(w, "lessons-contents-1280x720");
    QTreeWidgetItem *third = contents->topLevelItem(2)->child(1);
    contents->scrollToItem(third);
    QTest::mouseClick(contents->viewport(), Qt::LeftButton, {}, contents->visualItemRect(third).center());
    QCOMPARE(dock->currentLesson(), "03-supervisor");
    QCOMPARE(dock->currentStep(), 1);
    QVERIFY(!dock->contentsShown());
    QVERIFY(view->isVisible());
    QVERIFY(!toggle->isChecked());
}

QTEST_MAIN(TestLessonsLayout)
#include "tst_lessonslayout.moc"
