// The actions a lesson may ask for, their arguments and their rules, in one table
// (lessonvocabulary.cpp). The parser checks every action block against it, the dock
// describes and performs actions through it, and lessons/README.md documents it.
#pragma once

#include "lesson.h"
#include "lessonactions.h"

namespace hood::gui {

// launch, open-page, highlight, type, stop, kill, wait-for.
QStringList lessonActionNames();
// launcher, namespaces, resources, mounts, processes, console, commands, startup.
QStringList lessonPages();
// The keys `highlight` accepts on a page; empty when the page takes any non-empty key.
QStringList highlightKeys(const QString &page);

// Empty when `args` suit the action `name`; otherwise what is wrong, as a phrase such
// as `argument "memory" must be a size such as 64M` (the parser adds file, line, step).
QString checkAction(const QString &name, const QJsonObject &args);

// The LaunchRequest for checked `launch` arguments.
LaunchRequest launchRequest(const QJsonObject &args);
// The condition for checked `wait-for` arguments (timeout: 10 s unless given).
WaitCondition waitCondition(const QJsonObject &args);

// What the action will do, in a few words for the "Do it" button's list:
// "Launch hood-demo mem 200M with memory 64M".
QString describeAction(const LessonAction &action);

// "Wait until the container is running (at most 10 s)"
QString describeWait(const WaitCondition &condition);

// Calls the matching LessonActions function; `done` runs once the action is over
// (at once for open-page, highlight and type). The action must have passed checkAction.
void performAction(const LessonAction &action, LessonActions &target, const ActionDone &done = {});

} // namespace hood::gui
