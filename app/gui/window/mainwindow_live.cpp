// The main window's live part: keeping the list, the pages and the console in step
// with the containers, and the actions a lesson (or a key) can trigger.
#include "mainwindow.h"

#include "consolesession.h"
#include "controller.h"
#include "equivalent.h"
#include "inspection.h"
#include "lessonsdock.h"
#include "models/containerlistmodel.h"
#include "pages/commandspage.h"
#include "pages/consolepage.h"
#include "pages/launcherpage.h"
#include "pages/namespacespage.h"
#include "pages/resourcespage.h"
#include "terminal/terminalwidget.h"
#include "pages/treepages.h"
#include "plots/resourceplots.h"
#include "sampler.h"

#include "cgroups/cgroups.h"
#include "error.h"
#include "image/builtin.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QItemSelectionModel>
#include <QScrollArea>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>

namespace hood::gui {

QWidget *MainWindow::page(const QString &name) const
{
    const int i = int(pageNames().indexOf(name));
    return i < 0 ? nullptr : m_tabs->widget(i);
}

QString MainWindow::currentPage() const
{
    return pageNames().value(m_tabs->currentIndex());
}

void MainWindow::openPage(const QString &name)
{
    if (QWidget *w = page(name)) {
        m_tabs->setCurrentWidget(w);
        if (name == QLatin1String("console"))
            m_console->terminal()->setFocus();
    }
}

void MainWindow::selectContainer(const QString &id)
{
    const int row = m_listModel->rowOf(id);
    if (row < 0)
        return;
    m_list->setCurrentIndex(m_listModel->index(row, 0));
    m_list->scrollTo(m_list->currentIndex());
}

void MainWindow::onContainersChanged()
{
    const QVector<ContainerRow> &rows = m_controller->containers();
    m_sampler->setContainers(rows);
    updateListUsage();
    if (m_listModel->rowOf(m_current) < 0) {
        m_current.clear();
        if (m_listModel->rowCount() > 0)
            selectContainer(m_listModel->row(m_listModel->rowCount() - 1)->id);
        else
            onSelectionChanged();
    } else if (m_list->currentIndex().row() != m_listModel->rowOf(m_current)) {
        selectContainer(m_current);
    }
    // A container that just stopped: the console switches from the socket to the log.
    const ContainerRow *row = m_controller->container(m_current);
    if (row && !row->running() && m_session->interactive())
        m_consoleFor.clear();
    openConsole();
    updateActions();
    refreshInspection();
}

void MainWindow::updateListUsage()
{
    QVector<ContainerRow> rows = m_controller->containers();
    for (ContainerRow &row : rows) {
        const ResourceHistory *h = m_sampler->history(row.id);
        if (!h || h->points.isEmpty() || !row.running())
            continue;
        row.cpuPercent = h->points.last().cpuPercent;
        row.memory = quint64(h->points.last().memory);
    }
    m_listModel->setRows(rows);
}

void MainWindow::onSelectionChanged()
{
    const ContainerRow *row = m_listModel->row(m_list->currentIndex().row());
    const QString id = row ? row->id : QString();
    const bool changed = id != m_current;
    m_current = id;
    updateActions();
    if (!changed)
        return;
    m_resources->showHistory(m_sampler->history(m_current), m_sampler->now());
    openConsole();
    refreshInspection();
}

void MainWindow::updateActions()
{
    const ContainerRow *row = m_controller->container(m_current);
    const bool running = row && row->running();
    m_stop->setEnabled(running);
    m_kill->setEnabled(running);
    m_remove->setEnabled(row != nullptr);
    m_restart->setEnabled(row != nullptr);
}

void MainWindow::onSampled()
{
    if (m_current.isEmpty() || m_tabs->currentWidget() != m_resources || !m_resources->isVisible())
        return;
    if (const ResourceHistory *h = m_sampler->history(m_current))
        m_resources->update(*h, m_sampler->now());
}

void MainWindow::openConsole()
{
    const ContainerRow *row = m_controller->container(m_current);
    if (!row) {
        m_session->close();
        m_consoleFor.clear();
        m_console->terminal()->clearScreen();
        m_console->setStatus(tr("Select a container to see its console."));
        return;
    }
    const QString key = row->id + (row->running() ? "/running" : "/stopped");
    if (key == m_consoleFor)
        return;
    m_consoleFor = key;
    m_console->terminal()->setReadOnly(!(row->terminal && row->running()));
    m_console->terminal()->setNewLineMode(!row->terminal);
    m_session->open(m_controller->containerDir(row->id), row->id, row->terminal, row->running());
}

// Inspection reads /proc of processes that may vanish at any moment; core reports
// the ordinary cases as states, and anything else arrives here as one sentence.
void MainWindow::refreshInspection()
{
    QElapsedTimer spent;
    spent.start();
    try {
        inspectCurrentPage();
    } catch (const Error &e) {
        showError(QString::fromStdString(e.what()));
    } catch (const std::exception &e) {
        showError(tr("Inspection failed: %1").arg(QString::fromLocal8Bit(e.what())));
    }
    const double ms = double(spent.nsecsElapsed()) / 1e6;
    emit inspected(ms, ms);
}

void MainWindow::inspectCurrentPage()
{
    const QString pageName = currentPage();
    const ContainerRow *row = m_controller->container(m_current);
    const bool live = row && row->running() && row->pid > 0;
    if (pageName == QLatin1String("namespaces")) {
        m_namespaces->showSnapshot(readNamespaceSnapshot(m_controller->containers()), live ? m_current : QString());
    } else if (pageName == QLatin1String("mounts")) {
        if (live)
            m_mounts->showSnapshot(readMountSnapshot(*row));
        else
            m_mounts->showNothing(row ? tr("%1 is not running: a stopped container has no mount namespace left.").arg(row->id)
                                      : tr("Select a running container to see its mount tree."));
    } else if (pageName == QLatin1String("processes")) {
        if (live)
            m_processes->showSnapshot(readProcessSnapshot(*row));
        else
            m_processes->showNothing(row ? tr("%1 is not running: it has no processes.").arg(row->id)
                                         : tr("Select a running container to see its processes."));
    }
}

void MainWindow::updateCommands()
{
    const LaunchSettings s = m_launcher->settings();
    QString rootfs = s.image;
    try {
        if (isBuiltinImageName(s.image.toStdString()))
            rootfs = QString::fromStdString(builtinImageRootfs(s.image.toStdString()));
    } catch (const Error &) {
        rootfs = QStringLiteral("/path/to/%1/rootfs").arg(s.image);
    }
    CgroupMode mode = CgroupMode::V2;
    try {
        mode = detectCgroupMode();
    } catch (const Error &) {
    }
    m_commands->showCommands(equivalentCommands(s, rootfs, mode));
}

// --- LessonActions -----------------------------------------------------------

void MainWindow::launch(const LaunchRequest &r)
{
    LaunchSettings s;
    if (!r.image.isEmpty())
        s.image = r.image;
    if (!r.command.isEmpty())
        s.command = r.command;
    if (r.namespaces)
        s.namespaces = *r.namespaces;
    if (!r.memory.isEmpty()) {
        const QString m = r.memory.trimmed().toUpper();
        const qint64 unit = m.endsWith('G') ? 1024LL * 1024 * 1024 : m.endsWith('M') ? 1024LL * 1024 : m.endsWith('K') ? 1024 : 1;
        s.memory = qint64(m.left(unit == 1 ? m.size() : m.size() - 1).toDouble() * double(unit));
    }
    s.cpus = r.cpus.value_or(0);
    s.pids = r.pids.value_or(0);
    s.hostname = r.hostname;
    s.chroot = r.chroot.value_or(false);
    s.rootless = r.rootless.value_or(false);
    s.name = r.name;
    // The launcher shows what the lesson asked for, so the student sees the settings.
    m_launcher->setSettings(s);
    rememberLaunch(s);
    m_controller->launch(s);
}

void MainWindow::highlight(const QString &pageName, const QString &key)
{
    openPage(pageName);
    if (pageName == QLatin1String("launcher"))
        m_launcher->highlight(key);
    else if (pageName == QLatin1String("namespaces"))
        m_namespaces->highlight(key);
    else if (pageName == QLatin1String("resources"))
        m_resources->plots()->highlight(key);
    else if (pageName == QLatin1String("mounts"))
        m_mounts->highlight(key);
    else if (pageName == QLatin1String("commands"))
        m_commands->highlight(key);
    else if (QWidget *w = page(pageName))
        flashWidget(w);
}

void MainWindow::typeInConsole(const QString &text)
{
    openPage("console");
    QString typed = text;
    typed.replace(QLatin1Char('\n'), QLatin1Char('\r')); // Enter on a terminal is CR
    // A lesson types right after it launches: the text waits for the new
    // container's terminal instead of going to the old one or nowhere.
    if (m_session->interactive() && m_controller->pendingCommands() == 0 && m_pendingTyping.isEmpty()) {
        m_session->write(typed.toUtf8());
        return;
    }
    m_pendingTyping += typed.toUtf8();
    m_typingTimeout.start();
}

// Nothing to do when the current container is not running (as lessons/README.md says).
void MainWindow::stopContainer()
{
    const ContainerRow *row = m_controller->container(m_current);
    if (row && row->running())
        m_controller->stop(m_current);
}

void MainWindow::killContainer(const QString &signal)
{
    const ContainerRow *row = m_controller->container(m_current);
    if (row && row->running())
        m_controller->kill(m_current, signal.isEmpty() ? QStringLiteral("TERM") : signal);
}

// --- Presentation and themes -------------------------------------------------

void MainWindow::setPresentationMode(bool on)
{
    if (m_presentation.on == on)
        return;
    m_presentation.on = on;
    if (on && m_presentation.fontScale < 1.5)
        m_presentation.fontScale = 1.75;
    m_presentationAction->setChecked(on);
    setLauncherScrolls(on);
    applyTheme();
    if (on)
        showFullScreen();
    else
        showNormal();
}

// At presentation size the launcher's form is taller and wider than a 1280×720
// projector leaves for it: it scrolls instead of pushing the window past the
// screen. At normal size it stays a plain page that fits the window as designed.
void MainWindow::setLauncherScrolls(bool on)
{
    QWidget *from = on ? static_cast<QWidget *>(m_launcher) : m_launcherScroll;
    const int i = m_tabs->indexOf(from);
    if (i < 0)
        return;
    const bool current = m_tabs->currentIndex() == i;
    const QString text = m_tabs->tabText(i), tip = m_tabs->tabToolTip(i);
    const QSignalBlocker block(m_tabs);
    m_tabs->removeTab(i);
    QWidget *to = m_launcherScroll;
    if (on) {
        m_launcherScroll->setWidget(m_launcher);
    } else {
        m_launcherScroll->takeWidget();
        to = m_launcher;
    }
    m_tabs->insertTab(i, to, text);
    m_tabs->setTabToolTip(i, tip);
    if (current)
        m_tabs->setCurrentIndex(i);
}

void MainWindow::setPresentationScale(double scale)
{
    m_presentation.fontScale = std::clamp(scale, 1.5, 2.0);
    if (m_presentation.on)
        applyTheme();
}

void MainWindow::setScheme(theme::Scheme scheme)
{
    m_scheme = scheme;
    QSettings().setValue("view/scheme", int(scheme));
    for (QAction *a : m_schemeActions)
        a->setChecked(a->data().toInt() == int(scheme));
    applyTheme();
}

void MainWindow::applyTheme()
{
    QFont font = m_baseFont;
    if (m_presentation.on)
        font.setPointSizeF(m_baseFont.pointSizeF() * m_presentation.fontScale);
    QApplication::setFont(font);
    if (m_scheme == theme::Scheme::System && !m_presentation.on)
        QApplication::setPalette(QPalette()); // back to the desktop's, and following it
    else
        QApplication::setPalette(theme::paletteFor(m_scheme, m_presentation.on, m_systemPalette));
    m_lessons->setPresentationScale(m_presentation.on ? m_presentation.fontScale : 1.0);
    m_resources->plots()->setFont(font);
    m_resources->plots()->setLineWidth(m_presentation.lineWidth());
    m_console->terminal()->setFont(theme::monospaceFont());
    m_commands->setFont(font);
    for (QWidget *w : m_commands->findChildren<QWidget *>(QRegularExpression("^commands-")))
        w->setFont(theme::monospaceFont());
    refreshInspection();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::WindowStateChange && m_presentationAction && m_presentation.on && !isFullScreen()) {
        // Leaving full screen through the window manager ends presentation mode too.
        setPresentationMode(false);
    }
    if (event->type() == QEvent::PaletteChange) {
        // Colours with meaning (shared / private) follow the new palette.
        refreshInspection();
    }
}

} // namespace hood::gui
