// The main window's live part: keeping the list, the pages and the console in step
// with the containers, and the actions a lesson (or a key) can trigger.
#include "mainwindow.h"
#include "welcomebanner.h"

#include "buildsession.h"
#include "consolesession.h"
#include "controller.h"
#include "equivalent.h"
#include "inspector.h"
#include "layerinspector.h"
#include "lessonsdock.h"
#include "models/containerlistmodel.h"
#include "pages/commandspage.h"
#include "pages/consolepage.h"
#include "pages/launcherpage.h"
#include "pages/layerspage.h"
#include "pages/namespacespage.h"
#include "pages/resourcespage.h"
#include "pages/startuppage.h"
#include "pages/networkpage.h"
#include "terminal/terminalwidget.h"
#include "pages/treepages.h"
#include "plots/resourceplots.h"
#include "sampler.h"
#include "starttrace.h"

#include "cgroups/cgroups.h"
#include "error.h"
#include "image/builtin.h"
#include "image/layerview.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QItemSelectionModel>
#include <QScrollArea>
#include <QSettings>
#include <QTabWidget>
#include <QTableView>

#include <QtConcurrent/QtConcurrentRun>

#include <memory>

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
    updateCommands();
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

void MainWindow::refreshInspection()
{
    inspectCurrentPage();
}

// What needs /proc goes to the inspector's thread; what the window already knows
// (nothing selected, not running) is shown at once.
void MainWindow::inspectCurrentPage()
{
    using Kind = InspectionRequest::Kind;
    const QString pageName = currentPage();
    const ContainerRow *row = m_controller->container(m_current);
    const bool live = row && row->running() && row->pid > 0;
    inspectLayers(pageName == QLatin1String("layers"));
    if (pageName == QLatin1String("layers"))
        return;
    InspectionRequest request;
    if (pageName == QLatin1String("namespaces")) {
        request.kind = Kind::Namespaces;
        request.rows = m_controller->containers();
        request.selected = live ? m_current : QString();
    } else if (pageName == QLatin1String("mounts") && live) {
        request.kind = Kind::Mounts;
        request.row = *row;
    } else if (pageName == QLatin1String("processes") && live) {
        request.kind = Kind::Processes;
        request.row = *row;
    } else if (pageName == QLatin1String("network")) {
        request.kind = Kind::Network;
        request.rows = m_controller->containers();
        request.selected = live ? m_current : QString();
        request.stateDir = m_controller->stateRoot();
    } else if (pageName == QLatin1String("startup") && row) {
        request.kind = Kind::StartTrace;
        request.row = *row;
        request.stateDir = m_controller->containerDir(row->id);
    } else {
        if (pageName == QLatin1String("mounts"))
            m_mounts->showNothing(row ? tr("%1 is not running: a stopped container has no mount namespace left.").arg(row->id)
                                      : tr("Select a running container to see its mount tree."));
        else if (pageName == QLatin1String("processes"))
            m_processes->showNothing(row ? tr("%1 is not running: it has no processes.").arg(row->id)
                                         : tr("Select a running container to see its processes."));
        else if (pageName == QLatin1String("startup"))
            m_startup->showNothing(tr("Select a container to see how its start went, step by step."));
        return;
    }
    m_inspector->request(request);
}

// The Layers page's own thread reads the stack once and then follows inotify; it
// stops watching when the page is left or the container changes.
void MainWindow::inspectLayers(bool onScreen)
{
    const ContainerRow *row = m_controller->container(m_current);
    const bool live = row && row->running() && row->pid > 0;
    if (!onScreen || !live) {
        m_layerInspector->stop();
        // An image's layers opened from the Build page stay until a container is chosen.
        if (onScreen && !m_layersPage->showsImage())
            m_layersPage->showNothing(row ? tr("%1 is not running: its overlay is unmounted, so it has no layer stack "
                                               "left to show.").arg(row->id)
                                          : tr("Select a running container to see its layers."));
        return;
    }
    m_layerInspector->watch(*row);
}

