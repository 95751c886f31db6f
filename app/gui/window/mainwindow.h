// The main window: the preflight banner, the container list, the pages (launcher,
// namespaces, resources, mounts, processes, console, equivalent commands, start-up,
// layers, build), menus
// with a key for every action, presentation mode, and the lessons' actions.
#pragma once

#include "containerdata.h"
#include "lessonactions.h"
#include "launchsettings.h"
#include "theme.h"

#include <QMainWindow>
#include <QTimer>

class QAction;
class QLabel;
class QScrollArea;
class QTabWidget;
class QTableView;
class QFrame;
class QHBoxLayout;
class QVBoxLayout;
class WelcomeBanner;

namespace hood::gui {

class BuildPage;
class CommandsPage;
class ConsolePage;
class ConsoleSession;
class ContainerController;
class ContainerListModel;
class LauncherPage;
class LayerInspector;
class LayersPage;
class LessonsDock;
class LiveSampler;
class MountsPage;
class NamespacesPage;
class PreflightBanner;
class Inspector;
class ProcessesPage;
class ResourcesPage;
class StartupPage;
class NetworkPage;
struct InspectionResult;
struct LayerSnapshot;
struct StartTraceParse;

class MainWindow : public QMainWindow, public LessonActions {
    Q_OBJECT

public:
    // stateRoot empty: hoodctl's default (HOOD_ROOT, else /run/hood as root).
    explicit MainWindow(const QString &stateRoot = {}, QWidget *parent = nullptr);
    ~MainWindow() override;

    static const QStringList &pageNames(); // launcher, namespaces, resources, ...
    QWidget *page(const QString &name) const;
    QString currentPage() const;
    QString currentContainer() const { return m_current; }
    void selectContainer(const QString &id);

    ContainerController *controller() const { return m_controller; }
    LiveSampler *sampler() const { return m_sampler; }
    LauncherPage *launcherPage() const { return m_launcher; }
    NamespacesPage *namespacesPage() const { return m_namespaces; }
    ResourcesPage *resourcesPage() const { return m_resources; }
    MountsPage *mountsPage() const { return m_mounts; }
    ProcessesPage *processesPage() const { return m_processes; }
    ConsolePage *consolePage() const { return m_console; }
    CommandsPage *commandsPage() const { return m_commands; }
    StartupPage *startupPage() const { return m_startup; }
    LayersPage *layersPage() const { return m_layersPage; }
    LayerInspector *layerInspector() const { return m_layerInspector; }
    NetworkPage *networkPage() const { return m_network; }
    BuildPage *buildPage() const { return m_build; }
    PreflightBanner *preflightBanner() const { return m_preflight; }
    LessonsDock *lessonsDock() const { return m_lessons; }
    // On the first run (no settings yet): the welcome above the pages; else null.
    WelcomeBanner *welcomeBanner() const { return m_welcome; }
    // True when no size was remembered: the window fills the screen (main shows it
    // maximized).
    bool sizedToScreen() const { return m_sizedToScreen; }
    QString lastError() const { return m_lastError; }

    bool presentationMode() const { return m_presentation.on; }
    void setPresentationMode(bool on);
    void setPresentationScale(double scale); // 1.5 .. 2
    void setScheme(theme::Scheme scheme);
    // True while the machine's facts or the current page's inspection are still
    // being read on their threads (a screenshot waits for them).
    bool isReading() const;
    // Asks for what the current page shows (namespaces, mounts, processes, start-up)
    // to be read again now; it arrives from the inspector's thread a moment later.
    void refreshInspection();

    // LessonActions
    void launch(const LaunchRequest &request, ActionDone done = {}) override;
    void openPage(const QString &page) override;
    void highlight(const QString &page, const QString &key) override;
    void typeInConsole(const QString &text) override;
    void stopContainer(ActionDone done = {}) override;
    void killContainer(const QString &signal, ActionDone done = {}) override;
    void waitFor(const WaitCondition &condition, ActionDone done) override;
    // Whether the condition holds now (waitFor polls it), and the sentence for when
    // it did not hold in time.
    bool waitHolds(const WaitCondition &condition) const;
    QString waitTimedOut(const WaitCondition &condition) const;

