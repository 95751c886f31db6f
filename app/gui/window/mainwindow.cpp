#include "mainwindow.h"

#include "consolesession.h"
#include "lessonsdock.h"
#include "controller.h"
#include "inspector.h"
#include "layerinspector.h"
#include "models/containerlistmodel.h"
#include "pages/buildpage.h"
#include "pages/commandspage.h"
#include "pages/consolepage.h"
#include "pages/launcherpage.h"
#include "pages/layerspage.h"
#include "pages/namespacespage.h"
#include "pages/preflightbanner.h"
#include "pages/resourcespage.h"
#include "pages/startuppage.h"
#include "pages/networkpage.h"
#include "pages/securitypage.h"
#include "terminal/terminalwidget.h"
#include "pages/treepages.h"
#include "preflight.h"
#include "recentlaunches.h"
#include "sampler.h"
#include "welcomebanner.h"

#include "cgroups/cgroups.h"
#include "error.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QResizeEvent>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>
#include <qcustomplot.h>

#include <unistd.h>

// hood.qrc is compiled into the hood_gui static library; a static library's
// resources are registered by hand (Q_INIT_RESOURCE must be called outside a namespace).
static void initHoodResources()
{
    Q_INIT_RESOURCE(hood);
}

namespace hood::gui {

namespace {

// A one-line label that ends in "…" when the window is too narrow for it (large
// presentation fonts on a projector) instead of being cut; the tooltip keeps it whole.
class ElidedLabel : public QLabel {
public:
    ElidedLabel(const QString &text, QWidget *parent) : QLabel(parent), m_full(text)
    {
        setToolTip(text);
        setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        fit();
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QLabel::resizeEvent(event);
        fit();
    }
    void changeEvent(QEvent *event) override
    {
        QLabel::changeEvent(event);
        if (event->type() == QEvent::FontChange)
            fit();
    }

private:
    void fit() { setText(fontMetrics().elidedText(m_full, Qt::ElideRight, std::max(width(), 1))); }

