// The Build page, offscreen, on the real hoodctl with a store of the test's own
// (HOOD_STORE): a small context (FROM scratch, COPY, ENV; no RUN, so no
// container) built through the page, edited and built again; each row's cache
// hit / built and the step marked where the cache stops; a layer clicked opens the
// Layers page on the image with that layer selected; pull and push through a
// docker-registry of the test's own fill a progress bar per blob. Screenshots at
// 1920×1080 and 1280×720 (and presentation mode, full screen) go to
// <build>/screenshots/build-*.png.
#include "screenshot.h"
#include "../integration/testregistry.h"

#include "buildsession.h"
#include "mainwindow.h"
#include "pages/buildpage.h"
#include "pages/layerspage.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <utime.h>

using namespace hood::gui;
using pagetest::kShots;
using pagetest::shoot;

namespace {

void put(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

// Five steps: COPY a, ENV, COPY b, LABEL, CMD (FROM is not a step).
QByteArray dockerfile(const QByteArray &stage = "one")
{
    return "FROM scratch\nCOPY a.txt /a.txt\nENV STAGE=" + stage +
           "\nCOPY b.txt /b.txt\nLABEL demo=build-page\nCMD [\"/b.txt\"]\n";
}

void writeBaseline(const QString &ctx)
{
    put(ctx + "/a.txt", "alpha\n");
    put(ctx + "/b.txt", "beta\n");
    put(ctx + "/Dockerfile", dockerfile());
}

// Builds through the page and waits for hoodctl to finish; false if it failed.
bool buildOnPage(BuildPage &page)
{
    QSignalSpy done(page.session(), &BuildSession::finished);
    page.build();
    if (!done.wait(120000) || done.isEmpty())
        return false;
    return done.first().at(0).toBool();
}

QStringList results(const BuildPage &page)
{
    QStringList out;
    for (int i = 0; i < page.steps()->topLevelItemCount(); ++i)
        out << page.steps()->topLevelItem(i)->text(BuildPage::ResultColumn);
    return out;
}

// The window at 1920×1080 on its Build page, the context at its baseline.
BuildPage *showBuildPage(MainWindow &w, const QString &ctx)
{
    w.setCloseAnswer(false);
    w.resize(1920, 1080);
    w.show();
    w.openPage("build");
    w.buildPage()->setContext(ctx);
    writeBaseline(ctx);
    return w.buildPage();
}

} // namespace

class TestBuildPage : public QObject {
    Q_OBJECT

public:
    static void initMain() { QStandardPaths::setTestModeEnabled(true); } // not the person's settings

private slots:
    void initTestCase();
    void eventsParse();
    void rebuilds_data();
    void rebuilds();
    void layerOpensLayersPage();
    void failureSaysWhy();
    void pullAndPush();

private:
    QString context() const { return m_dir.path() + "/ctx"; }
    QString state() const { return m_dir.path() + "/state"; }
    QTemporaryDir m_dir;
};

void TestBuildPage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // hoodctl (the page's child) and the Layers page's reader both find the store here.
    qputenv("HOOD_STORE", (m_dir.path() + "/store").toLocal8Bit());
    qputenv("HOOD_ROOT", state().toLocal8Bit());
    QDir().mkpath(state());
    writeBaseline(context());
}

void TestBuildPage::eventsParse()
{
    const QJsonObject o = QJsonDocument::fromJson(
                              R"({"phase":"done","step":3,"total":5,"instruction":"COPY b.txt /b.txt","key":"sha256:ab",)"
                              R"("cached":true,"reason":"cache hit","layer":"sha256:cd","size":5,"seconds":0.25})")
                              .object();
    const BuildStepEvent e = buildStepEvent(o);
    QVERIFY(e.done && e.cached);
    QCOMPARE(e.index, 3);
    QCOMPARE(e.total, 5);
    QCOMPARE(e.layer, QString("sha256:cd"));
    QCOMPARE(e.size, quint64(5));
    QCOMPARE(e.seconds, 0.25);
}

// Each row starts from the baseline (built, so every step is in the cache), makes
// one edit, builds again and reads the list.
void TestBuildPage::rebuilds_data()
{
    QTest::addColumn<QString>("edit");
    QTest::addColumn<int>("stop"); // the step marked where the cache stops; 0: all hits
    QTest::addRow("nothing") << "none" << 0;
    QTest::addRow("mtime-only") << "a-mtime" << 0;
    QTest::addRow("first-copied-file") << "a-content" << 1;
    QTest::addRow("env-value") << "env" << 2;
    QTest::addRow("later-copied-file") << "b-content" << 3;
}

void TestBuildPage::rebuilds()
{
    QFETCH(QString, edit);
    QFETCH(int, stop);
    BuildPage page(QStringLiteral(HOODCTL), state());
    page.resize(1280, 720);
    page.setContext(context());
    writeBaseline(context());
    QVERIFY(buildOnPage(page));
    QCOMPARE(page.steps()->topLevelItemCount(), 5);

    if (edit == "a-mtime") {
        struct utimbuf t = {1000, 1000};
        QCOMPARE(::utime(QFile::encodeName(context() + "/a.txt").constData(), &t), 0);
    } else if (edit == "a-content") {
        put(context() + "/a.txt", "alpha, edited\n");
    } else if (edit == "env") {
        put(context() + "/Dockerfile", dockerfile("two"));
    } else if (edit == "b-content") {
        put(context() + "/b.txt", "beta, edited\n");
    }
    QVERIFY(buildOnPage(page));
    const QStringList r = results(page);
    QCOMPARE(r.size(), 5);
    QCOMPARE(page.cacheStop(), stop);
    for (int i = 0; i < r.size(); ++i) {
        const int step = i + 1;
        if (stop == 0 || step < stop)
            QCOMPARE(r[i], QString("cache hit"));
        else if (step == stop)
            QVERIFY2(r[i].contains("cache stops here"), qPrintable(r[i]));
        else
            QCOMPARE(r[i], QString("built"));
    }
    QVERIFY2(page.summary().contains(stop ? QString("stopped at step %1").arg(stop) : QString("Every step came from the cache")),
             qPrintable(page.summary()));
    QVERIFY(!page.builtImage().isEmpty());
    // The marker row stands out in every column.
    if (stop > 0) {
        QTreeWidgetItem *marked = page.steps()->topLevelItem(stop - 1);
        QVERIFY(marked->background(BuildPage::InstructionColumn).style() != Qt::NoBrush);
        QVERIFY(page.steps()->topLevelItem(0)->background(BuildPage::InstructionColumn).style() == Qt::NoBrush
                || stop == 1);
    }
}

