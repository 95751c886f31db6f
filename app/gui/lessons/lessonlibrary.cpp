#include "lessonlibrary.h"

#include "lessonparser.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace hood::gui {

namespace {

QStringList candidateDirectories()
{
    QStringList dirs;
    if (const QString env = qEnvironmentVariable("HOOD_LESSONS_DIR"); !env.isEmpty())
        dirs << env;
    dirs << QStringLiteral(HOOD_SOURCE_LESSONS_DIR) << QStringLiteral(HOOD_INSTALL_LESSONS_DIR);
    // A relocated installation (DESTDIR, an AppImage) finds its share/ beside bin/.
    if (QCoreApplication::instance())
        dirs << QCoreApplication::applicationDirPath() + "/../share/hood/lessons";
    return dirs;
}

} // namespace

QString lessonsDirectory()
{
    for (const QString &dir : candidateDirectories()) {
        if (QFileInfo(dir).isDir())
            return QDir(dir).absolutePath();
    }
    return {};
}

std::optional<Lesson> loadLessonFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = "open " + path + ": " + file.errorString().toLower();
        return std::nullopt;
    }
    return parseLesson(QString::fromUtf8(file.readAll()), path, error);
}

QList<LessonEntry> loadLessons(const QString &dir)
{
    QList<LessonEntry> entries;
    const QDir root(dir);
    for (const QString &slug : root.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const QString file = root.absoluteFilePath(slug + "/lesson.md");
        if (!isLessonSlug(slug) || !QFileInfo::exists(file))
            continue;
        LessonEntry entry{slug, root.absoluteFilePath(slug), std::nullopt, {}};
        entry.lesson = loadLessonFile(file, &entry.error);
        entries.append(entry);
    }
    return entries;
}

} // namespace hood::gui