    QString m_full;
};

} // namespace

const QStringList &MainWindow::pageNames()
{
    static const QStringList names = {"launcher", "namespaces", "resources", "mounts",
                                      "processes", "console", "commands", "startup", "layers", "network", "build",
                                      "security"};
    return names;
}

MainWindow::MainWindow(const QString &stateRoot, QWidget *parent)
    : QMainWindow(parent),
      m_controller(new ContainerController(stateRoot, this)),
      m_sampler(new LiveSampler(this)),
      m_session(new ConsoleSession(this)),
      m_inspector(new Inspector(this)),
      m_layerInspector(new LayerInspector(this)),
      m_listModel(new ContainerListModel(this)),
      m_systemPalette(QApplication::palette()),
      m_baseFont(QApplication::font())
{
    initHoodResources();
    setWindowTitle("Hood");
    setWindowIcon(hoodIcon());
    auto *central = new QWidget(this);
    auto *v = new QVBoxLayout(central);
    v->setContentsMargins(6, 4, 6, 0);
    m_preflight = new PreflightBanner(central);
    readMachineInBackground();
    v->addWidget(m_preflight);
    v->addWidget(createErrorBar());
    auto *split = new QSplitter(Qt::Vertical, central);
    split->addWidget(createContainerPanel());
    m_tabs = new QTabWidget(split);
    m_launcher = new LauncherPage;
    m_namespaces = new NamespacesPage;
    m_resources = new ResourcesPage;
    m_mounts = new MountsPage;
    m_processes = new ProcessesPage;
    m_console = new ConsolePage;
    m_commands = new CommandsPage;
    m_startup = new StartupPage;
    m_layersPage = new LayersPage;
    m_network = new NetworkPage;
    m_network->setHoodctl(m_controller->hoodctl(), m_controller->stateRoot());
    m_build = new BuildPage(m_controller->hoodctl(), m_controller->stateRoot());
    m_tabs->addTab(m_launcher, tr("Launch"));
    m_launcherScroll = new QScrollArea(this);
    m_launcherScroll->setWidgetResizable(true);
    m_launcherScroll->setFrameShape(QFrame::NoFrame);
    m_launcherScroll->hide();
    m_tabs->addTab(m_namespaces, tr("Namespaces"));
    m_tabs->addTab(m_resources, tr("Resources"));
    m_tabs->addTab(m_mounts, tr("Mounts"));
    m_tabs->addTab(m_processes, tr("Processes"));
    m_tabs->addTab(m_console, tr("Console"));
    m_tabs->addTab(m_commands, tr("Equivalent commands"));
    m_tabs->addTab(m_startup, tr("Start-up"));
    m_tabs->addTab(m_layersPage, tr("Layers"));
    m_tabs->addTab(m_network, tr("Network"));
    m_tabs->addTab(m_build, tr("Build"));
    m_tabs->addTab(new SecurityPage(m_controller, [this] { return m_current; }), tr("Security"));
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({150, 500});
    v->addWidget(split, 1);
    setCentralWidget(central);
    createActions();
    createLessonsDock();
    welcomeOnFirstRun();
    createMenus();
    statusBar()->addWidget(new ElidedLabel(machineSummary(), this), 1);

    QSettings settings;
    m_launcher->setRecent(RecentLaunches(settings).load());
    connect(m_launcher, &LauncherPage::settingsChanged, this, &MainWindow::updateCommands);
    connect(m_launcher, &LauncherPage::launchRequested, this, [this](const LaunchSettings &s) {
        rememberLaunch(s);
        m_controller->launch(s);
    });
    connect(m_controller, &ContainerController::containersChanged, this, &MainWindow::onContainersChanged);
    connect(m_controller, &ContainerController::engineError, this, &MainWindow::showError);
    connect(m_controller, &ContainerController::engineWarning, this, [this](const QString &w) { statusBar()->showMessage(w, 20000); });
    connect(m_controller, &ContainerController::busyChanged, m_launcher, &LauncherPage::setBusy);
    connect(m_controller, &ContainerController::launched, this, [this](const QString &id) {
        const bool fromLauncher = currentPage() == QLatin1String("launcher");
        selectContainer(id);
        if (fromLauncher)
            openPage(m_controller->container(id) && m_controller->container(id)->terminal ? "console" : "resources");
    });
    connect(m_sampler, &LiveSampler::sampled, this, &MainWindow::onSampled);
    connect(m_inspector, &Inspector::inspected, this, &MainWindow::showInspection);
    connect(m_layerInspector, &LayerInspector::snapshot, this, [this](const LayerSnapshot &s) {
        if (currentPage() == QLatin1String("layers") && s.id == m_current)
            m_layersPage->showSnapshot(s);
    });
    connect(m_layerInspector, &LayerInspector::copiedUp, this, [this](const QString &id, const QVector<CopyUpMark> &marks) {
        if (currentPage() == QLatin1String("layers") && id == m_current && m_layersPage->shownId() == id)
            m_layersPage->showCopyUps(marks);
    });
    connect(m_mounts, &MountsPage::layersRequested, this, [this] { openPage("layers"); });
    connect(m_build, &BuildPage::layerRequested, this, &MainWindow::showImageLayer);
    // A lesson's launch is over when the container runs (launched), or when hoodctl
    // has finished without one (the engine's sentence says why).
    connect(m_controller, &ContainerController::engineError, this, [this](const QString &sentence) {
        if (m_launchDone)
            m_launchError = sentence;
    });
    connect(m_controller, &ContainerController::launched, this, [this] {
        if (m_launchDone)
            std::exchange(m_launchDone, {})(QString());
    });
    connect(m_controller, &ContainerController::busyChanged, this, [this](bool busy) {
        if (!busy && m_launchDone)
            std::exchange(m_launchDone, {})(m_launchError.isEmpty() ? tr("launch: hoodctl started no container.")
                                                                    : m_launchError);
    });
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        refreshInspection();
        onSampled();
    });
    connect(m_resources, &ResourcesPage::redrawRequested, this,
            [this] { m_resources->showHistory(m_sampler->history(m_current), m_sampler->now()); });
    connect(m_resources, &ResourcesPage::historyWanted, this,
            [this](const ResourceHistory **h) { *h = m_sampler->history(m_current); });
    connect(m_session, &ConsoleSession::output, m_console->terminal(), &TerminalWidget::feed);
    connect(m_session, &ConsoleSession::reset, m_console->terminal(), &TerminalWidget::clearScreen);
    connect(m_session, &ConsoleSession::statusChanged, m_console, &ConsolePage::setStatus);
    connect(m_console->terminal(), &TerminalWidget::bytesTyped, m_session, &ConsoleSession::write);
    connect(m_console->terminal(), &TerminalWidget::sizeChanged, m_session, &ConsoleSession::setWindowSize);
    m_session->setWindowSize(m_console->terminal()->screen().rows(), m_console->terminal()->screen().columns());
    connect(m_session, &ConsoleSession::attached, this, [this] {
        // The first console attached after the text was queued is the new container's.
        if (!m_pendingTyping.isEmpty())
            m_session->write(std::exchange(m_pendingTyping, {}));
    });
    m_typingTimeout.setSingleShot(true);
    m_typingTimeout.setInterval(20000);
    connect(&m_typingTimeout, &QTimer::timeout, this, [this] { m_pendingTyping.clear(); });
    connect(m_console, &ConsolePage::reconnectRequested, this, [this] {
        m_consoleFor.clear();
        openConsole();
    });

    m_inspectTimer.setInterval(1000);
    connect(&m_inspectTimer, &QTimer::timeout, this, &MainWindow::refreshInspection);
    m_inspectTimer.start();
    m_listTimer.setInterval(1000);
    connect(&m_listTimer, &QTimer::timeout, this, &MainWindow::updateListUsage);
    m_listTimer.start();
    m_errorTimer.setSingleShot(true);
    m_errorTimer.setInterval(20000);
    connect(&m_errorTimer, &QTimer::timeout, m_errorBar, &QWidget::hide);

    m_scheme = theme::Scheme(settings.value("view/scheme", int(theme::Scheme::System)).toInt());
    applyTheme();
    onContainersChanged();
    updateCommands();
    restoreOrFitGeometry();
}

