// Shared by the lesson suites (tst_lessonfiles, tst_lessonparser, tst_lessonsdock):
// fixture paths, Markdown helpers, a fake LessonActions, and settings of the
// tests' own.
#pragma once

#include "lessonactions.h"
#include "lessonlibrary.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

namespace lessontest {

using namespace hood::gui;


inline const QString kLessonsDir = QStringLiteral(HOOD_SOURCE_DIR "/lessons");
// 01-first and 02-second are good, 03-broken has no level, notes/ is no lesson folder.
inline const QString kFixtureLessons = QStringLiteral(HOOD_FIXTURES_DIR "/lessons");

inline QString readFixture(const QString &relative)
{
    QFile file(kFixtureLessons + "/" + relative);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// Six lines, so a lesson body starts on line 7.
inline const QString kFront = QStringLiteral("---\ntitle: T\nlevel: beginner\nminutes: 5\n"
                                      "prerequisites: []\n---\n");

inline QString fence(const QString &info, const QString &body)
{
    return "```" + info + "\n" + body + (body.isEmpty() ? "" : "\n") + "```\n";
}

inline QString stepWithAction(const QString &name, const QString &json)
{
    return kFront + "## S\ntext\n" + fence("action " + name, json);
}

// Markdown links and images outside code: [text](target) and ![alt](target), plus
// autolinks <https://...>.
inline QStringList linkTargets(QString markdown)
{
    static const QRegularExpression fencedCode(QStringLiteral("```.*?```"),
                                               QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression inlineCode(QStringLiteral("`[^`\n]*`"));
    static const QRegularExpression link(QStringLiteral("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)"));
    static const QRegularExpression autolink(QStringLiteral("<(https?://[^>\\s]+)>"));
    markdown.remove(fencedCode).remove(inlineCode);
    QStringList targets;
    for (const QRegularExpression *re : {&link, &autolink}) {
        for (const QRegularExpressionMatch &m : re->globalMatch(markdown))
            targets << m.captured(1);
    }
    return targets;
}

inline QStringList imageTargets(const QString &markdown)
{
    static const QRegularExpression image(QStringLiteral("!\\[[^\\]]*\\]\\(([^)\\s]+)"));
    QStringList targets;
    for (const QRegularExpressionMatch &m : image.globalMatch(markdown))
        targets << m.captured(1);
    return targets;
}

inline QString allMarkdown(const Lesson &lesson)
{
    QStringList parts{lesson.summary};
    for (const LessonStep &step : lesson.steps)
        parts << step.markdown << step.predict << step.reveal;
    return parts.join("\n\n");
}

// Records every call. The actions that take time end at once, unless `slow` names
// them: those end `delayMs` later (a stop that takes a while), or fail with
// `failure` when it is set.
class FakeActions : public LessonActions {
public:
    void launch(const LaunchRequest &request, ActionDone done) override
    {
        calls << "launch";
        launches << request;
        finish("launch", done);
    }
    void openPage(const QString &page) override { calls << "open-page " + page; }
    void highlight(const QString &page, const QString &key) override
    {
        calls << "highlight " + page + " " + key;
    }
    void typeInConsole(const QString &text) override { calls << "type " + text; }
    void stopContainer(ActionDone done) override
    {
        calls << "stop";
        finish("stop", done);
    }
    void killContainer(const QString &signal, ActionDone done) override
    {
        calls << "kill " + signal;
        finish("kill", done);
    }
    void waitFor(const WaitCondition &condition, ActionDone done) override
    {
        calls << "wait-for " + condition.value;
        waits << condition;
        finish("wait-for", done);
    }

    QStringList calls;
    QList<LaunchRequest> launches;
    QList<WaitCondition> waits;
    QStringList slow;
    int delayMs = 300;
    QString failure;

private:
    void finish(const QString &name, const ActionDone &done)
    {
        if (!slow.contains(name)) {
            done({});
            return;
        }
        QTimer::singleShot(delayMs, [this, name, done] {
            calls << name + " done";
            done(failure);
        });
    }
};

inline QString screenshotDir()
{
    const QString dir = QStringLiteral(HOOD_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir;
}


// Progress goes to QSettings: the test's own, never the person's.
inline void useOwnSettings(const QTemporaryDir &dir, const char *application)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
    QCoreApplication::setOrganizationName("hood-tests");
    QCoreApplication::setApplicationName(application);
}

} // namespace lessontest
