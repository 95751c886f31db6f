// What the engine did to start a container, step by step: <stateDir>/trace.json,
// written by the engine's privileged-operations module for every container. The
// parser is a pure function of the file's bytes; the Start-up page only draws its
// result.
//
//   {"totalUs": 5980.4,
//    "steps": [{"process": "monitor", "phase": "cgroup", "op": "mkdir",
//               "args": "/sys/fs/cgroup/memory/hood/web", "result": "ok", "errno": 0,
//               "startUs": 120.5, "durationUs": 35.2}, ...]}
//
// startUs counts from the start of the launch; process is "monitor" or "init".
#pragma once

#include <QByteArray>
#include <QColor>
#include <QString>
#include <QVector>

#include <optional>

namespace hood::gui {

// The phases of a start, in the order a start goes through them; one table feeds
// the colours, the legend, the totals and the tooltips.
struct StartPhase {
    const char *key;         // as trace.json writes it ("pivot_root")
    const char *title;       // for the legend ("pivot_root")
    const char *explanation; // one line for the tooltip
    QColor color;            // Paul Tol's "muted" scheme: tells colour-blind readers apart too
};
const QVector<StartPhase> &startPhases(); // ends with "other", for phases not in the table
const StartPhase &startPhase(const QString &key); // "other" for an unknown key

struct StartStep {
    QString process; // "monitor" or "init"
    QString phase;   // a key of startPhases(); "other" when the file names another
    QString rawPhase; // as the file wrote it
    QString op;      // "mount"
    QString args;    // "proc on /proc (proc)"
    QString result;  // "ok", or what went wrong: "permission denied"
    int error = 0;   // errno, 0 when it worked
    double startUs = 0;
    double durationUs = 0;

    // errno says it (trace.json's contract); result may be a value such as "pid 4242".
    bool failed() const { return error != 0; }
    double endUs() const { return startUs + durationUs; }
};

struct PhaseTotal {
    QString phase; // key
    int steps = 0;
    int failed = 0;
    double us = 0; // the sum of its steps' durations
};

struct StartTrace {
    double totalUs = 0;      // the whole launch (at least the end of the last step)
    QVector<StartStep> steps; // by start time
    int failedCount() const;
    // One row per phase that has steps, in the table's order.
    QVector<PhaseTotal> phaseTotals() const;
};

struct StartTraceParse {
    std::optional<StartTrace> trace;
    QString error; // one sentence naming the file and what is wrong, when trace is unset
};

// `path` only names the file in messages.
StartTraceParse parseStartTrace(const QByteArray &json, const QString &path);
// Reads and parses <stateDir>/trace.json. No file: neither trace nor error (a
// container started before the engine recorded its steps).
StartTraceParse readStartTrace(const QString &stateDir);

// "35 µs", "1.25 ms"
QString formatMicros(double us);

} // namespace hood::gui