MainWindow::~MainWindow() = default;

bool MainWindow::isReading() const
{
    // A page with a reader of its own says so in its "reading" property.
    const QWidget *page = m_tabs->currentWidget();
    return !m_machineRead || m_inspector->busy() || m_layerInspector->busy()
           || (page && page->property("reading").toBool());
}

// Reading the machine's facts touches /proc, /sys and PATH: a pool thread does it,
// and the banner fills in when they are judged.
void MainWindow::readMachineInBackground()
{
    auto *watcher = new QFutureWatcher<QVector<PreflightItem>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        m_preflight->setItems(watcher->result());
        m_machineRead = true;
        watcher->deleteLater();
    });
    watcher->setFuture(QtConcurrent::run([] { return judgeMachine(readMachineFacts()); }));
}

QFrame *MainWindow::createErrorBar()
{
    m_errorBar = new QFrame(this);
    m_errorBar->setFrameShape(QFrame::StyledPanel);
    m_errorBar->setAutoFillBackground(true);
    auto *h = new QHBoxLayout(m_errorBar);
    h->setContentsMargins(8, 4, 4, 4);
    m_errorLabel = new QLabel(m_errorBar);
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *close = new QToolButton(m_errorBar);
    close->setText(tr("Dismiss"));
    close->setShortcut(Qt::Key_Escape);
    connect(close, &QToolButton::clicked, m_errorBar, &QWidget::hide);
    h->addWidget(m_errorLabel, 1);
    h->addWidget(close);
    m_errorBar->hide();
    return m_errorBar;
}

void MainWindow::showError(const QString &sentence)
{
    m_lastError = sentence;
    QPalette p = m_errorBar->palette();
    p.setColor(QPalette::Window, theme::alertColor(palette()).lighter(theme::isDark(palette()) ? 50 : 180));
    m_errorBar->setPalette(p);
    m_errorLabel->setText(tr("<b>The engine said:</b> %1").arg(sentence.toHtmlEscaped()));
    m_errorBar->show();
    m_errorTimer.start();
}

QWidget *MainWindow::createContainerPanel()
{
    auto *panel = new QWidget(this);
    auto *v = new QVBoxLayout(panel);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    auto *head = m_listHead = new QHBoxLayout;
    auto *title = new QLabel(tr("<b>Containers</b>"), panel);
    head->addWidget(title);
    head->addStretch();
    v->addLayout(head);
    m_list = new QTableView(panel);
    m_list->setModel(m_listModel);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->verticalHeader()->hide();
    m_list->setAlternatingRowColors(true);
    m_list->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_list->horizontalHeader()->setSectionResizeMode(ContainerListModel::Name, QHeaderView::Stretch);
    m_list->setMinimumHeight(90);
    title->setBuddy(m_list);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &MainWindow::onSelectionChanged);
    v->addWidget(m_list, 1);
    return panel;
}

