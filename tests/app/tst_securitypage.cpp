// The Security page, offscreen: a snapshot built from fixtures (every capability
// decoded, the seccomp summary, masked and read-only paths, the id maps, each with
// its line) and hood-demo's answers turned into a sentence; and, as root, real
// containers launched through the window: the page reads the init's capabilities,
// no_new_privs and filter, Try It makes keyctl inside and shows the filter's EPERM,
// and with the launcher's seccomp switch off the same call reaches the kernel.
// Screenshots at 1920×1080 and 1280×720 go to <build>/screenshots/security-*.png.
#include "screenshot.h"
#include "../integration/hoodtest.h"

#include "controller.h"
#include "launcherpage.h"
#include "mainwindow.h"
#include "pages/securitypage.h"

#include "inspect/security.h"
#include "runtime/seccompfilter.h"
#include "sys/fileio.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTableWidget>
#include <QTreeWidget>

using namespace hood::gui;
using pagetest::kShots;
using pagetest::shoot;

namespace {

SecuritySnapshot fixtureSnapshot()
{
    SecuritySnapshot s;
    s.id = "fixture";
    s.running = true;
    const std::string dir = HOOD_SOURCE_DIR "/tests/core/fixtures/security/";
    s.view.pid = 4242;
    s.view.proc = hood::inspect::parseProcSecurity(hood::readFile(dir + "status-docker"));
    s.view.uidMap = hood::inspect::parseIdMap(hood::readFile(dir + "uid_map-host"));
    s.view.gidMap = s.view.uidMap;
    const hood::Spec spec = hood::defaultSpec();
    s.view.maskedPaths = spec.maskedPaths;
    s.view.readonlyPaths = spec.readonlyPaths;
    s.view.seccomp = hood::inspect::viewSeccomp(hood::dockerDefaultSeccomp(hood::hostSeccompTarget({"CAP_CHOWN"})),
                                                hood::nativeSyscallNames());
    return s;
}

QTreeWidgetItem *topItem(QTreeWidget *tree, const QString &prefix)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0).startsWith(prefix))
            return tree->topLevelItem(i);
    return nullptr;
}

QTreeWidgetItem *childItem(QTreeWidgetItem *parent, const QString &text)
{
    for (int i = 0; parent && i < parent->childCount(); ++i) {
        if (parent->child(i)->text(0).startsWith(text))
            return parent->child(i);
        if (QTreeWidgetItem *deeper = childItem(parent->child(i), text))
            return deeper;
    }
    return nullptr;
}

} // namespace

class TestSecurityPage : public QObject {
    Q_OBJECT

public:
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void initTestCase()
    {
        QApplication::setStyle(QStyleFactory::create("Fusion"));
        QVERIFY(m_root.isValid());
        // The page at 1280x720 without the first run's welcome and lessons dock
        // (tst_firstrun's), whatever a suite before this one left in ~/.qttest.
        QSettings settings;
        settings.setValue("welcome/shown", true);
        settings.setValue("view/lessons", false);
    }

    void showsAFixture()
    {
        ContainerController controller(m_root.path());
        SecurityPage page(&controller, [] { return QStringLiteral("fixture"); });
        page.resize(1280, 460);
        page.showSnapshot(fixtureSnapshot());
        QCOMPARE(page.shownId(), QStringLiteral("fixture"));
        QVERIFY2(page.summary()->text().contains("14 of 41 capabilities"), qPrintable(page.summary()->text()));
        QVERIFY(page.summary()->text().contains("seccomp filter on"));
        QVERIFY(page.summary()->text().contains("root inside is root on the host"));
        // Every capability, the granted ones first.
        QCOMPARE(page.capabilities()->rowCount(), 41);
        QCOMPARE(page.capabilities()->item(0, 0)->text(), QStringLiteral("CAP_CHOWN"));
        QCOMPARE(page.capabilities()->item(0, 1)->text(), QStringLiteral("yes"));
        QCOMPARE(page.capabilities()->item(13, 1)->text(), QStringLiteral("yes"));
        QCOMPARE(page.capabilities()->item(14, 1)->text(), QStringLiteral("dropped"));
        bool sysAdmin = false;
        for (int r = 14; r < 41; ++r)
            sysAdmin |= page.capabilities()->item(r, 0)->text() == "CAP_SYS_ADMIN"
                        && page.capabilities()->item(r, 2)->text().contains("mount");
        QVERIFY(sysAdmin);
        QTreeWidget *d = page.details();
        QTreeWidgetItem *seccomp = topItem(d, "Seccomp: filter, 1 filter");
        QVERIFY2(seccomp, qPrintable(d->topLevelItem(0)->text(0)));
        QTreeWidgetItem *keyctl = childItem(seccomp, "keyctl");
        QVERIFY(keyctl && keyctl->text(1).contains("keyrings"));
        QVERIFY(childItem(seccomp, "Blocked: "));
        QVERIFY(topItem(d, "no_new_privs: on"));
        QTreeWidgetItem *masked = topItem(d, "Masked paths (10)");
        QVERIFY(masked && childItem(masked, "/proc/kcore")->text(1).contains("physical memory"));
        QTreeWidgetItem *ro = topItem(d, "Read-only paths (5)");
        QVERIFY(ro && childItem(ro, "/proc/sysrq-trigger"));
        QVERIFY(topItem(d, "User ids: the host's own"));
        QVERIFY(page.probeButton()->isEnabled());
        shoot(page, "security-page-fixture");

        // No filter: said so, and no notable list.
        SecuritySnapshot off = fixtureSnapshot();
        off.view.proc.seccompMode = 0;
        off.view.seccomp = hood::inspect::viewSeccomp(std::nullopt, {"read"});
        page.showSnapshot(off);
        QVERIFY(page.summary()->text().contains("no seccomp filter"));
        QVERIFY(childItem(topItem(d, "Seccomp: off"), "No filter"));
    }

