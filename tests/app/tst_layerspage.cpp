// The Layers page, offscreen: its tree model on layer directories built here
// (QAbstractItemModelTester), the stack drawing and the changes list; and, as root,
// a real container: the page shows its overlay's layers, a file written with
// `hoodctl exec` moves up into the writable layer the moment inotify sees it, a
// lesson's wait-for copy-up holds, and the Mounts page lists the same layers.
// Screenshots at 1920×1080, 1280×720 and in presentation mode go to
// <build>/screenshots/layers-*.png.
#include "screenshot.h"
#include "../integration/hoodtest.h"

#include "controller.h"
#include "layerinspector.h"
#include "lessonactions.h"
#include "mainwindow.h"
#include "models/layertreemodel.h"
#include "pages/layerspage.h"
#include "pages/treepages.h"

#include "image/layerview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScreen>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTreeWidget>

using namespace hood::gui;
using pagetest::kShots;
using pagetest::shoot;
using pagetest::projectorName;
using pagetest::screenNamed;

namespace {

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

// Two lower layers and an upper, without whiteouts (those need root to make).
LayerSnapshot fixtureSnapshot(const QTemporaryDir &tmp)
{
    writeFile(tmp.filePath("base/bin/busybox"), QByteArray(4000, 'b'));
    writeFile(tmp.filePath("base/etc/hostname"), "base\n");
    writeFile(tmp.filePath("app/etc/hostname"), "app\n");
    writeFile(tmp.filePath("app/srv/index.html"), QByteArray(900, 'h'));
    writeFile(tmp.filePath("upper/etc/hostname"), "container\n");
    writeFile(tmp.filePath("upper/tmp/scratch"), QByteArray(10, 's'));
    LayerSnapshot s;
    s.id = "fixture";
    s.pid = 42;
    std::vector<hood::image::LayerInput> layers = {hood::image::scanLayerDir(tmp.filePath("base").toStdString()),
                                                   hood::image::scanLayerDir(tmp.filePath("app").toStdString()),
                                                   hood::image::scanLayerDir(tmp.filePath("upper").toStdString(), true)};
    s.layers.view = hood::image::computeLayerView(layers, {{"ADD busybox /", 4005, false},
                                                           {"COPY srv /srv", 904, false}});
    s.layers.overlay.upper = tmp.filePath("upper").toStdString();
    s.layers.upperSource = s.layers.overlay.upper;
    s.watching = tmp.filePath("upper");
    s.watched = true;
    return s;
}

// Presentation mode goes full screen: the offscreen platform gets two projector
// screens besides its usual 800×800 one (as tst_gui does).
const QString kScreensConfig = QStringLiteral(HOOD_BINARY_DIR "/tst_layerspage-screens.json");
constexpr QSize kProjectors[] = {{1280, 720}, {1920, 1080}};


int changeRow(QTreeWidget *changes, const QString &path)
{
    for (int i = 0; i < changes->topLevelItemCount(); ++i)
        if (changes->topLevelItem(i)->text(1) == path)
            return i;
    return -1;
}

} // namespace

class TestLayersPage : public QObject {
    Q_OBJECT

public:
    static void initMain()
    {
        pagetest::initOffscreen(kScreensConfig, {kProjectors[0], kProjectors[1]}, true);
    }

private slots:
    void initTestCase();
    void modelFollowsCopyUps();
    void pageShowsAStack();
    void liveContainer();
    void cleanup();

private:
    QTemporaryDir m_root {QStringLiteral("/tmp/hood-tst-layers-XXXXXX")};
};

void TestLayersPage::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    QVERIFY(m_root.isValid());
    // The page at 1280x720 without the first run's welcome and lessons dock
    // (tst_firstrun's), whatever a suite before this one left in ~/.qttest.
    QSettings settings;
    settings.setValue("welcome/shown", true);
    settings.setValue("view/lessons", false);
}

