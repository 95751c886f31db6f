#include "lessonactions.h"

namespace hood::gui {

// Out of line so the vtable has one home.
LessonActions::~LessonActions() = default;

} // namespace hood::gui