// The lessons sit in the right dock area; the window performs their actions.
// Hidden at first (a 1024-pixel projector needs the width for the pages); View >
// Lessons (F9) shows it, and the choice is remembered.
void MainWindow::createLessonsDock()
{
    m_lessons = new LessonsDock(this);
    m_lessons->setObjectName("lessons");
    m_lessons->setActions(this);
    m_lessons->setHoodctl(findHoodctl(), m_controller->stateRoot());
    addDockWidget(Qt::RightDockWidgetArea, m_lessons);
    m_lessons->setVisible(QSettings().value("view/lessons", false).toBool());
    connect(m_lessons, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (!m_closing && isVisible())
            QSettings().setValue("view/lessons", visible);
    });
    // Shown again (F9) or docked again after floating: its share of the window.
    connect(m_lessons, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible)
            QTimer::singleShot(0, this, &MainWindow::fitLessonsDock);
    });
    connect(m_lessons, &QDockWidget::topLevelChanged, this, [this](bool floating) {
        if (!floating)
            QTimer::singleShot(0, this, &MainWindow::fitLessonsDock);
    });
}

// The lessons take about a third of the window, so that at 1920 px a step reads as
// prose and its charts keep their labels (left to itself the dock kept its minimum,
// 340 of 1920 px, beside a mostly empty page). The pages keep the width they need
// beside it: the Launch form, which does not scroll outside presentation mode,
// still fits at 1280 px. A width dragged by hand lasts until the window's width
// changes.
void MainWindow::fitLessonsDock()
{
    const Qt::DockWidgetArea area = dockWidgetArea(m_lessons);
    if (m_lessons->isHidden() || m_lessons->isFloating()
        || (area != Qt::RightDockWidgetArea && area != Qt::LeftDockWidgetArea))
        return;
    // The dock areas must have been laid out once, or the first layout replaces
    // the size asked for with the dock's size hint.
    layout()->activate();
    // In a low window (720 px) the Launch form needs a tenth more than its minimum
    // width: at its minimum the namespace descriptions wrap to four lines, which the
    // height cannot give them, and are cut in their rows.
    const int form = m_launcher->minimumSizeHint().width() * (height() < 800 ? 11 : 10) / 10;
    const int pages = std::max(centralWidget()->minimumSizeHint().width(),
                               form + 2 * style()->pixelMetric(QStyle::PM_DefaultFrameWidth) + 16);
    const int room = width() - pages - style()->pixelMetric(QStyle::PM_DockWidgetSeparatorExtent);
    const int minimum = m_lessons->minimumSizeHint().width();
    int share = std::min(width() / 3, room);
    // Where the Launch form cannot have that room, the dock keeps its minimum; in
    // presentation mode the form scrolls anyway (1280 px), and the dock takes its third.
    if (room < minimum)
        share = presentationMode() ? std::max(minimum, width() / 3) : minimum;
    resizeDocks({m_lessons}, {share}, Qt::Horizontal);
}

void MainWindow::resizeEvent(QResizeEvent *event)
{
    QMainWindow::resizeEvent(event);
    // Once the layout has the new width (a moment later, not inside its resize).
    if (event->oldSize().width() != event->size().width())
        QTimer::singleShot(0, this, &MainWindow::fitLessonsDock);
}

// A new user sees where to begin: the welcome, and the lessons dock open on the
// first lesson. Remembered at once, so it greets a person only once.
void MainWindow::welcomeOnFirstRun()
{
    QSettings settings;
    if (settings.value("welcome/shown", false).toBool())
        return;
    settings.setValue("welcome/shown", true);
    settings.setValue("view/lessons", true);
    // In the dock, above the lesson it opens: above the pages it took 95 px of a
    // height that a 720-pixel screen does not have to spare.
    m_welcome = new WelcomeBanner(m_lessons);
    m_lessons->showBanner(m_welcome);
    m_lessons->setVisible(true);
    if (!m_lessons->lessons().isEmpty())
        m_lessons->openLesson(m_lessons->lessons().first().slug, 0);
    connect(m_welcome, &WelcomeBanner::beginRequested, this, [this] {
        m_lessons->show();
        m_lessons->raise();
        m_lessons->setFocus();
    });
    connect(m_welcome, &WelcomeBanner::dismissed, m_welcome, &QWidget::hide);
}