void TestLayersPage::modelFollowsCopyUps()
{
    QTemporaryDir tmp;
    const LayerSnapshot s = fixtureSnapshot(tmp);
    LayerTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setView(s.layers.view, {"1", "2", "upper"}, 2);
    QCOMPARE(model.layerOf("/bin/busybox"), 0);
    QCOMPARE(model.layerOf("/srv/index.html"), 1);
    QCOMPARE(model.layerOf("/etc/hostname"), 2);
    QCOMPARE(model.indexOfPath("/srv/index.html").siblingAtColumn(LayerTreeModel::Layer).data().toString(), "2");
    // A copy-up of a lower file, then a file in a directory nobody had.
    model.markCopyUp("/srv/index.html", false, false);
    QCOMPARE(model.layerOf("/srv/index.html"), 2);
    QVERIFY(model.isLive("/srv/index.html"));
    QVERIFY(model.indexOfPath("/srv/index.html").siblingAtColumn(LayerTreeModel::Layer).data().toString().contains("just now"));
    model.markCopyUp("/var/log/new.log", false, false);
    QCOMPARE(model.layerOf("/var/log"), 2);
    QCOMPARE(model.layerOf("/var/log/new.log"), 2);
    model.markCopyUp("/bin/busybox", true, false);
    QVERIFY(model.indexOfPath("/bin/busybox").data().toString().contains("deleted"));
    model.setView(s.layers.view, {"1", "2", "upper"}, 2);
    QVERIFY(model.isLive("/srv/index.html")); // marks last for the container, across reads
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

void TestLayersPage::pageShowsAStack()
{
    QTemporaryDir tmp;
    const LayerSnapshot s = fixtureSnapshot(tmp);
    LayersPage page;
    page.resize(1280, 640);
    page.show();
    QVERIFY(page.caption().contains("Select a running container"));
    page.showSnapshot(s);
    QCOMPARE(page.stack()->layerCount(), 3);
    // The base is drawn at the bottom, the writable layer on top.
    QVERIFY(page.stack()->boxRect(0).top() > page.stack()->boxRect(2).top());
    QCOMPARE(page.stack()->selected(), 2); // the writable layer first
    QTreeWidget *changes = page.changes();
    const int row = changeRow(changes, "/etc/hostname");
    QVERIFY(row >= 0);
    QCOMPARE(changes->topLevelItem(row)->text(0), "modified");
    QVERIFY(changes->topLevelItem(row)->background(0).color() != changes->topLevelItem(changeRow(changes, "/tmp/scratch"))->background(0).color());
    page.selectLayer(1);
    QCOMPARE(changeRow(changes, "/srv/index.html") >= 0, true);
    QCOMPARE(changes->topLevelItem(changeRow(changes, "/srv/index.html"))->text(0), "added");
    const QString score = page.findChild<QLabel *>("layers-score")->text();
    QVERIFY2(score.contains("efficiency score") && score.contains("potential wasted space"), qPrintable(score));
    page.selectLayer(2);
    shoot(page, "layers-page-fixture");
    QFont big = page.font();
    big.setPointSizeF(big.pointSizeF() * 1.75);
    page.setFont(big);
    shoot(page, "layers-page-fixture-large");
    // Each box holds two lines of the larger text.
    QVERIFY(page.stack()->boxRect(0).height() >= 2 * QFontMetrics(big).height());
}

void TestLayersPage::liveContainer()
{
    if (!hoodtest::isRoot())
        QSKIP("launching a container with cgroup limits needs root here (cgroup v1/hybrid); run the test as root");
    MainWindow w(m_root.path());
    w.setCloseAnswer(true);
    w.resize(1920, 1080);
    w.show();
    const QString id = QStringLiteral("layers-test");
    w.launch({QString(), {"sleep", "600"}, std::nullopt, QString(), std::nullopt, std::nullopt, QString(), std::nullopt,
              std::nullopt, id, std::nullopt});
    ContainerController *c = w.controller();
    QTRY_VERIFY_WITH_TIMEOUT(c->runningCount() == 1 && w.currentContainer() == id, 30000);

    w.openPage("mounts");
    QTRY_VERIFY_WITH_TIMEOUT(!w.mountsPage()->layerList().isEmpty(), 5000);
    QVERIFY2(w.mountsPage()->layerList().contains("upperdir") && w.mountsPage()->layerList().contains("lowerdir"),
             qPrintable(w.mountsPage()->layerList()));
    shoot(w, "layers-mounts");
    w.mountsPage()->layersButton()->click();
    QCOMPARE(w.currentPage(), QStringLiteral("layers"));

    LayersPage *page = w.layersPage();
    QTRY_VERIFY_WITH_TIMEOUT(page->shownId() == id && page->model()->pathCount() > 5, 10000);
    const int writable = page->model()->writableLayer();
    QVERIFY2(writable >= 1, qPrintable(page->caption()));
    QCOMPARE(page->model()->layerOf("/bin/busybox"), 0);
    QVERIFY(!w.waitHolds({WaitCondition::Kind::CopyUp, "/bin/busybox", 1000}));
    QTRY_VERIFY_WITH_TIMEOUT(page->caption().contains("watched with inotify"), 5000);

    // Written from inside: a new file, and a lower one copied up.
    const hoodtest::Result r = hoodtest::run(
        m_root.path(), {"exec", id, "--", "sh", "-c", "echo hello > /hood-layers-new; touch /bin/busybox"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->layerOf("/hood-layers-new") == writable, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->layerOf("/bin/busybox") == writable, 5000);
    QVERIFY(page->model()->isLive("/hood-layers-new"));
    QVERIFY(w.waitHolds({WaitCondition::Kind::CopyUp, "/bin/busybox", 1000}));
    QVERIFY(w.waitHolds({WaitCondition::Kind::CopyUp, "/hood-layers-new", 1000}));
    // The fresh read after the writes lists them in the writable layer.
    page->selectLayer(writable);
    QTRY_VERIFY_WITH_TIMEOUT(changeRow(page->changes(), "/hood-layers-new") >= 0, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(changeRow(page->changes(), "/bin/busybox") >= 0, 5000);
    QCOMPARE(page->changes()->topLevelItem(changeRow(page->changes(), "/bin/busybox"))->text(0), "modified");
    QCOMPARE(page->changes()->topLevelItem(changeRow(page->changes(), "/hood-layers-new"))->text(0), "added");
    page->highlight("/bin/busybox");
    shoot(w, "layers-1920x1080");
    w.resize(1280, 720);
    QTRY_COMPARE_WITH_TIMEOUT(w.size(), QSize(1280, 720), 5000);
    shoot(w, "layers-1280x720");
    // Presentation mode, full screen on each projector: nothing pushes the window past it.
    for (QSize size : kProjectors) {
        QScreen *screen = screenNamed(projectorName(size));
        if (!screen)
            break; // a real display: its screens are what they are
        w.windowHandle()->setScreen(screen);
        w.setPresentationMode(true);
        QTRY_COMPARE_WITH_TIMEOUT(w.size(), size, 5000);
        QTest::qWait(300);
        shoot(w, QStringLiteral("layers-presentation-%1x%2").arg(size.width()).arg(size.height()));
        QCOMPARE(w.size(), size);
        const QRect box = page->stack()->boxRect(0);
        QVERIFY(box.height() >= 2 * QFontMetrics(page->stack()->font()).height());
        w.setPresentationMode(false);
        QTRY_VERIFY_WITH_TIMEOUT(!w.isFullScreen() && w.size() != size, 5000);
        QTest::qWait(200);
        w.windowHandle()->setScreen(QGuiApplication::primaryScreen());
    }

    // A deletion of a lower file: a whiteout in the writable layer.
    const hoodtest::Result rm = hoodtest::run(m_root.path(), {"exec", id, "--", "rm", "/etc/os-release"});
    QVERIFY2(rm.code == 0, qPrintable(rm.err));
    QTRY_VERIFY_WITH_TIMEOUT(page->model()->layerOf("/etc/os-release") < 0, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(changeRow(page->changes(), "/etc/os-release") >= 0, 5000);
    QCOMPARE(page->changes()->topLevelItem(changeRow(page->changes(), "/etc/os-release"))->text(0),
             "deleted (whiteout)");
    QVERIFY(w.waitHolds({WaitCondition::Kind::CopyUp, "/etc/os-release", 1000}));

    c->remove(id);
    QTRY_VERIFY_WITH_TIMEOUT(c->containers().isEmpty() && c->pendingCommands() == 0, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(page->caption().contains("Select a running container"), 5000);
    QVERIFY2(hoodtest::leftovers(m_root.path()).filter(m_root.path()).isEmpty(),
             qPrintable(hoodtest::leftovers(m_root.path()).join('\n')));
}

void TestLayersPage::cleanup()
{
    for (const QString &id : QDir(m_root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        hoodtest::run(m_root.path(), {"delete", "--force", id});
}

QTEST_MAIN(TestLayersPage)
#include "tst_layerspage.moc"