// The Build page's layer: the image's stack is scanned on a pool thread (every
// layer's files), then the Layers page shows it with that layer selected.
void MainWindow::showImageLayer(const QString &image, const QString &diffId)
{
    auto *watcher = new QFutureWatcher<std::pair<LayerSnapshot, int>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        const auto [snapshot, layer] = watcher->result();
        watcher->deleteLater();
        if (snapshot.problem.isEmpty())
            m_list->clearSelection(); // the page shows the image, not a container
        openPage("layers");
        m_layersPage->showSnapshot(snapshot);
        if (layer >= 0)
            m_layersPage->selectLayer(layer);
    });
    watcher->setFuture(QtConcurrent::run([image, diffId] {
        int layer = -1;
        LayerSnapshot s = imageLayerSnapshot(QString(), image, diffId, &layer);
        return std::pair<LayerSnapshot, int>(std::move(s), layer);
    }));
}

// A result the user has moved on from (another page, another container) is dropped:
// the request for what is on screen now is already on its way.
void MainWindow::showInspection(const InspectionResult &r)
{
    using Kind = InspectionRequest::Kind;
    QElapsedTimer spent;
    spent.start();
    const QString pageName = currentPage();
    const ContainerRow *row = m_controller->container(m_current);
    const bool live = row && row->running() && row->pid > 0;
    const QString selected = live ? m_current : QString();
    if (!r.error.isEmpty()) {
        showError(r.error);
    } else if (r.kind == Kind::Namespaces && pageName == QLatin1String("namespaces")) {
        m_namespaces->showSnapshot(std::get<NamespaceSnapshot>(r.snapshot), selected);
    } else if (r.kind == Kind::Mounts && pageName == QLatin1String("mounts") && live && r.id == m_current) {
        m_mounts->showSnapshot(std::get<MountSnapshot>(r.snapshot));
    } else if (r.kind == Kind::Processes && pageName == QLatin1String("processes") && live && r.id == m_current) {
        m_processes->showSnapshot(std::get<ProcessSnapshot>(r.snapshot));
    } else if (r.kind == Kind::Network && pageName == QLatin1String("network")) {
        m_network->showSnapshot(std::get<NetworkSnapshot>(r.snapshot), selected);
    } else if (r.kind == Kind::StartTrace && pageName == QLatin1String("startup") && row && r.id == m_current) {
        showStartTrace(std::get<StartTraceParse>(r.snapshot));
    }
    emit inspected(double(spent.nsecsElapsed()) / 1e6, r.readMs);
}

void MainWindow::showStartTrace(const StartTraceParse &parse)
{
    if (parse.trace)
        m_startup->showTrace(m_current, *parse.trace);
    else if (!parse.error.isEmpty())
        m_startup->showNothing(tr("The start-up steps of %1 cannot be shown: %2").arg(m_current, parse.error));
    else
        m_startup->showNothing(tr("%1 was started before Hood recorded start-up steps: it has no trace.json. "
                                  "Restart it (Ctrl+Shift+R) to see every step of its start.")
                                   .arg(m_current));
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
    // A selected container: the config.json its monitor stored, not a recomputed one.
    m_commands->showCommands(m_controller->container(m_current)
                                 ? storedEquivalentCommands(m_controller->settingsOf(m_current), m_controller->containerDir(m_current), mode)
                                 : equivalentCommands(s, rootfs, mode));
}

// --- LessonActions -----------------------------------------------------------

