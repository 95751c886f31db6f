// parseLesson (Qt Core): returns a lesson, or nullopt with a "FILE:LINE: ..."
// sentence in *error. It reports through *error, so no exception may escape.
#include "fuzz_common.h"
#include "lessonparser.h"

#include <QString>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    QString error;
    std::optional<hood::gui::Lesson> lesson;
    try {
        lesson = hood::gui::parseLesson(text, QStringLiteral("lesson.md"), &error);
    } catch (...) {
        hood::fuzz::fail("parseLesson threw");
    }
    if (!lesson) {
        HOOD_FUZZ_CHECK(error.startsWith(QStringLiteral("lesson.md:")));
        return 0;
    }
    for (const hood::gui::LessonStep &step : lesson->steps)
        HOOD_FUZZ_CHECK(step.predict.isEmpty() == step.reveal.isEmpty());
    return 0;
}
