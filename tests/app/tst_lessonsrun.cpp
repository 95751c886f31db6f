// Every lesson performed as a teacher would in class: for each lesson in lessons/,
// each step's "Do it" through the real window and the real engine (as root), one
// step after the other, and each must end as its actions expect (its wait-for
// conditions hold, its launches run, its measurements draw figures). Then nothing
// may be left behind. Root only; run under the shared lock like the integration
// suites (they count every Hood cgroup and mount on the machine).
//
// Each step is saved as a screenshot at 1920x1080 in presentation mode to
// <build>/screenshots/lessons/<slug>-<step>.png, to be looked at.
//
// The containers come from an image store of the test's own (HOOD_STORE, seeded
// with the built-in busybox), never the machine's /var/lib/hood.
//
// HOOD_TEST_SKIP_VM_BOOT=1 skips the steps that boot a VM (a TCG boot takes 5 to 30 s
// each on a loaded runner); every other step still runs.
#include "../integration/hoodtest.h"
#include "controller.h"
#include "error.h"
#include "image/layout.h"
#include "screenshot.h"
#include "lessonlibrary.h"
#include "lessonsdock.h"
#include "mainwindow.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hood::gui;

namespace {
// Every step at 1920x1080 in presentation mode, after its "Do it".
const QString kShots = QStringLiteral(HOOD_BINARY_DIR "/screenshots/lessons");
const QString kScreensConfig = QStringLiteral(HOOD_BINARY_DIR "/tst_lessonsrun-screens.json");

} // namespace

class TestLessonsRun : public QObject {
    Q_OBJECT

public:
    static void initMain()
    {
        // One 1920x1080 screen: presentation mode is full screen, and the
        // offscreen platform's own screen is 800x800.
        pagetest::initOffscreen(kScreensConfig, {{1920, 1080}}, false);
    }

private slots:
    void initTestCase();
    void everyStep_data();
    void everyStep();
    void nothingLeft();

private:
    QTemporaryDir m_root {QStringLiteral("/tmp/hood-tst-lessonsrun-XXXXXX")};
    // Not in m_root: everything there but the seccomp cache counts as left behind.
    QTemporaryDir m_store {QStringLiteral("/tmp/hood-tst-lessonsrun-store-XXXXXX")};
    std::unique_ptr<MainWindow> m_window;
    LessonsDock *m_dock = nullptr; // the window's own
};

void TestLessonsRun::initTestCase()
{
    if (!hoodtest::isRoot())
        QSKIP("the lessons launch containers, which needs root here; run the test as root");
    QVERIFY(m_root.isValid());
    QVERIFY(m_store.isValid());
    // hoodctl (the window's child), the Layers page's reader and the Build page all
    // find the store through HOOD_STORE; busybox is in it before the first launch.
    qputenv("HOOD_STORE", m_store.path().toLocal8Bit());
    try {
        hood::image::Store store(m_store.path().toStdString());
        const hood::image::ImageRecord busybox = hood::image::resolveOrSeed(store, "busybox");
        QVERIFY(!busybox.id.empty());
    } catch (const hood::Error &e) {
        QFAIL(e.what());
    }
    m_window = std::make_unique<MainWindow>(m_root.path());
    m_window->setCloseAnswer(true);
    // As on a projector: every step is also saved as a screenshot to look at.
    m_window->setPresentationMode(true);
    m_window->resize(1920, 1080);
    m_window->show();
    m_dock = m_window->lessonsDock();
    m_dock->show();
    m_dock->setHoodctl(QStringLiteral(HOODCTL), m_root.path());
    QDir().mkpath(kShots);
    QCoreApplication::processEvents();
    QCOMPARE(m_window->size(), QSize(1920, 1080));
}

void TestLessonsRun::everyStep_data()
{
    QTest::addColumn<QString>("slug");
    QTest::addColumn<int>("step");
    QTest::addColumn<bool>("bootsVm");
    for (const LessonEntry &e : loadLessons(QStringLiteral(HOOD_SOURCE_DIR "/lessons"))) {
        if (!e.lesson)
            continue;
        for (int s = 0; s < e.lesson->steps.size(); ++s) {
            bool boots = false;
            for (const LessonAction &a : e.lesson->steps[s].actions)
                boots |= a.name == "measure" && a.args["what"].toString() == "vm-boot";
            QTest::addRow("%s/%d", qPrintable(e.slug), s + 1) << e.slug << s << boots;
        }
    }
}

void TestLessonsRun::everyStep()
{
    QFETCH(QString, slug);
    QFETCH(int, step);
    QFETCH(bool, bootsVm);
    if (!m_dock)
        QSKIP("not root");
    if (bootsVm && qEnvironmentVariableIntValue("HOOD_TEST_SKIP_VM_BOOT"))
        QSKIP("HOOD_TEST_SKIP_VM_BOOT is set: this step boots a QEMU VM (5 to 30 s under TCG)");
    QVERIFY(m_dock->openLesson(slug, step));
    QSignalSpy finished(m_dock, &LessonsDock::doItFinished);
    m_dock->doIt();
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 180000);
    const QString failure = finished.first().first().toString();
    QVERIFY2(failure.isEmpty(), qPrintable(slug + " step " + QString::number(step + 1) + ": " + failure));
    // A step that launches a shell leaves it running for the reader to use (other
    // launches may end on purpose: an OOM kill, a program that exits).
    const QList<LessonEntry> &all = m_dock->lessons();
    const auto entry = std::find_if(all.begin(), all.end(), [&](const LessonEntry &e) { return e.slug == slug; });
    QVERIFY(entry != all.end() && entry->lesson);
    const LessonStep &s = entry->lesson->steps[step];
    const bool launches = std::any_of(s.actions.begin(), s.actions.end(), [](const auto &a) {
        return a.name == "launch" && a.args["command"].toArray() == QJsonArray {"sh"};
    });
    if (launches) {
        const ContainerRow *row = m_window->controller()->container(m_window->currentContainer());
        QVERIFY2(row && row->running(), qPrintable(slug + ": the launched container is not running"));
    }
    QTest::qWait(300); // the pages catch up with what the step did
    const QString shot = QStringLiteral("%1/%2-%3.png").arg(kShots, slug).arg(step + 1, 2, 10, QLatin1Char('0'));
    QVERIFY2(m_window->grab().save(shot, "PNG"), qPrintable("cannot write " + shot));
}

void TestLessonsRun::nothingLeft()
{
    if (!m_window)
        QSKIP("not root");
    m_window->controller()->removeAll();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->controller()->containers().isEmpty()
                                 && m_window->controller()->pendingCommands() == 0,
                             30000);
    m_dock = nullptr;
    QStringList ours;
    for (const QString &line : hoodtest::leftovers(m_root.path()))
        if (line.contains(m_root.path()))
            ours << line;
    QVERIFY2(ours.isEmpty(), qPrintable(ours.join('\n')));
    m_window.reset();
}

QTEST_MAIN(TestLessonsRun)
#include "tst_lessonsrun.moc"
