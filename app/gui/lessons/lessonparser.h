// lesson.md -> Lesson. A pure function of the text (no files, no widgets), so every
// rule of the format is unit-tested on strings. Errors are one sentence that starts
// with "FILE:LINE: ", like a compiler's, so an author can jump to the line.
#pragma once

#include "lesson.h"

#include <optional>

namespace hood::gui {

// `file` is only used in messages. On failure returns nullopt and sets *error.
std::optional<Lesson> parseLesson(const QString &text, const QString &file, QString *error);

// Folder names of lessons: two digits, a dash, then lower-case words joined by dashes
// ("01-namespaces").
bool isLessonSlug(const QString &slug);

} // namespace hood::gui
