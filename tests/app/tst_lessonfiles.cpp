// Every lesson in lessons/ parses, its front matter and actions are valid, and its
// images and links exist.
#include "lessonactions.h"
#include "lessonlibrary.h"
#include "lessonparser.h"
#include "lessonrunner.h"
#include "lessonsdock.h"
#include "lessonvocabulary.h"
#include "lessontest.h"

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPushButton>
#include <QSvgRenderer>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace hood::gui;
using namespace lessontest;

class TestLessonFiles : public QObject {
    Q_OBJECT

public:
    // Before anything makes a QSettings: the test's settings go to a test location.
    static void initMain() { QStandardPaths::setTestModeEnabled(true); }

private slots:
    void initTestCase();
    void init();
    void everyLessonParses();
    void frontMatter_data();
    void frontMatter();
    void actionsAreValid_data();
    void actionsAreValid();
    void imagesAndLinksExist_data();
    void imagesAndLinksExist();

private:
    QTemporaryDir m_settings;
    QList<LessonEntry> m_lessons;
};

void TestLessonFiles::initTestCase()
{
    QVERIFY(m_settings.isValid());
    useOwnSettings(m_settings, "tst_lessonfiles");
    m_lessons = loadLessons(kLessonsDir);
}

void TestLessonFiles::init()
{
    QSettings().clear();
}

// ---- the lessons in lessons/ ----

void TestLessonFiles::everyLessonParses()
{
    QVERIFY2(m_lessons.size() >= 2, qPrintable("lessons found in " + kLessonsDir));
    for (const LessonEntry &entry : m_lessons)
        QVERIFY2(entry.lesson, qPrintable(entry.error));
    // Folders that look like lessons but have no lesson.md would be skipped silently.
    for (const QString &dir : QDir(kLessonsDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        QVERIFY2(QFileInfo::exists(kLessonsDir + "/" + dir + "/lesson.md"),
                 qPrintable(dir + " has no lesson.md"));
}

void TestLessonFiles::frontMatter_data()
{
    QTest::addColumn<int>("index");
    if (m_lessons.isEmpty())
        QSKIP("no lessons were found (everyLessonParses says where it looked)");
    for (int i = 0; i < m_lessons.size(); ++i)
        QTest::addRow("%s", qPrintable(m_lessons[i].slug)) << i;
}

void TestLessonFiles::frontMatter()
{
    QFETCH(int, index);
    const LessonEntry &entry = m_lessons[index];
    QVERIFY2(entry.lesson, qPrintable(entry.error));
    const Lesson &lesson = *entry.lesson;
    QVERIFY(!lesson.title.isEmpty());
    QVERIFY(QStringList({"beginner", "intermediate", "advanced"}).contains(lesson.level));
    QVERIFY(lesson.minutes >= 5 && lesson.minutes <= 120);
    QVERIFY2(lesson.steps.size() >= 3, "a lesson of fewer than three steps is a paragraph");
    for (const QString &prerequisite : lesson.prerequisites) {
        const auto found =
            std::find_if(m_lessons.begin(), m_lessons.end(),
                         [&](const LessonEntry &e) { return e.slug == prerequisite; });
        QVERIFY2(found != m_lessons.end(), qPrintable("no lesson " + prerequisite));
        // Coming first in the contents rules out cycles.
        QVERIFY2(found->slug < entry.slug, qPrintable(prerequisite + " comes after " + entry.slug));
    }
}

void TestLessonFiles::actionsAreValid_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QJsonObject>("args");
    if (m_lessons.isEmpty())
        QSKIP("no lessons were found (everyLessonParses says where it looked)");
    for (const LessonEntry &entry : m_lessons) {
        if (!entry.lesson)
            continue;
        for (const LessonStep &step : entry.lesson->steps) {
            for (const LessonAction &action : step.actions)
                QTest::addRow("%s:%d %s", qPrintable(entry.slug), action.line,
                              qPrintable(action.name))
                    << action.name << action.args;
        }
    }
}

void TestLessonFiles::actionsAreValid()
{
    QFETCH(QString, name);
    QFETCH(QJsonObject, args);
    QVERIFY(lessonActionNames().contains(name));
    QCOMPARE(checkAction(name, args), QString());
}

void TestLessonFiles::imagesAndLinksExist_data()
{
    QTest::addColumn<QString>("dir");
    QTest::addColumn<QString>("target");
    QTest::addColumn<bool>("image");
    if (m_lessons.isEmpty())
        QSKIP("no lessons were found (everyLessonParses says where it looked)");
    for (const LessonEntry &entry : m_lessons) {
        if (!entry.lesson)
            continue;
        const QString markdown = allMarkdown(*entry.lesson);
        const QStringList images = imageTargets(markdown);
        for (const QString &target : linkTargets(markdown))
            QTest::addRow("%s %s", qPrintable(entry.slug), qPrintable(target))
                << entry.dir << target << images.contains(target);
    }
}

void TestLessonFiles::imagesAndLinksExist()
{
    QFETCH(QString, dir);
    QFETCH(QString, target);
    QFETCH(bool, image);
    const QUrl url(target, QUrl::StrictMode);
    QVERIFY2(url.isValid(), qPrintable(url.errorString()));
    if (!url.isRelative()) {
        QVERIFY2(!image, "images come from the lesson's folder, not from the web");
        QVERIFY(url.scheme() == "https" || url.scheme() == "http");
        QVERIFY(!url.host().isEmpty() && url.host().contains('.'));
        return;
    }
    const QString path = QDir(dir).absoluteFilePath(url.path());
    QVERIFY2(QFileInfo(path).isFile(), qPrintable(path + " does not exist"));
    if (image && path.endsWith(".svg"))
        QVERIFY2(QSvgRenderer(path).isValid(), qPrintable(path + " is not a valid SVG"));
    else if (image)
        QVERIFY2(!QImage(path).isNull(), qPrintable(path + " is not an image"));
}

QTEST_MAIN(TestLessonFiles)
#include "tst_lessonfiles.moc"
