// Finding and loading the lessons: every lessons/NN-slug/lesson.md, in folder order.
// A lesson that fails to parse is kept with its error, so the dock can show the
// author what is wrong instead of silently leaving the lesson out.
#pragma once

#include "lesson.h"

#include <optional>

namespace hood::gui {

struct LessonEntry {
    QString slug;                 // the folder name, e.g. "01-namespaces"
    QString dir;                  // absolute path of the folder (images resolve here)
    std::optional<Lesson> lesson; // nullopt when the file could not be read or parsed
    QString error;                // one sentence, set exactly when lesson is nullopt
};

// Where the lessons are: $HOOD_LESSONS_DIR, else the source tree's lessons/ (while
// developing), else share/hood/lessons of the installation. Empty when none exists.
QString lessonsDirectory();

// Every NN-slug folder of `dir` that holds a lesson.md, sorted by name.
QList<LessonEntry> loadLessons(const QString &dir);

// Reads and parses one lesson.md. On failure, *error says why.
std::optional<Lesson> loadLessonFile(const QString &path, QString *error);

} // namespace hood::gui