void MainWindow::launch(const LaunchRequest &r, ActionDone done)
{
    LaunchSettings s;
    if (!r.image.isEmpty())
        s.image = r.image;
    if (!r.command.isEmpty())
        s.command = r.command;
    if (r.namespaces)
        s.namespaces = *r.namespaces;
    if (!r.memory.isEmpty())
        s.memory = parseBytes(r.memory.toStdString(), "memory"); // checkAction accepted it
    s.cpus = r.cpus.value_or(0);
    s.pids = r.pids.value_or(0);
    s.hostname = r.hostname;
    s.chroot = r.chroot.value_or(false);
    s.rootless = r.rootless.value_or(false);
    s.seccomp = r.seccomp.value_or(true);
    s.name = r.name;
    // The launcher shows what the lesson asked for, so the student sees the settings.
    m_launcher->setSettings(s);
    rememberLaunch(s);
    if (m_launchDone) // an earlier lesson launch still under way: it is over for the lesson
        std::exchange(m_launchDone, {})(QString());
    m_launchDone = std::move(done);
    m_launchError.clear();
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
    else if (pageName == QLatin1String("layers"))
        m_layersPage->highlight(key);
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
void MainWindow::stopContainer(ActionDone done)
{
    const ContainerRow *row = m_controller->container(m_current);
    if (!row || !row->running()) {
        if (done)
            done({});
        return;
    }
    m_controller->stop(m_current, [this, done](bool ok) {
        if (done)
            done(ok ? QString() : m_lastError);
    });
}

void MainWindow::killContainer(const QString &signal, ActionDone done)
{
    const ContainerRow *row = m_controller->container(m_current);
    if (!row || !row->running()) {
        if (done)
            done({});
        return;
    }
    m_controller->kill(m_current, signal.isEmpty() ? QStringLiteral("TERM") : signal, [this, done](bool ok) {
        if (done)
            done(ok ? QString() : m_lastError);
    });
}

// Polled ten times a second: each check is a lookup or one stat(2), and the state,
// the console and the container's files all change without telling the window.
void MainWindow::waitFor(const WaitCondition &condition, ActionDone done)
{
    auto *poll = new QTimer(this);
    auto clock = std::make_shared<QElapsedTimer>();
    clock->start();
    auto check = [this, poll, clock, condition, done] {
        const bool holds = waitHolds(condition);
        if (!holds && clock->elapsed() < condition.timeoutMs)
            return;
        poll->stop();
        poll->deleteLater();
        if (done)
            done(holds ? QString() : waitTimedOut(condition));
    };
    connect(poll, &QTimer::timeout, this, check);
    poll->start(100);
    QTimer::singleShot(0, poll, check);
}

bool MainWindow::waitHolds(const WaitCondition &c) const
{
    const ContainerRow *row = m_controller->container(m_current);
    switch (c.kind) {
    case WaitCondition::Kind::State:
        return c.value == QLatin1String("running") ? row && row->running()
                                                   : !row || row->status == QLatin1String("stopped");
    case WaitCondition::Kind::Console:
        // The screen keeps no spaces at the end of a line: a prompt "/ # " is "/ #" there.
        return m_console->terminal()->screen().text().contains(c.value.trimmed());
    case WaitCondition::Kind::File:
        // The init's /proc/PID/root is the container's root as the container sees it.
        return row && row->running() && row->pid > 0
               && QFileInfo::exists(QStringLiteral("/proc/%1/root%2").arg(row->pid).arg(c.value));
    case WaitCondition::Kind::CopyUp:
        // One mountinfo read and a stat or two (core/image/layerview).
        return row && row->running() && row->pid > 0 && image::inWritableLayer(row->pid, c.value.toStdString());
    }
    return false;
}

QString MainWindow::waitTimedOut(const WaitCondition &c) const
{
    const ContainerRow *row = m_controller->container(m_current);
    const QString seconds = QString::number(double(c.timeoutMs) / 1000);
    const QString who = row ? row->id : tr("no container");
    switch (c.kind) {
    case WaitCondition::Kind::State:
        return row ? tr("wait-for: %1 was not %2 after %3 s (it is %4).").arg(who, c.value, seconds, row->status)
                   : tr("wait-for: no container is selected, so none became %1 within %2 s.").arg(c.value, seconds);
    case WaitCondition::Kind::Console:
        return tr("wait-for: \u201c%1\u201d did not appear in the console of %2 within %3 s.").arg(c.value, who, seconds);
    case WaitCondition::Kind::File:
        return row && row->running()
                   ? tr("wait-for: %1 did not appear in %2 within %3 s.").arg(c.value, who, seconds)
                   : tr("wait-for: %1 cannot appear in %2: it is not running.").arg(c.value, who);
    case WaitCondition::Kind::CopyUp:
        return row && row->running()
                   ? tr("wait-for: %1 did not move up into the writable layer of %2 within %3 s.").arg(c.value, who, seconds)
                   : tr("wait-for: %1 cannot move up a layer in %2: it is not running.").arg(c.value, who);
    }
    return {};
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
    // A speaker in front of a class has been here before: the welcome would only
    // take the projector's height.
    if (on && m_welcome)
        m_welcome->hide();
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
    m_lessons->setArrowKeys(m_presentation.on);
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
