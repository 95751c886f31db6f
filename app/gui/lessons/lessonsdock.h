// The lessons dock: a table of contents with progress ticks, the current step, and
// the buttons that step through a lesson and let Hood do what the step shows. The
// window it sits in implements LessonActions; the dock never touches a container.
//
// Keys, anywhere in the window: Alt+Right / Alt+Left step (plain Right / Left too in
// presentation mode), Ctrl+Enter "Do it",
// Ctrl+Shift+Enter "Reveal"; while the dock has focus also PageDown / PageUp (what a
// presenter's clicker sends). No mnemonics: the window's tabs and buttons use them.
#pragma once

#include "lessonlibrary.h"
#include "lessonprogress.h"
#include "measureresult.h"

#include <memory>

#include <QDockWidget>

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
class QVBoxLayout;

namespace hood::gui {

class LessonActions;
class LessonRunner;
class LessonStepView;
class DockActions;

class LessonsDock : public QDockWidget {
    Q_OBJECT

public:
    // Loads the lessons from lessonsDirectory().
    explicit LessonsDock(QWidget *parent = nullptr);
    LessonsDock(const QString &lessonsDir, QWidget *parent = nullptr);
    ~LessonsDock() override; // DockActions is complete only in the .cpp

    // A banner above the lessons (the first run's welcome), owned by the dock.
    void showBanner(QWidget *banner);
    // The contents (every lesson and step) in the dock in place of the step, or the
    // step; choosing a step in the contents goes back to the step.
    void setContentsShown(bool on);
    bool contentsShown() const;

    // The window that performs "Do it"; not owned. Without one, "Do it" is disabled.
    void setActions(LessonActions *actions);
    // The hoodctl the `measure` action runs, and the state root its containers use
    // (HOOD_ROOT; empty: hoodctl's default).
    void setHoodctl(const QString &path, const QString &stateRoot = {});
    // The figures the last `measure` drew (for the tests).
    const MeasureResult &lastMeasurement() const;
    // 1.0 normally; 1.5 to 2 in presentation mode. Scales fonts and diagrams.
    void setPresentationScale(double factor);
    double presentationScale() const { return m_scale; }
    // Presentation mode: plain Right and Left step too (the console and text fields
    // keep their arrows while they have the focus).
    void setArrowKeys(bool on);
    bool arrowKeys() const;
    // Play mode, for a live talk: each step's actions run as soon as the step is
    // shown, and the next key (Right, Alt+Right, Page Down) moves on.
    void setPlaying(bool on);
    bool isPlaying() const { return m_playing; }

    const QList<LessonEntry> &lessons() const { return m_lessons; }
    // True while "Do it" is still performing the step's actions (a stop, a wait).
    bool isDoingIt() const;
    // The line under the step's buttons: what "Do it" does now, or why it stopped.
    QString status() const;
    QString currentLesson() const;
    int currentStep() const { return m_step; }
    // False when no lesson has that slug or the step is out of range.
    bool openLesson(const QString &slug, int step = 0);

public slots:
    void nextStep();
    void previousStep();
    void doIt();
    void reveal();
    // Reads the lesson files again (for authors editing a lesson).
    void reload();

signals:
    void stepChanged(const QString &slug, int step);
    // "Do it" is over: every action done (failure empty), or why it stopped.
    void doItFinished(const QString &failure);

private:
    QWidget *makeNavigationBar();
    void makeShortcuts();
    void loadFrom(const QString &dir);
    void fillContents();
    void updateContents();
    void updateLessonItem(int lesson);
    void showCurrent();
    void applyScale();
    void openFromContents(QTreeWidgetItem *item);
    void followLink(const QUrl &url);
    QString prerequisitesLine(const Lesson &lesson) const;
    int indexOf(const QString &slug) const;
    bool hasLesson() const;
    friend class DockActions;
    void measure(const QString &what, const std::function<void(const QString &)> &done);

    QString m_dir;
    QList<LessonEntry> m_lessons;
    LessonProgress m_progress;
    LessonActions *m_actions = nullptr;
    std::unique_ptr<DockActions> m_dockActions; // m_actions, plus measure
    QString m_hoodctl;
    QString m_stateRoot;
    quint64 m_measureRun = 0; // a measurement's end after the step changed is ignored
    LessonRunner *m_runner = nullptr;
    int m_lesson = -1;
    int m_step = 0;
    double m_scale = 1.0;
    double m_baseFontSize = 0;

    QTreeWidget *m_contents = nullptr;
    LessonStepView *m_view = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
    QPushButton *m_contentsToggle = nullptr;
    QPushButton *m_play = nullptr;
    QList<QAction *> m_arrowActions;
    bool m_playing = false;
    QLabel *m_counter = nullptr;
    QVBoxLayout *m_bodyLayout = nullptr; // the banner goes first in it
};

} // namespace hood::gui
