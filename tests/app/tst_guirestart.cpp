// The window at start, as root: it runs `hoodctl gc`, so a container whose
// monitor and init were SIGKILLed (the GUI or a hoodctl that crashed) leaves no
// cgroup or state behind, and a container whose monitor lives on is listed as
// running and its terminal re-attached: typing in the Console reaches it.
#include "../integration/hoodtest.h"

#include "controller.h"
#include "mainwindow.h"
#include "pages/consolepage.h"
#include "terminal/terminalwidget.h"

#include <QApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>

#include <csignal>

using namespace hood::gui;

class TestGuiRestart : public QObject {
    Q_OBJECT

public:
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void gcAndReattach()
    {
        if (!hoodtest::isRoot())
            QSKIP("launching containers with cgroups needs root here (cgroup v1/hybrid); run the test as root");
        QVERIFY(m_root.isValid());
        const QString root = m_root.path();
        QCOMPARE(hoodtest::run(root, {"run", "-d", "--name", "dead", "--memory", "64M", "--", "sleep", "600"}).code, 0);
        QCOMPARE(hoodtest::run(root, {"run", "-d", "-t", "--name", "alive", "--", "sh"}).code, 0);
        // A crash of everything that looked after "dead": its monitor and its init.
        QFile f(root + "/dead/state.json");
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject state = QJsonDocument::fromJson(f.readAll()).object();
        const int monitor = state["monitorPid"].toInt(), init = state["pid"].toInt();
        QVERIFY(monitor > 1 && init > 1);
        ::kill(monitor, SIGKILL);
        ::kill(init, SIGKILL);
        QTest::qWait(300); // a zombie counts as dead, so it need not be reaped yet
        QVERIFY2(!hoodtest::leftovers(root).filter("/dead").isEmpty(), "the crash left nothing to collect");

        MainWindow w(root);
        w.setCloseAnswer(false);
        w.show();
        ContainerController *c = w.controller();
        QTRY_VERIFY_WITH_TIMEOUT(hoodtest::leftovers(root).filter("/dead").isEmpty(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!c->container("dead") && c->container("alive") && c->container("alive")->running(), 10000);
        w.selectContainer("alive");
        w.openPage("console");
        QTest::qWait(1000); // the console attaches to the monitor's attach.sock
        w.typeInConsole("echo reattached-$((6*7))\n");
        QTRY_VERIFY_WITH_TIMEOUT(w.consolePage()->terminal()->screen().text().contains("reattached-42"), 15000);
        w.close();
        QCOMPARE(hoodtest::run(root, {"delete", "--force", "alive"}).code, 0);
        QStringList left = hoodtest::leftovers(root).filter(root);
        QVERIFY2(left.isEmpty(), qPrintable(left.join('\n')));
    }

    // Whatever happened above, nothing of this test stays running.
    void cleanup()
    {
        for (const QString &id : QDir(m_root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            if (!id.startsWith('#'))
                hoodtest::run(m_root.path(), {"delete", "--force", id});
    }

private:
    QTemporaryDir m_root {QStringLiteral("/tmp/hood-tst-restart-XXXXXX")};
};

QTEST_MAIN(TestGuiRestart)
#include "tst_guirestart.moc"