// The size the window had when it was closed; the first time, the whole screen
// (a fixed 1024x700 left most of a projector or a desktop unused).
void MainWindow::restoreOrFitGeometry()
{
    if (restoreGeometry(QSettings().value("view/geometry").toByteArray()))
        return;
    if (QScreen *s = screen()) {
        setGeometry(s->availableGeometry());
        m_sizedToScreen = true;
    }
}

void MainWindow::createActions()
{
    auto make = [this](const QString &text, const QKeySequence &key, const QString &tip, auto slot) {
        auto *a = new QAction(text, this);
        a->setShortcut(key);
        a->setToolTip(tip + QStringLiteral(" (%1)").arg(key.toString(QKeySequence::NativeText)));
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_stop = make(tr("&Stop"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), tr("SIGTERM, then SIGKILL after 3 s"),
                  [this] { stopContainer(); });
    m_kill = make(tr("&Kill"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K), tr("SIGKILL now"),
                  [this] { killContainer(QStringLiteral("KILL")); });
    m_remove = make(tr("Re&move"), QKeySequence(Qt::CTRL | Qt::Key_Delete),
                    tr("Delete the container: its cgroups, mounts and state directory"),
                    [this] { m_controller->remove(m_current); });
    m_restart = make(tr("&Restart"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R),
                     tr("Remove it and launch it again with the same settings"),
                     [this] { m_controller->restart(m_current); });
    // The buttons sit in the list's header row.
    for (QAction *a : {m_stop, m_kill, m_remove, m_restart}) {
        auto *b = new QToolButton(m_list->parentWidget());
        b->setDefaultAction(a);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        m_listHead->addWidget(b);
    }
    updateActions();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Launch"), QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] {
        openPage("launcher");
        m_launcher->launchButton()->click();
    });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *container = menuBar()->addMenu(tr("&Container"));
    for (QAction *a : {m_stop, m_kill, m_remove, m_restart})
        container->addAction(a);
    container->addSeparator();
    container->addAction(tr("&Next container"), QKeySequence(Qt::ALT | Qt::Key_Down), this, [this] {
        const int row = m_listModel->rowOf(m_current);
        if (m_listModel->rowCount() > 0)
            selectContainer(m_listModel->row((row + 1) % m_listModel->rowCount())->id);
    });
    container->addAction(tr("&Previous container"), QKeySequence(Qt::ALT | Qt::Key_Up), this, [this] {
        const int n = m_listModel->rowCount();
        const int row = m_listModel->rowOf(m_current);
        if (n > 0)
            selectContainer(m_listModel->row((row - 1 + n) % n)->id);
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    // Pages by Ctrl+1..9, the tenth by Ctrl+0; the tabs carry no mnemonics, so
    // Alt+letter stays with the menus and the page's own fields.
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction *a = view->addAction(m_tabs->tabText(i), this, [this, i] { m_tabs->setCurrentIndex(i); });
        if (i < 10)
            a->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(i < 9 ? Qt::Key_1 + i : Qt::Key_0)));
        m_tabs->setTabToolTip(i, a->shortcut().toString(QKeySequence::NativeText));
    }
    view->addSeparator();
    QAction *lessons = m_lessons->toggleViewAction();
    lessons->setText(tr("L&essons"));
    lessons->setShortcut(Qt::Key_F9);
    view->addAction(lessons);
    m_presentationAction = view->addAction(tr("&Presentation Mode"));
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcut(Qt::Key_F11);
    connect(m_presentationAction, &QAction::toggled, this, &MainWindow::setPresentationMode);
    view->addAction(tr("&Bigger Text"), QKeySequence::ZoomIn, this,
                    [this] { setPresentationScale(m_presentation.fontScale + 0.25); });
    view->addAction(tr("&Smaller Text"), QKeySequence::ZoomOut, this,
                    [this] { setPresentationScale(m_presentation.fontScale - 0.25); });
    QMenu *schemes = view->addMenu(tr("&Theme"));
    auto *group = new QActionGroup(this);
    const std::pair<QString, theme::Scheme> table[] = {{tr("Follow the &Desktop"), theme::Scheme::System},
                                                       {tr("&Light"), theme::Scheme::Light},
                                                       {tr("&Dark"), theme::Scheme::Dark}};
    for (const auto &[text, scheme] : table) {
        QAction *a = schemes->addAction(text, this, [this, scheme = scheme] { setScheme(scheme); });
        a->setCheckable(true);
        a->setChecked(scheme == m_scheme);
        a->setData(int(scheme));
        group->addAction(a);
        m_schemeActions << a;
    }
    QAction *preflight = view->addAction(tr("Machine &Check Details"), this,
                                         [this] { m_preflight->setDetailsVisible(!m_preflight->detailsButton()->isChecked()); });
    preflight->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), QKeySequence::HelpContents, this, [this] {
        QMessageBox::information(
            this, tr("Keyboard Shortcuts"),
            tr("<table cellspacing=4>"
               "<tr><td><b>Ctrl+1 … Ctrl+9, Ctrl+0</b></td><td>Launch, Namespaces, Resources, Mounts, Processes, Console, "
               "Equivalent commands, Start-up, Layers; Ctrl+0: Network</td></tr>"
               "<tr><td><b>Ctrl+L</b></td><td>Launch with the launcher's settings</td></tr>"
               "<tr><td><b>Alt+Down</b> / <b>Alt+Up</b></td><td>Next / previous container</td></tr>"
               "<tr><td><b>Ctrl+Shift+S</b> / <b>Ctrl+Shift+K</b></td><td>Stop / kill the container</td></tr>"
               "<tr><td><b>Ctrl+Shift+R</b> / <b>Ctrl+Delete</b></td><td>Restart / remove the container</td></tr>"
               "<tr><td><b>F11</b></td><td>Presentation mode; <b>Ctrl++</b> / <b>Ctrl+-</b> change its text size</td></tr>"
               "<tr><td><b>F9</b></td><td>Lessons; <b>Alt+Right</b> / <b>Alt+Left</b> step through a lesson, "
               "<b>Ctrl+Return</b> does the step</td></tr>"
               "<tr><td><b>Ctrl+I</b></td><td>What this machine allows, and why</td></tr>"
               "<tr><td><b>Escape</b></td><td>Dismiss an engine message</td></tr>"
               "<tr><td>In the Console</td><td>keys go to the container (Ctrl+C, Ctrl+D, Tab); Ctrl+Shift+C / V copy "
               "and paste; Ctrl+1 … 9 leave it</td></tr>"
               "<tr><td>On the Layers page</td><td><b>Up</b> / <b>Down</b> in the stack choose a layer</td></tr></table>"));
    });
    help->addAction(tr("&About Hood"), this, [this] {
        QMessageBox::about(this, tr("About Hood"),
                           tr("<h3>Hood %1</h3><p>See how containers really work.</p>"
                              "<p>Built with Qt %2 and QCustomPlot %3.</p>")
                               .arg(QApplication::applicationVersion(), qVersion(), QCUSTOMPLOT_VERSION_STR));
    });
}

