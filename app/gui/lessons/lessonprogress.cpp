#include "lessonprogress.h"

#include <QSettings>

namespace hood::gui {

namespace {

QString key(const QString &slug, const char *what)
{
    return QStringLiteral("lessons/%1/%2").arg(slug, QLatin1String(what));
}

} // namespace

QSet<int> LessonProgress::doneSteps(const QString &slug) const
{
    QSet<int> done;
    for (const QVariant &step : QSettings().value(key(slug, "done")).toList())
        done.insert(step.toInt());
    return done;
}

void LessonProgress::markDone(const QString &slug, int step)
{
    QSet<int> done = doneSteps(slug);
    if (done.contains(step))
        return;
    done.insert(step);
    QList<int> sorted(done.begin(), done.end());
    std::sort(sorted.begin(), sorted.end());
    QVariantList list;
    for (int s : sorted)
        list << s;
    QSettings().setValue(key(slug, "done"), list);
}

bool LessonProgress::isComplete(const QString &slug, int stepCount) const
{
    const QSet<int> done = doneSteps(slug);
    for (int i = 0; i < stepCount; ++i) {
        if (!done.contains(i))
            return false;
    }
    return stepCount > 0;
}

QString LessonProgress::currentLesson() const
{
    return QSettings().value("lessons/current").toString();
}

int LessonProgress::currentStep(const QString &slug) const
{
    return QSettings().value(key(slug, "step"), 0).toInt();
}

void LessonProgress::setCurrent(const QString &slug, int step)
{
    QSettings settings;
    settings.setValue("lessons/current", slug);
    settings.setValue(key(slug, "step"), step);
}

void LessonProgress::forget(const QString &slug)
{
    QSettings().remove("lessons/" + slug);
}

} // namespace hood::gui