    void probeAnswers_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("output");
        QTest::addColumn<QString>("expected");
        QTest::addRow("eperm") << 0
                               << "syscall: keyctl\nwhat: read the kernel keyrings\nresult: refused\n"
                                  "error: Operation not permitted (EPERM)\n"
                               << "keyctl: refused, Operation not permitted (EPERM)</b>: the seccomp filter";
        QTest::addRow("allowed") << 0 << "syscall: keyctl\nwhat: read the kernel keyrings\nresult: allowed\nreturned: 5\n"
                                 << "keyctl: allowed</b> (returned 5)";
        QTest::addRow("exec-failed") << 125 << "hoodctl: container x is not running\n"
                                     << "could not be tried: container x is not running";
    }

    void probeAnswers()
    {
        QFETCH(int, code);
        QFETCH(QString, output);
        QFETCH(QString, expected);
        ContainerController controller(m_root.path());
        SecurityPage page(&controller, [] { return QStringLiteral("fixture"); });
        page.showSnapshot(fixtureSnapshot());
        page.showProbeAnswer(code, output);
        QVERIFY2(page.probeResult()->text().contains(expected), qPrintable(page.probeResult()->text()));
    }

    void liveContainers()
    {
        if (!hoodtest::isRoot())
            QSKIP("launching containers needs root here (cgroup v1/hybrid); run the test as root");
        MainWindow w(m_root.path());
        w.setCloseAnswer(true);
        w.resize(1920, 1080);
        w.show();
        auto *page = qobject_cast<SecurityPage *>(w.page("security"));
        QVERIFY(page);
        ContainerController *c = w.controller();
        struct Case {
            QString id;
            bool seccomp;
            QString answer;
        };
        const Case cases[] = {{"sec-on", true, "refused, Operation not permitted (EPERM)</b>: the seccomp filter"},
                              {"sec-off", false, "keyctl: allowed"}};
        for (const Case &k : cases) {
            hood::gui::LaunchRequest r;
            r.command = {"sleep", "600"};
            r.name = k.id;
            r.seccomp = k.seccomp;
            w.launch(r);
            QTRY_VERIFY_WITH_TIMEOUT(c->container(k.id) && c->container(k.id)->running() && w.currentContainer() == k.id, 30000);
            w.openPage("security");
            QTRY_VERIFY_WITH_TIMEOUT(page->shownId() == k.id && page->probeButton()->isEnabled(), 10000);
            QVERIFY2(page->summary()->text().contains("14 of 41 capabilities"), qPrintable(page->summary()->text()));
            QVERIFY(page->summary()->text().contains(k.seccomp ? "seccomp filter on" : "no seccomp filter"));
            QVERIFY(page->summary()->text().contains("no_new_privs on"));
            page->probeChoice()->setCurrentText("keyctl");
            page->probeButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(page->probeResult()->text().contains(k.answer), 30000);
            if (k.seccomp) {
                shoot(w, "security-1920x1080");
                w.resize(1280, 720);
                QTRY_COMPARE_WITH_TIMEOUT(w.size(), QSize(1280, 720), 5000);
                shoot(w, "security-1280x720");
                w.resize(1920, 1080);
            }
            // The launcher's switch is what the lesson asked for.
            QCOMPARE(w.launcherPage()->settings().seccomp, k.seccomp);
        }
        c->removeAll();
        QTRY_VERIFY_WITH_TIMEOUT(c->containers().isEmpty() && c->pendingCommands() == 0, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(page->shownId().isEmpty(), 5000);
        QVERIFY2(hoodtest::leftovers(m_root.path()).filter(m_root.path()).isEmpty(),
                 qPrintable(hoodtest::leftovers(m_root.path()).join('\n')));
    }

    void cleanup()
    {
        for (const QString &id : QDir(m_root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            if (!id.startsWith('#'))
                hoodtest::run(m_root.path(), {"delete", "--force", id});
    }

private:
    QTemporaryDir m_root {QStringLiteral("/tmp/hood-tst-security-XXXXXX")};
};

QTEST_MAIN(TestSecurityPage)
#include "tst_securitypage.moc"
