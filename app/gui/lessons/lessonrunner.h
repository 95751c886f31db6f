// Runs a step's actions in order: each one starts when the one before it is over
// (LessonActions' ActionDone), so "stop, then launch" launches only once the stop
// has finished, and a `wait-for` holds the rest back until its condition holds. The
// first failure stops the run and is reported as its sentence.
#pragma once

#include "lesson.h"

#include <QObject>

namespace hood::gui {

class LessonActions;

class LessonRunner : public QObject {
    Q_OBJECT

public:
    explicit LessonRunner(QObject *parent = nullptr);

    // Starts a run; one already under way is cancelled first. Immediate actions run
    // before this returns, up to the first one that takes time.
    void run(const QList<LessonAction> &actions, LessonActions &target);
    // The actions not yet started are dropped; the one under way finishes on its own
    // (the window's stop or wait goes on) but its end is ignored.
    void cancel();
    bool isRunning() const { return m_target != nullptr; }

signals:
    // The action at `index` began: its description (describeAction).
    void actionStarted(int index, const QString &description);
    // Every action was done (failure empty), or the first failure's sentence.
    void finished(const QString &failure);

private:
    void next();
    void actionDone(quint64 run, const QString &failure);

    QList<LessonAction> m_actions;
    int m_next = 0;
    LessonActions *m_target = nullptr;
    quint64 m_run = 0; // tells a cancelled run's late ends from the current run's
};

} // namespace hood::gui
