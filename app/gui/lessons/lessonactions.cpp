#include "lessonactions.h"

namespace hood::gui {

// Out of line so the vtable has one home.
LessonActions::~LessonActions() = default;

} // namespace hood::gui

namespace hood::gui {

void LessonActions::measure(const QString &what, ActionDone done)
{
    if (done)
        done(QStringLiteral("measure: %1 is measured by the lessons dock, not by this window.").arg(what));
}

} // namespace hood::gui
