#include "lessonsdock.h"

#include "lessonactions.h"
#include "lessonbrowser.h"
#include "lessonrunner.h"
#include "lessonstepview.h"
#include "lessonvocabulary.h"
#include "measureview.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hood::gui {

namespace {

constexpr int kLessonRole = Qt::UserRole;
constexpr int kStepRole = Qt::UserRole + 1;
const QString kDone = QString::fromUtf8("\u2713");   // ✓
const QString kToDo = QString::fromUtf8("\u25cb");   // ○
const QString kBroken = QString::fromUtf8("\u26a0"); // ⚠

// Large enough to read from the back of a room at scale 1; presentation mode
// multiplies it. It starts from the desktop's font, not the application's, which
// presentation mode may already have enlarged.
double readableBaseSize()
{
    const double desktop = QFontDatabase::systemFont(QFontDatabase::GeneralFont).pointSizeF();
    return std::max(11.0, desktop > 0 ? desktop * 1.15 : 11.0);
}

// The tree's rows as tall as their wrapped titles: QTreeView asks for a row's
// height with the whole column's width, the item is drawn indented, and a title
// that needed a second line was cut short.
class WrappingDelegate : public QStyledItemDelegate {
public:
    explicit WrappingDelegate(QTreeView *view) : QStyledItemDelegate(view), m_view(view) {}
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyleOptionViewItem o(option);
        int depth = 1;
        for (QModelIndex p = index.parent(); p.isValid(); p = p.parent())
            ++depth;
        // A valid rectangle (the style wraps only within one), of the drawn width.
        o.rect = QRect(0, 0, m_view->viewport()->width() - depth * m_view->indentation(), 1 << 16);
        return QStyledItemDelegate::sizeHint(o, index);
    }

private:
    QTreeView *m_view;
};

} // namespace

// What "Do it" talks to: the window for everything a container does, the dock for
// `measure` (it runs hoodctl and draws what it measured under the step).
class DockActions : public LessonActions {
public:
    DockActions(LessonsDock &dock, LessonActions &window) : m_dock(dock), m_window(window) {}
    void launch(const LaunchRequest &r, ActionDone done) override { m_window.launch(r, std::move(done)); }
    void openPage(const QString &page) override { m_window.openPage(page); }
    void highlight(const QString &page, const QString &key) override { m_window.highlight(page, key); }
    void typeInConsole(const QString &text) override { m_window.typeInConsole(text); }
    void stopContainer(ActionDone done) override { m_window.stopContainer(std::move(done)); }
    void killContainer(const QString &s, ActionDone done) override { m_window.killContainer(s, std::move(done)); }
    void waitFor(const WaitCondition &c, ActionDone done) override { m_window.waitFor(c, std::move(done)); }
    void measure(const QString &what, ActionDone done) override { m_dock.measure(what, done); }

private:
    LessonsDock &m_dock;
    LessonActions &m_window;
};

LessonsDock::~LessonsDock() = default;

LessonsDock::LessonsDock(QWidget *parent) : LessonsDock(lessonsDirectory(), parent)
{}

