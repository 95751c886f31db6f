// Which steps of which lesson a person has done, and where they stopped, kept in
// QSettings (group "lessons") so a student picks up where they left off.
#pragma once

#include <QSet>
#include <QString>

namespace hood::gui {

class LessonProgress {
public:
    QSet<int> doneSteps(const QString &slug) const;
    void markDone(const QString &slug, int step);
    bool isComplete(const QString &slug, int stepCount) const;

    // The lesson and step to show when the dock opens; empty slug when none yet.
    QString currentLesson() const;
    int currentStep(const QString &slug) const;
    void setCurrent(const QString &slug, int step);

    void forget(const QString &slug);
};

} // namespace hood::gui
