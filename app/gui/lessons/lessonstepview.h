// One step of a lesson: its text, what "Do it" will do, and the "predict, then
// reveal" question with its answer hidden until asked for. It only shows; the dock
// decides what a click means.
#pragma once

#include "lessonlibrary.h"

#include <QWidget>

class QGroupBox;
class QLabel;
class QPushButton;

namespace hood::gui {

class LessonBrowser;

class LessonStepView : public QWidget {
    Q_OBJECT

public:
    explicit LessonStepView(QWidget *parent = nullptr);

    void showStep(const LessonEntry &entry, int index, const QString &prerequisitesLine);
    void showError(const LessonEntry &entry);
    void showMessage(const QString &markdown);
    void setScale(double scale);
    void setActionsAvailable(bool available, const QString &whyNot);

    bool isRevealed() const;
    LessonBrowser *browser() const { return m_browser; }

public slots:
    void reveal();

signals:
    void doItRequested();
    void linkActivated(const QUrl &url);

private:
    QGroupBox *makeActionsBox();
    QGroupBox *makePredictBox();
    void showActions(const LessonStep &step);
    void showQuestion(const LessonStep &step);

    QLabel *m_header = nullptr;
    LessonBrowser *m_browser = nullptr;
    QGroupBox *m_actionsBox = nullptr;
    QLabel *m_actionList = nullptr;
    QPushButton *m_doIt = nullptr;
    QGroupBox *m_predictBox = nullptr;
    QLabel *m_question = nullptr;
    QPushButton *m_revealButton = nullptr;
    QLabel *m_answer = nullptr;
    bool m_actionsAvailable = false;
};

} // namespace hood::gui
