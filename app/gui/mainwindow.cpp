#include "mainwindow.h"

#include "welcomepage.h"

#include "cgroups/cgroups.h"
#include "error.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSignalBlocker>
#include <QStatusBar>
#include <qcustomplot.h>

#include <unistd.h>

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle("Hood");
    setWindowIcon(hoodIcon());
    setCentralWidget(new WelcomePage(this));
    createMenus();
    statusBar()->addWidget(new QLabel(machineSummary(), this));
    resize(1024, 700);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    m_fullScreen = view->addAction(tr("&Full Screen"));
    m_fullScreen->setCheckable(true);
    m_fullScreen->setShortcut(Qt::Key_F11);
    connect(m_fullScreen, &QAction::toggled, this, &MainWindow::setFullScreen);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Hood"), this, &MainWindow::showAbout);
}

void MainWindow::setFullScreen(bool on)
{
    if (on)
        showFullScreen();
    else
        showNormal();
}

// The window manager can leave full screen too (a double click on the title bar, a
// key of its own); the menu's check mark follows the real state.
void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::WindowStateChange && m_fullScreen) {
        const QSignalBlocker blocker(m_fullScreen);
        m_fullScreen->setChecked(isFullScreen());
    }
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Hood"),
        tr("<h3>Hood %1</h3><p>See how containers really work.</p>"
           "<p>Built with Qt %2 and QCustomPlot %3.</p>")
            .arg(QApplication::applicationVersion(), qVersion(), QCUSTOMPLOT_VERSION_STR));
}

namespace {

QString cgroupSummary()
{
    try {
        switch (hood::detectCgroupMode()) {
        case hood::CgroupMode::V1: return QObject::tr("cgroups: v1 (one hierarchy per controller)");
        case hood::CgroupMode::Hybrid:
            return QObject::tr("cgroups: hybrid (controllers on v1, an extra v2 hierarchy "
                               "at /sys/fs/cgroup/unified)");
        case hood::CgroupMode::V2: return QObject::tr("cgroups: v2 (one unified hierarchy)");
        }
    } catch (const hood::Error &e) {
        return QObject::tr("cgroups: unknown (%1)").arg(QString::fromStdString(e.what()));
    }
    return {};
}

} // namespace

QString machineSummary()
{
    const QString user =
        geteuid() == 0
            ? QObject::tr("Running as root: every feature is available")
            : QObject::tr("Running as uid %1: rootless mode, with what the kernel allows")
                  .arg(geteuid());
    return user + QStringLiteral("  ·  ") + cgroupSummary();
}