LessonsDock::LessonsDock(const QString &lessonsDir, QWidget *parent)
    : QDockWidget(tr("Lessons"), parent), m_runner(new LessonRunner(this)), m_baseFontSize(readableBaseSize())
{
    setObjectName("lessonsDock"); // QMainWindow::saveState() needs it
    m_contents = new QTreeWidget;
    m_contents->setObjectName("lessonsContents");
    m_contents->setHeaderHidden(true);
    // The contents have the dock to themselves: a long title wraps, never elided.
    m_contents->header()->setStretchLastSection(true);
    m_contents->setWordWrap(true);
    m_contents->setTextElideMode(Qt::ElideNone);
    m_contents->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_contents->setItemDelegate(new WrappingDelegate(m_contents));
    // A wrapped title needs its row's height worked out again at the new width.
    connect(m_contents->header(), &QHeaderView::sectionResized, m_contents,
            [this] { QTimer::singleShot(0, m_contents, [this] { m_contents->doItemsLayout(); }); });
    connect(m_contents, &QTreeWidget::itemClicked, this, &LessonsDock::openFromContents);
    connect(m_contents, &QTreeWidget::itemActivated, this, &LessonsDock::openFromContents);

    m_view = new LessonStepView;
    connect(m_view, &LessonStepView::doItRequested, this, &LessonsDock::doIt);
    connect(m_view, &LessonStepView::linkActivated, this, &LessonsDock::followLink);
    m_view->setActionsAvailable(false, tr("Hood's window is not connected to the lessons"));
    connect(m_runner, &LessonRunner::actionStarted, this,
            [this](int, const QString &what) { m_view->setStatus(tr("Doing: %1").arg(what)); });
    connect(m_runner, &LessonRunner::finished, this, [this](const QString &failure) {
        m_view->setStatus(failure.isEmpty() ? QString() : tr("Stopped: %1").arg(failure), !failure.isEmpty());
        emit doItFinished(failure);
    });

    // The contents and the step take turns in the dock's height (the Contents
    // button): beside each other the step's text got six lines on a projector.
    auto *body = new QWidget;
    auto *layout = new QVBoxLayout(body);
    m_bodyLayout = layout;
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_contents, 1);
    layout->addWidget(m_view, 1);
    layout->addWidget(makeNavigationBar());
    // Wide enough for a step's text to read as prose (about 50 characters a line),
    // though the buttons, in two rows, would fit in less; beside the Launch page
    // that still fits a 1280-pixel screen. The window gives it more where it has
    // more (MainWindow::fitLessonsDock).
    // A spacer, not setMinimumWidth: the buttons' own minimum (larger in
    // presentation mode) still counts, so "Step 4 of 4" is never cut.
    layout->addSpacerItem(new QSpacerItem(fontMetrics().averageCharWidth() * 58, 0, QSizePolicy::Fixed, QSizePolicy::Fixed));
    setWidget(body);
    setContentsShown(false);

    makeShortcuts();
    loadFrom(lessonsDir);
    applyScale();
}

QWidget *LessonsDock::makeNavigationBar()
{
    m_previous = new QPushButton(QString::fromUtf8("\u2190 ") + tr("Back"));
    m_previous->setObjectName("previousButton");
    m_previous->setToolTip(tr("Previous step (Alt+Left, or Page Up in the lessons)"));
    m_next = new QPushButton(tr("Next") + QString::fromUtf8(" \u2192"));
    m_next->setObjectName("nextButton");
    m_next->setToolTip(tr("Next step (Alt+Right, or Page Down in the lessons)"));
    m_contentsToggle = new QPushButton(tr("Contents"));
    m_contentsToggle->setObjectName("contentsToggle");
    m_contentsToggle->setCheckable(true);
    m_contentsToggle->setToolTip(tr("The list of lessons and their steps, in place of the step; "
                                    "choose a step to go back to it"));
    m_play = new QPushButton(QString::fromUtf8("\u25b6 ") + tr("Play"));
    m_play->setObjectName("playButton");
    m_play->setCheckable(true);
    m_play->setToolTip(tr("Play mode for a talk: every step does its actions when it is shown; "
                          "Right, Alt+Right or Page Down moves on"));
    connect(m_play, &QPushButton::toggled, this, &LessonsDock::setPlaying);
    m_counter = new QLabel;
    m_counter->setObjectName("stepCounter");
    m_counter->setAlignment(Qt::AlignCenter);
    connect(m_previous, &QPushButton::clicked, this, &LessonsDock::previousStep);
    connect(m_next, &QPushButton::clicked, this, &LessonsDock::nextStep);
    connect(m_contentsToggle, &QPushButton::toggled, this, &LessonsDock::setContentsShown);

    // Two rows: the five in one made the dock 444 px wide at least, and beside
    // the Launch page that no longer fits a 1280-pixel projector.
    auto *bar = new QWidget;
    auto *rows = new QVBoxLayout(bar);
    rows->setContentsMargins(0, 4, 0, 0);
    auto *steps = new QHBoxLayout;
    steps->addWidget(m_previous);
    steps->addWidget(m_counter, 1);
    steps->addWidget(m_next);
    auto *modes = new QHBoxLayout;
    modes->addWidget(m_contentsToggle);
    modes->addWidget(m_play);
    rows->addLayout(steps);
    rows->addLayout(modes);
    return bar;
}