void MainWindow::rememberLaunch(const LaunchSettings &s)
{
    QSettings settings;
    RecentLaunches recent(settings);
    recent.remember(s);
    m_launcher->setRecent(recent.load());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_presentation.on)
        QSettings().setValue("view/geometry", saveGeometry());
    const int running = m_controller->runningCount();
    if (m_closing || m_controller->containers().isEmpty()) {
        m_session->close();
        event->accept();
        return;
    }
    std::optional<bool> answer = m_closeAnswer;
    if (!answer) {
        QMessageBox box(QMessageBox::Question, tr("Close Hood"),
                        tr("%n container(s) still exist (%1 running).", nullptr, int(m_controller->containers().size()))
                            .arg(running),
                        QMessageBox::NoButton, this);
        box.setInformativeText(tr("Stop and remove them (their cgroups, mounts and state go too), or leave them "
                                  "for hoodctl and the next Hood window?"));
        QPushButton *remove = box.addButton(tr("&Stop and Remove"), QMessageBox::AcceptRole);
        QPushButton *leave = box.addButton(tr("&Leave Them"), QMessageBox::DestructiveRole);
        box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(remove);
        box.exec();
        if (box.clickedButton() == remove)
            answer = true;
        else if (box.clickedButton() == leave)
            answer = false;
    }
    if (!answer) {
        event->ignore();
        return;
    }
    if (!*answer) {
        m_session->close();
        event->accept();
        return;
    }
    event->ignore();
    setEnabled(false);
    statusBar()->showMessage(tr("Stopping and removing every container…"));
    m_controller->removeAll([this] {
        m_closing = true;
        close();
    });
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
            : QObject::tr("Running as uid %1: rootless mode, with what the kernel allows").arg(geteuid());
    return user + QStringLiteral("  ·  ") + cgroupSummary();
}

} // namespace hood::gui
