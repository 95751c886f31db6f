// One step of a lesson in one scrollable document: its text, what "Do it" will do,
// and the "predict, then reveal" question, whose answer joins the document only
// when asked for. Under it what a `measure` found (as tall as its figures need, up
// to half the step; a splitter between them), then the step's two
// buttons. A click on a diagram shows it large. It only shows; the dock decides what
// a click on a button means.
#pragma once

#include "lessonlibrary.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSplitter;

namespace hood::gui {

class LessonBrowser;
class MeasureView;

class LessonStepView : public QWidget {
    Q_OBJECT

public:
    explicit LessonStepView(QWidget *parent = nullptr);

    void showStep(const LessonEntry &entry, int index, const QString &prerequisitesLine);
    void showError(const LessonEntry &entry);
    void showMessage(const QString &markdown);
    void setScale(double scale);
    void setActionsAvailable(bool available, const QString &whyNot);
    // One line under the buttons: what "Do it" is doing now, or why it stopped
    // (failed: drawn as an alert). Empty hides it.
    void setStatus(const QString &text, bool failed = false);
    QString status() const;

    bool isRevealed() const { return m_revealed; }
    LessonBrowser *browser() const { return m_browser; }
    // What the step's `measure` action found, between the text and the buttons.
    MeasureView *measureView() const { return m_measure; }
    // Shows a lesson's diagram large (what a click on one does).
    void showDiagram(const QString &path, const QString &caption);

public slots:
    void reveal();

signals:
    void doItRequested();
    void linkActivated(const QUrl &url);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    QWidget *makeButtons();
    void fitMeasure();
    QString composeMarkdown() const;
    void updateButtons();

    QLabel *m_header = nullptr;
    QSplitter *m_split = nullptr; // the text above, the figures below
    LessonBrowser *m_browser = nullptr;
    MeasureView *m_measure = nullptr;
    QWidget *m_buttons = nullptr;
    QPushButton *m_doIt = nullptr;
    QPushButton *m_revealButton = nullptr;
    QLabel *m_status = nullptr;

    QString m_dir;
    QString m_intro; // the step's title and text, before the actions and the question
    LessonStep m_step;
    bool m_revealed = false;
    bool m_actionsAvailable = false;
    QString m_whyNoActions;
};

} // namespace hood::gui