void LessonsDock::setContentsShown(bool on)
{
    m_contents->setVisible(on);
    m_view->setVisible(!on);
    if (m_contentsToggle->isChecked() != on)
        m_contentsToggle->setChecked(on);
    if (on && m_contents->currentItem())
        m_contents->scrollToItem(m_contents->currentItem());
}

bool LessonsDock::contentsShown() const
{
    return m_contentsToggle->isChecked();
}

void LessonsDock::showBanner(QWidget *banner)
{
    m_bodyLayout->insertWidget(0, banner);
}

void LessonsDock::makeShortcuts()
{
    auto add = [this](const QKeySequence &keys, Qt::ShortcutContext context,
                      void (LessonsDock::*slot)()) {
        auto *action = new QAction(this);
        action->setShortcut(keys);
        action->setShortcutContext(context);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
    };
    // Alt+arrows work wherever the focus is, so a speaker can step on while a plot
    // or the console has it; a clicker's PageDown/PageUp only while the dock has it,
    // so the console and the tables keep their own paging.
    add(QKeySequence(Qt::ALT | Qt::Key_Right), Qt::WindowShortcut, &LessonsDock::nextStep);
    add(QKeySequence(Qt::ALT | Qt::Key_Left), Qt::WindowShortcut, &LessonsDock::previousStep);
    // Plain arrows only in presentation mode (setArrowKeys), where a speaker's
    // keyboard or clicker steps through the talk.
    for (auto [key, slot] : {std::pair{Qt::Key_Right, &LessonsDock::nextStep},
                             std::pair{Qt::Key_Left, &LessonsDock::previousStep}}) {
        auto *action = new QAction(this);
        action->setShortcut(QKeySequence(key));
        action->setShortcutContext(Qt::WindowShortcut);
        action->setEnabled(false);
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        m_arrowActions << action;
    }
    add(QKeySequence(Qt::Key_PageDown), Qt::WidgetWithChildrenShortcut, &LessonsDock::nextStep);
    add(QKeySequence(Qt::Key_PageUp), Qt::WidgetWithChildrenShortcut, &LessonsDock::previousStep);
    // Not mnemonics (Alt+D, Alt+R): the window's tabs and buttons already use them.
    add(QKeySequence(Qt::CTRL | Qt::Key_Return), Qt::WindowShortcut, &LessonsDock::doIt);
    add(QKeySequence(Qt::CTRL | Qt::Key_Enter), Qt::WindowShortcut, &LessonsDock::doIt);
    add(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), Qt::WindowShortcut,
        &LessonsDock::reveal);
    add(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Enter), Qt::WindowShortcut,
        &LessonsDock::reveal);
}

void LessonsDock::setActions(LessonActions *actions)
{
    m_actions = actions;
    m_dockActions = actions ? std::make_unique<DockActions>(*this, *actions) : nullptr;
    m_view->setActionsAvailable(actions != nullptr,
                                tr("Hood's window is not connected to the lessons"));
}

void LessonsDock::setArrowKeys(bool on)
{
    for (QAction *a : m_arrowActions)
        a->setEnabled(on);
}

bool LessonsDock::arrowKeys() const
{
    return !m_arrowActions.isEmpty() && m_arrowActions.front()->isEnabled();
}

void LessonsDock::setPlaying(bool on)
{
    if (m_playing == on)
        return; // the button's toggled signal comes back here
    m_playing = on;
    if (m_play->isChecked() != on)
        m_play->setChecked(on);
    // Starting to play performs the step on screen, as every later one will be.
    if (on)
        QTimer::singleShot(0, this, &LessonsDock::doIt);
}