    // Closing with containers running asks first; this answers for tests and the
    // benchmark: true removes them all without asking, false leaves them running.
    void setCloseAnswer(std::optional<bool> removeContainers) { m_closeAnswer = removeContainers; }

signals:
    // A page's inspection reached it: guiMs is what it cost this (the GUI) thread,
    // readMs how long reading /proc took (for the benchmark).
    void inspected(double guiMs, double readMs);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitLessonsDock();
    void setLauncherScrolls(bool on);
    void createActions();
    void createMenus();
    void createLessonsDock();
    void welcomeOnFirstRun();
    void restoreOrFitGeometry();
    QWidget *createContainerPanel();
    QFrame *createErrorBar();
    void showError(const QString &sentence);
    void onContainersChanged();
    void onSampled();
    void onSelectionChanged();
    void updateListUsage();
    void updateActions();
    void updateCommands();
    void openConsole();
    void inspectCurrentPage();
    void showInspection(const InspectionResult &result);
    void inspectLayers(bool onScreen);
    void showStartTrace(const StartTraceParse &parse);
    void showImageLayer(const QString &image, const QString &diffId);
    void readMachineInBackground();
    void rememberLaunch(const LaunchSettings &settings);
    void applyTheme();

    ContainerController *m_controller;
    LiveSampler *m_sampler;
    ConsoleSession *m_session;
    Inspector *m_inspector;
    LayerInspector *m_layerInspector;
    ContainerListModel *m_listModel;
    QTableView *m_list = nullptr;
    QHBoxLayout *m_listHead = nullptr;
    QTabWidget *m_tabs = nullptr;
    PreflightBanner *m_preflight = nullptr;
    QFrame *m_errorBar = nullptr;
    QLabel *m_errorLabel = nullptr;
    LauncherPage *m_launcher = nullptr;
    QScrollArea *m_launcherScroll = nullptr; // holds the launcher in presentation mode
    NamespacesPage *m_namespaces = nullptr;
    ResourcesPage *m_resources = nullptr;
    MountsPage *m_mounts = nullptr;
    ProcessesPage *m_processes = nullptr;
    ConsolePage *m_console = nullptr;
    CommandsPage *m_commands = nullptr;
    StartupPage *m_startup = nullptr;
    LayersPage *m_layersPage = nullptr;
    NetworkPage *m_network = nullptr;
    BuildPage *m_build = nullptr;
    LessonsDock *m_lessons = nullptr;
    WelcomeBanner *m_welcome = nullptr;
    bool m_sizedToScreen = false;

    QAction *m_stop = nullptr;
    QAction *m_kill = nullptr;
    QAction *m_remove = nullptr;
    QAction *m_restart = nullptr;
    QAction *m_presentationAction = nullptr;
    QList<QAction *> m_schemeActions;

    QTimer m_inspectTimer;
    QTimer m_listTimer;
    QTimer m_errorTimer;
    QString m_current;
    QString m_consoleFor;
    QString m_lastError;
    QByteArray m_pendingTyping; // typed by a lesson before its container's console was attached
    QTimer m_typingTimeout;
    bool m_machineRead = false;
    ActionDone m_launchDone;     // a lesson's launch, until the container runs or the launch fails
    QString m_launchError;
    theme::Presentation m_presentation;
    theme::Scheme m_scheme = theme::Scheme::System;
    QPalette m_systemPalette;
    QFont m_baseFont;
    bool m_closing = false;
    std::optional<bool> m_closeAnswer;
};

// One line for the status bar: who we run as and the cgroup mode, in plain words.
QString machineSummary();

} // namespace hood::gui
