// The preflight banner's checks: core's machine facts and verdicts
// (core/machine, the same `hoodctl info` prints), as Qt value structs for the
// models. No judging here, so the window and the command line say the same words.
#pragma once

#include "machine/machine.h"

#include <QString>
#include <QVector>

#include <utility>

namespace hood::gui {

using MachineFacts = hood::MachineFacts;

struct PreflightItem {
    enum class Level { Ok, Limited, Missing };
    QString key;     // MachineCheck::key: "privileges", "cgroups", "userns", ...
    QString title;   // "User namespaces"
    Level level = Level::Ok;
    QString verdict; // one short line: "available", "hybrid (v1 controllers)"
    QString reason;  // why, with the file or number that says so
    QString fix;     // what to do; empty when nothing needs doing
};

// probeMachine() with procRoot for /proc; the state root is the default one.
MachineFacts readMachineFacts(const QString &procRoot = QStringLiteral("/proc"));
QVector<PreflightItem> judgeMachine(const MachineFacts &facts);

// "6.18.0-1-amd64" -> {6, 18}; {0, 0} when unreadable.
std::pair<int, int> kernelVersion(const QString &release);
QString levelWord(PreflightItem::Level level); // "ok", "limited", "missing"

} // namespace hood::gui