void LessonsDock::setPresentationScale(double factor)
{
    m_scale = std::clamp(factor, 0.5, 4.0);
    applyScale();
}

void LessonsDock::applyScale()
{
    QFont f = font();
    f.setPointSizeF(m_baseFontSize * m_scale);
    setFont(f);
    m_view->setScale(m_scale);
}

void LessonsDock::loadFrom(const QString &dir)
{
    m_dir = dir;
    m_lessons = dir.isEmpty() ? QList<LessonEntry>() : loadLessons(dir);
    fillContents();
    m_lesson = indexOf(m_progress.currentLesson());
    if (m_lesson < 0 && !m_lessons.isEmpty())
        m_lesson = 0;
    m_step = hasLesson() ? m_progress.currentStep(m_lessons[m_lesson].slug) : 0;
    const LessonEntry *entry = hasLesson() ? &m_lessons[m_lesson] : nullptr;
    if (!entry || !entry->lesson || m_step < 0 || m_step >= entry->lesson->steps.size())
        m_step = 0;
    showCurrent();
}

void LessonsDock::reload()
{
    const QString slug = currentLesson();
    const int step = m_step;
    loadFrom(m_dir);
    openLesson(slug, step);
}

void LessonsDock::fillContents()
{
    m_contents->clear();
    for (int i = 0; i < m_lessons.size(); ++i) {
        auto *item = new QTreeWidgetItem(m_contents);
        item->setData(0, kLessonRole, i);
        item->setData(0, kStepRole, -1);
        if (!m_lessons[i].lesson)
            continue;
        const QList<LessonStep> &steps = m_lessons[i].lesson->steps;
        for (int s = 0; s < steps.size(); ++s) {
            auto *child = new QTreeWidgetItem(item);
            child->setData(0, kLessonRole, i);
            child->setData(0, kStepRole, s);
        }
    }
}

void LessonsDock::updateLessonItem(int index)
{
    QTreeWidgetItem *item = m_contents->topLevelItem(index);
    const LessonEntry &entry = m_lessons[index];
    if (!entry.lesson) {
        item->setText(0, kBroken + ' ' + entry.slug + tr(" (cannot be read)"));
        item->setToolTip(0, entry.error);
        return;
    }
    const Lesson &lesson = *entry.lesson;
    const QSet<int> done = m_progress.doneSteps(entry.slug);
    const bool complete = m_progress.isComplete(entry.slug, int(lesson.steps.size()));
    item->setText(0, QStringLiteral("%1 %2").arg(complete ? kDone : kToDo, lesson.title));
    item->setToolTip(0, tr("%1, about %2 minutes; %3 of %4 steps done")
                            .arg(lesson.level)
                            .arg(lesson.minutes)
                            .arg(done.size())
                            .arg(lesson.steps.size()));
    for (int s = 0; s < item->childCount(); ++s) {
        QTreeWidgetItem *child = item->child(s);
        child->setText(0, QStringLiteral("%1 %2. %3")
                              .arg(done.contains(s) ? kDone : kToDo)
                              .arg(s + 1)
                              .arg(lesson.steps[s].title));
        QFont f = child->font(0);
        f.setBold(index == m_lesson && s == m_step);
        child->setFont(0, f);
    }
}

void LessonsDock::updateContents()
{
    for (int i = 0; i < m_lessons.size(); ++i) {
        updateLessonItem(i);
        m_contents->topLevelItem(i)->setExpanded(i == m_lesson);
    }
    if (!hasLesson())
        return;
    QTreeWidgetItem *top = m_contents->topLevelItem(m_lesson);
    QTreeWidgetItem *current = m_step < top->childCount() ? top->child(m_step) : top;
    m_contents->setCurrentItem(current);
    m_contents->scrollToItem(current);
}

