#include "lessonrunner.h"

#include "lessonactions.h"
#include "lessonvocabulary.h"

#include <QPointer>

namespace hood::gui {

LessonRunner::LessonRunner(QObject *parent) : QObject(parent)
{}

void LessonRunner::run(const QList<LessonAction> &actions, LessonActions &target)
{
    cancel();
    m_actions = actions;
    m_next = 0;
    m_target = &target;
    next();
}

void LessonRunner::cancel()
{
    ++m_run;
    m_target = nullptr;
    m_actions.clear();
}

void LessonRunner::next()
{
    if (!m_target)
        return;
    if (m_next >= m_actions.size()) {
        m_target = nullptr;
        emit finished({});
        return;
    }
    const int index = m_next++;
    const LessonAction action = m_actions[index];
    emit actionStarted(index, describeAction(action));
    // The window may call back after this runner is gone (it closes with a wait
    // still pending) or after the run was cancelled: both ends are ignored.
    QPointer<LessonRunner> self(this);
    const quint64 run = m_run;
    performAction(action, *m_target, [self, run](const QString &failure) {
        if (self)
            self->actionDone(run, failure);
    });
}

void LessonRunner::actionDone(quint64 run, const QString &failure)
{
    if (run != m_run || !m_target)
        return;
    if (!failure.isEmpty()) {
        m_target = nullptr;
        emit finished(failure);
        return;
    }
    next();
}

} // namespace hood::gui
