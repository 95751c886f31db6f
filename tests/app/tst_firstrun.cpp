// The first run, as a new user meets it: with no settings at all (a fresh settings
// directory of the test's own, never ~/.config), the window fills the screen and
// greets with a welcome that offers the lessons, the dock open on the first lesson.
// The second run does not greet again and keeps the size the window was closed at.
#include "lessonbrowser.h"
#include "lessonsdock.h"
#include "lessonstepview.h"
#include "mainwindow.h"
#include "pages/launcherpage.h"
#include "welcomebanner.h"

#include <QApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>

using namespace hood::gui;

namespace {

const QString kShots = QStringLiteral(HOOD_BINARY_DIR "/screenshots");
const QSize kScreen {1920, 1080};

// One screen of a projector's size, for the offscreen platform.
QString writeScreenConfig(const QString &dir)
{
    const QString path = dir + "/screens.json";
    const QJsonObject screen {{"name", "projector"}, {"x", 0}, {"y", 0}, {"width", kScreen.width()},
                              {"height", kScreen.height()}, {"logicalDpi", 96}, {"logicalBaseDpi", 96}, {"dpr", 1.0}};
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(QJsonDocument(QJsonObject {{"screens", QJsonArray {screen}}}).toJson()) <= 0)
        return {};
    return path;
}

QString g_configDir; // made in initMain, before anything reads a setting

} // namespace

class TestFirstRun : public QObject {
    Q_OBJECT

public:
    static void initMain()
    {
        char dir[] = "/tmp/hood-tst-firstrun-XXXXXX";
        if (!mkdtemp(dir))
            qFatal("cannot make a settings directory in /tmp");
        g_configDir = QString::fromLocal8Bit(dir);
        // Every settings path there: nothing of the person's own is read or written.
        qputenv("XDG_CONFIG_HOME", dir);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, g_configDir);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, g_configDir);
        const QString screens = writeScreenConfig(g_configDir);
        if (qgetenv("QT_QPA_PLATFORM") == "offscreen" && !screens.isEmpty())
            qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + screens.toLocal8Bit());
    }

private slots:
    void initTestCase();
    void firstRunWelcomes();
    void secondRunRemembers();
    void cleanupTestCase();

private:
    void welcomeIsCompact(MainWindow &w);
    QTemporaryDir m_root {QStringLiteral("/tmp/hood-tst-firstrun-root-XXXXXX")};
    QSize m_closedAt;
};

void TestFirstRun::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QApplication::setOrganizationName("Hood");
    QApplication::setApplicationName("Hood");
    QVERIFY(m_root.isValid());
    QVERIFY2(QSettings().fileName().startsWith(g_configDir), qPrintable(QSettings().fileName()));
    QVERIFY2(QSettings().allKeys().isEmpty(), "the settings are not fresh");
}

void TestFirstRun::firstRunWelcomes()
{
    MainWindow w(m_root.path());
    // The whole screen, not a fixed 1024x700.
    QVERIFY(w.sizedToScreen());
    QCOMPARE(w.size(), w.screen()->availableGeometry().size());
    QCOMPARE(w.screen()->size(), kScreen);
    // The welcome, and the lessons open on the first one, at its introduction.
    QVERIFY(w.welcomeBanner());
    QVERIFY(w.welcomeBanner()->isVisibleTo(&w));
    QVERIFY(w.lessonsDock()->isVisibleTo(&w));
    QVERIFY(!w.lessonsDock()->lessons().isEmpty());
    QCOMPARE(w.lessonsDock()->currentLesson(), w.lessonsDock()->lessons().first().slug);
    QCOMPARE(w.lessonsDock()->currentLesson(), QStringLiteral("01-namespaces"));
    QCOMPARE(w.lessonsDock()->currentStep(), 0);

    QDir().mkpath(kShots);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCoreApplication::processEvents();
    QVERIFY(w.grab().save(kShots + "/firstrun-1920x1080.png", "PNG"));
    welcomeIsCompact(w);
    // A small projector: the welcome and the first step still share the dock.
    w.resize(1280, 720);
    QTRY_COMPARE(w.size(), QSize(1280, 720));
    QCoreApplication::processEvents();
    QVERIFY(w.grab().save(kShots + "/firstrun-1280x720.png", "PNG"));
    welcomeIsCompact(w);

    // "Begin" dismisses the welcome and leaves the reader in the lesson.
    w.welcomeBanner()->beginButton()->click();
    QVERIFY(!w.welcomeBanner()->isVisibleTo(&w));
    QVERIFY(w.lessonsDock()->isVisibleTo(&w));
    // A smaller size (the window keeps to its minimum size), remembered on closing.
    w.resize(1200, 760);
    m_closedAt = w.size();
    QVERIFY(m_closedAt.width() < kScreen.width());
    QVERIFY(w.close());
}

// The welcome takes a few lines at the top of the dock, and the step under it keeps
// most of the height (it had two lines of text left at first).
void TestFirstRun::welcomeIsCompact(MainWindow &w)
{
    const int dock = w.lessonsDock()->height();
    const int welcome = w.welcomeBanner()->height();
    QVERIFY2(welcome <= dock / 4, qPrintable(QStringLiteral("welcome %1 of %2 px").arg(welcome).arg(dock)));
    LessonBrowser *browser = w.lessonsDock()->findChild<LessonStepView *>()->browser();
    const int lines = browser->viewport()->height() / QFontMetrics(browser->font()).lineSpacing();
    QVERIFY2(lines >= 10, qPrintable(QStringLiteral("%1 lines of the step").arg(lines)));
    // The dock leaves the Launch page its width.
    QWidget *launch = w.findChild<LauncherPage *>();
    if (launch && launch->isVisible())
        QCOMPARE(launch->visibleRegion().boundingRect().right(), launch->rect().right());
}

void TestFirstRun::secondRunRemembers()
{
    MainWindow w(m_root.path());
    QVERIFY(!w.welcomeBanner());
    QVERIFY(!w.sizedToScreen());
    QCOMPARE(w.size(), m_closedAt);
    QVERIFY(w.lessonsDock()->isVisibleTo(&w));
}

void TestFirstRun::cleanupTestCase()
{
    QDir(g_configDir).removeRecursively();
}

QTEST_MAIN(TestFirstRun)
#include "tst_firstrun.moc"