void LessonsDock::showCurrent()
{
    if (!hasLesson()) {
        m_view->showMessage(
            tr("## No lessons found\n\nHood looked for lesson folders in `%1`. "
               "Set `HOOD_LESSONS_DIR` to the folder that holds them.")
                .arg(m_dir.isEmpty() ? tr("the source tree and share/hood/lessons") : m_dir));
        m_counter->clear();
        m_previous->setEnabled(false);
        m_next->setEnabled(false);
        return;
    }
    const LessonEntry &entry = m_lessons[m_lesson];
    const int stepCount = entry.lesson ? int(entry.lesson->steps.size()) : 0;
    // Another step: what "Do it" still had to do for the last one no longer applies.
    m_runner->cancel();
    ++m_measureRun;
    m_view->measureView()->clear();
    m_view->setStatus({});
    if (entry.lesson)
        m_view->showStep(entry, m_step, prerequisitesLine(*entry.lesson));
    else
        m_view->showError(entry);
    m_counter->setText(entry.lesson ? tr("Step %1 of %2").arg(m_step + 1).arg(stepCount)
                                    : QString());
    m_previous->setEnabled(m_step > 0 || m_lesson > 0);
    const bool lastStep = m_step + 1 >= stepCount;
    m_next->setText(lastStep ? tr("Finish") + ' ' + kDone
                             : tr("Next") + QString::fromUtf8(" \u2192"));
    m_next->setEnabled(!lastStep || m_lesson + 1 < m_lessons.size()
                       || (entry.lesson && !m_progress.doneSteps(entry.slug).contains(m_step)));
    m_progress.setCurrent(entry.slug, m_step);
    updateContents();
    emit stepChanged(entry.slug, m_step);
    if (m_playing && entry.lesson)
        QTimer::singleShot(0, this, &LessonsDock::doIt);
}

QString LessonsDock::currentLesson() const
{
    return hasLesson() ? m_lessons[m_lesson].slug : QString();
}

bool LessonsDock::openLesson(const QString &slug, int step)
{
    const int index = indexOf(slug);
    if (index < 0)
        return false;
    const LessonEntry &entry = m_lessons[index];
    const int steps = entry.lesson ? int(entry.lesson->steps.size()) : 1;
    if (step < 0 || step >= steps)
        return false;
    m_lesson = index;
    m_step = step;
    showCurrent();
    return true;
}

void LessonsDock::nextStep()
{
    if (!hasLesson() || !m_next->isEnabled())
        return;
    const LessonEntry &entry = m_lessons[m_lesson];
    const int stepCount = entry.lesson ? int(entry.lesson->steps.size()) : 0;
    if (entry.lesson)
        m_progress.markDone(entry.slug, m_step);
    if (m_step + 1 < stepCount) {
        ++m_step;
    } else if (m_lesson + 1 < m_lessons.size()) {
        ++m_lesson;
        m_step = 0;
    }
    showCurrent();
}

void LessonsDock::previousStep()
{
    if (!hasLesson())
        return;
    if (m_step > 0) {
        --m_step;
    } else if (m_lesson > 0) {
        --m_lesson;
        const LessonEntry &entry = m_lessons[m_lesson];
        m_step = entry.lesson ? int(entry.lesson->steps.size()) - 1 : 0;
    } else {
        return;
    }
    showCurrent();
}

void LessonsDock::doIt()
{
    if (!m_actions || !hasLesson() || !m_lessons[m_lesson].lesson)
        return;
    // The actions run in the order the lesson lists them, each once the one before
    // it is over ("stop", then "launch" once stopped, then "open-page"). Pressing
    // "Do it" again starts them over.
    m_runner->run(m_lessons[m_lesson].lesson->steps[m_step].actions, *m_dockActions);
}

void LessonsDock::setHoodctl(const QString &path, const QString &stateRoot)
{
    m_hoodctl = path;
    m_stateRoot = stateRoot;
}

