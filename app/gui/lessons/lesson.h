// A lesson as the parser reads it from lessons/NN-slug/lesson.md (format in
// lessons/README.md). Plain values: the dock draws them, the tests check them.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace hood::gui {

// One action block: ```action NAME``` with a JSON object of arguments.
struct LessonAction {
    QString name;     // launch, open-page, highlight, type, stop or kill
    QJsonObject args; // checked against the vocabulary (lessonvocabulary.h)
    int line = 0;     // of the opening fence, for messages
};

// One `## ` section of the lesson.
struct LessonStep {
    QString title;
    QString markdown; // the section's text without its action/predict/reveal blocks
    QList<LessonAction> actions;
    QString predict; // Markdown; empty when the step asks nothing
    QString reveal;  // Markdown; present exactly when predict is
    int line = 0;    // of the `## ` heading
};

struct Lesson {
    QString title;
    QString level; // beginner, intermediate or advanced
    int minutes = 0;
    QStringList prerequisites; // slugs of other lessons (folder names)
    QString summary;           // Markdown between the front matter and the first step
    QList<LessonStep> steps;
};

} // namespace hood::gui