void TestBuildPage::layerOpensLayersPage()
{
    MainWindow w(state());
    BuildPage *page = showBuildPage(w, context());
    QVERIFY(buildOnPage(*page));
    put(context() + "/b.txt", "beta, edited for the screenshot\n"); // a rebuild with its marker
    QVERIFY(buildOnPage(*page));
    QCOMPARE(page->cacheStop(), 3);
    shoot(w, "build-1920x1080");
    w.resize(1280, 720);
    shoot(w, "build-1280x720");

    // Step 3 made the image's second layer (step 1 the first; ENV none).
    QTreeWidgetItem *copyB = page->steps()->topLevelItem(2);
    QVERIFY(!copyB->data(BuildPage::LayerColumn, Qt::UserRole).toString().isEmpty());
    QCOMPARE(page->steps()->topLevelItem(1)->text(BuildPage::LayerColumn), QString("no layer"));
    QRect cell = page->steps()->visualItemRect(copyB);
    cell.setLeft(page->steps()->header()->sectionViewportPosition(BuildPage::LayerColumn));
    cell.setWidth(page->steps()->header()->sectionSize(BuildPage::LayerColumn));
    QTest::mouseClick(page->steps()->viewport(), Qt::LeftButton, {}, cell.center());
    QTRY_COMPARE_WITH_TIMEOUT(w.currentPage(), QString("layers"), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(w.layersPage()->showsImage(), 20000);
    QCOMPARE(w.layersPage()->stack()->layerCount(), 2);
    QCOMPARE(w.layersPage()->stack()->selected(), 1);
    QVERIFY2(w.layersPage()->caption().contains("in the store"), qPrintable(w.layersPage()->caption()));
    // The window's once-a-second inspection leaves the image in place (no container is selected).
    QTest::qWait(1500);
    QVERIFY(w.layersPage()->showsImage());
    shoot(w, "build-layers-1280x720");
    // Presentation mode's fonts (full screen: the offscreen platform's 800×800 screen).
    w.openPage("build");
    w.setPresentationMode(true);
    shoot(w, "build-presentation-800x800");
    w.setPresentationMode(false);
}

// hoodctl's one sentence reaches the page: the Dockerfile, its line, the instruction.
void TestBuildPage::failureSaysWhy()
{
    const QString ctx = m_dir.path() + "/bad";
    put(ctx + "/Dockerfile", "FROM scratch\nCOPY missing.txt /\n");
    BuildPage page(QStringLiteral(HOODCTL), state());
    page.setContext(ctx);
    QVERIFY(!buildOnPage(page));
    const QString text = page.summaryLabel()->text();
    QVERIFY2(text.startsWith("The build failed: ") && text.contains(ctx + "/Dockerfile line 2 (COPY)"), qPrintable(text));
}

void TestBuildPage::pullAndPush()
{
    if (!testregistry::available())
        QSKIP(testregistry::kMissing);
    testregistry::TestRegistry registry;
    QVERIFY(registry.start(m_dir.path() + "/registry"));
    MainWindow w(state());
    BuildPage *page = showBuildPage(w, context());
    QVERIFY(buildOnPage(*page));
    page->referenceField()->setText(registry.host() + "/hood-test/page:1");
    page->plainHttp()->setChecked(true);

    QSignalSpy pushed(page->session(), &BuildSession::finished);
    page->push();
    QVERIFY(pushed.wait(60000));
    QVERIFY2(pushed.first().at(0).toBool(), qPrintable(pushed.first().at(3).toString()));
    const QString digest = pushed.first().at(2).toString();
    QVERIFY2(digest.startsWith("sha256:"), qPrintable(digest));
    // Two layers and the config at least, each with its bar full.
    QVERIFY2(page->blobs()->topLevelItemCount() >= 3, qPrintable(QString::number(page->blobs()->topLevelItemCount())));
    for (int i = 0; i < page->blobs()->topLevelItemCount(); ++i) {
        auto *bar = qobject_cast<QProgressBar *>(page->blobs()->itemWidget(page->blobs()->topLevelItem(i), 2));
        QVERIFY(bar);
        QCOMPARE(bar->value(), bar->maximum());
    }

    QSignalSpy pulled(page->session(), &BuildSession::finished);
    page->pull();
    QVERIFY(pulled.wait(60000));
    QVERIFY2(pulled.first().at(0).toBool(), qPrintable(pulled.first().at(3).toString()));
    QCOMPARE(pulled.first().at(2).toString(), digest); // the round trip keeps the manifest's digest
    QCOMPARE(pulled.first().at(1).toString(), page->builtImage());
    QVERIFY(page->blobs()->topLevelItemCount() >= 1);
    shoot(w, "build-registry-1920x1080");
}

QTEST_MAIN(TestBuildPage)
#include "tst_buildpage.moc"