const MeasureResult &LessonsDock::lastMeasurement() const
{
    return m_view->measureView()->result();
}

void LessonsDock::measure(const QString &what, const std::function<void(const QString &)> &done)
{
    const quint64 run = ++m_measureRun;
    MeasureView *view = m_view->measureView();
    view->showRunning(describeMeasure(what));
    auto *process = new QProcess(this);
    if (!m_stateRoot.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("HOOD_ROOT", m_stateRoot);
        process->setProcessEnvironment(env);
    }
    const QString program = m_hoodctl.isEmpty() ? qEnvironmentVariable("HOOD_HOODCTL", "hoodctl") : m_hoodctl;
    QPointer<LessonsDock> self(this);
    connect(process, &QProcess::finished, this, [self, process, what, run, done](int code, QProcess::ExitStatus) {
        process->deleteLater();
        if (!self || run != self->m_measureRun)
            return;
        QByteArray out = process->readAllStandardOutput();
        if (!out.trimmed().startsWith('{'))
            out = process->readAllStandardError();
        const MeasureResult r = measureResult(what, out, code);
        self->m_view->measureView()->showResult(r);
        if (done)
            done(r.error.isEmpty() ? QString() : "measure: " + r.error);
    });
    connect(process, &QProcess::errorOccurred, this, [self, process, program, run, done](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return;
        process->deleteLater();
        if (!self || run != self->m_measureRun)
            return;
        MeasureResult r;
        r.error = QStringLiteral("cannot run %1: %2").arg(program, process->errorString());
        self->m_view->measureView()->showResult(r);
        if (done)
            done("measure: " + r.error);
    });
    process->start(program, measureArguments(what));
}

bool LessonsDock::isDoingIt() const
{
    return m_runner->isRunning();
}

QString LessonsDock::status() const
{
    return m_view->status();
}

void LessonsDock::reveal()
{
    m_view->reveal();
}

void LessonsDock::openFromContents(QTreeWidgetItem *item)
{
    const int lesson = item->data(0, kLessonRole).toInt();
    const int step = item->data(0, kStepRole).toInt();
    const QString slug = m_lessons.value(lesson).slug;
    if (step >= 0)
        openLesson(slug, step);
    else if (lesson != m_lesson)
        openLesson(slug, std::max(0, m_progress.currentStep(slug)));
    // What was chosen is read in the step view.
    setContentsShown(false);
}

void LessonsDock::followLink(const QUrl &url)
{
    if (!url.isRelative()) {
        QDesktopServices::openUrl(url);
        return;
    }
    if (url.path().isEmpty()) { // "#anchor" inside the step
        m_view->browser()->scrollToAnchor(url.fragment());
        return;
    }
    const QString dir = hasLesson() ? m_lessons[m_lesson].dir : m_dir;
    const QFileInfo target(QDir(dir).absoluteFilePath(url.path()));
    // A link to another lesson's lesson.md opens that lesson here.
    if (target.fileName() == "lesson.md" && openLesson(target.dir().dirName(), 0))
        return;
    QDesktopServices::openUrl(QUrl::fromLocalFile(target.absoluteFilePath()));
}

QString LessonsDock::prerequisitesLine(const Lesson &lesson) const
{
    QStringList links;
    for (const QString &slug : lesson.prerequisites) {
        const int index = indexOf(slug);
        const QString title =
            index >= 0 && m_lessons[index].lesson ? m_lessons[index].lesson->title : slug;
        links << QStringLiteral("[%1](../%2/lesson.md)").arg(title, slug);
    }
    return links.isEmpty() ? QString() : tr("*Before this lesson:* %1").arg(links.join(", "));
}

int LessonsDock::indexOf(const QString &slug) const
{
    for (int i = 0; i < m_lessons.size(); ++i) {
        if (m_lessons[i].slug == slug)
            return i;
    }
    return -1;
}

bool LessonsDock::hasLesson() const
{
    return m_lesson >= 0 && m_lesson < m_lessons.size();
}

} // namespace hood::gui
