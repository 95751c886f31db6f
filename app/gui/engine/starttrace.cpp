#include "starttrace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace hood::gui {

const QVector<StartPhase> &startPhases()
{
    static const QVector<StartPhase> phases = {
        {"state", "state", "the state directory, its journal and state.json", QColor(0x88, 0xcc, 0xee)},
        {"cgroup", "cgroup", "making the container's cgroups and writing its limits", QColor(0xdd, 0xcc, 0x77)},
        {"clone", "clone", "clone3(): the container's init, in its new namespaces", QColor(0x33, 0x22, 0x88)},
        {"idmap", "id maps", "uid_map and gid_map of a user namespace", QColor(0xaa, 0x44, 0x99)},
        {"namespaces", "namespaces", "joining or setting up namespaces (hostname, setns)", QColor(0x44, 0xaa, 0x99)},
        {"mounts", "mounts", "the root filesystem, /proc, /dev, /sys and the rest", QColor(0x11, 0x77, 0x33)},
        {"pivot_root", "pivot_root", "switching the root to the container's and detaching the old one",
         QColor(0x99, 0x99, 0x33)},
        {"process", "process", "capabilities, rlimits, no_new_privs, the user and the working directory",
         QColor(0xcc, 0x66, 0x77)},
        {"exec", "exec", "execve() of the container's command", QColor(0x88, 0x22, 0x55)},
        {"network", "network", "the bridge, the veth pair, the address, the routes and the nft rules",
         QColor(0x66, 0x99, 0xcc)},
        {"other", "other", "a step of a phase this version of Hood does not know", QColor(0xaa, 0xaa, 0xaa)},
    };
    return phases;
}

const StartPhase &startPhase(const QString &key)
{
    const QVector<StartPhase> &phases = startPhases();
    for (const StartPhase &p : phases) {
        if (key == QLatin1String(p.key))
            return p;
    }
    return phases.last();
}

int StartTrace::failedCount() const
{
    return int(std::count_if(steps.begin(), steps.end(), [](const StartStep &s) { return s.failed(); }));
}

QVector<PhaseTotal> StartTrace::phaseTotals() const
{
    QVector<PhaseTotal> totals;
    for (const StartPhase &phase : startPhases()) {
        PhaseTotal t;
        t.phase = QString::fromLatin1(phase.key);
        for (const StartStep &s : steps) {
            if (s.phase != t.phase)
                continue;
            ++t.steps;
            t.failed += s.failed() ? 1 : 0;
            t.us += s.durationUs;
        }
        if (t.steps > 0)
            totals << t;
    }
    return totals;
}

namespace {

bool isMicros(const QJsonValue &v)
{
    return v.isDouble() && std::isfinite(v.toDouble()) && v.toDouble() >= 0;
}

// The step's fields, or why not, as a phrase ("\"startUs\" must be ...").
QString readStep(const QJsonObject &o, StartStep *step)
{
    for (const char *key : {"phase", "op"}) {
        if (!o.value(key).isString() || o.value(key).toString().isEmpty())
            return QStringLiteral("\"%1\" must be a non-empty string").arg(key);
    }
    for (const char *key : {"process", "args", "result"}) {
        if (o.contains(key) && !o.value(key).isString())
            return QStringLiteral("\"%1\" must be a string").arg(key);
    }
    for (const char *key : {"startUs", "durationUs"}) {
        if (!isMicros(o.value(key)))
            return QStringLiteral("\"%1\" must be a number of microseconds, 0 or more").arg(key);
    }
    const QJsonValue err = o.value("errno");
    if (o.contains("errno") && !(err.isDouble() && err.toDouble() >= 0 && err.toDouble() == std::floor(err.toDouble())
                                 && err.toDouble() < 4096))
        return QStringLiteral("\"errno\" must be a whole number from 0 to 4095");
    step->process = o.value("process").toString();
    step->rawPhase = o.value("phase").toString();
    step->phase = QString::fromLatin1(startPhase(step->rawPhase).key);
    step->op = o.value("op").toString();
    step->args = o.value("args").toString();
    step->result = o.value("result").toString();
    step->error = err.toInt();
    step->startUs = o.value("startUs").toDouble();
    step->durationUs = o.value("durationUs").toDouble();
    return {};
}

StartTraceParse failure(const QString &path, const QString &what)
{
    return {std::nullopt, QStringLiteral("%1: %2").arg(path, what)};
}

} // namespace

StartTraceParse parseStartTrace(const QByteArray &json, const QString &path)
{
    if (json.trimmed().isEmpty())
        return failure(path, QObject::tr("the file is empty"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return failure(path, QObject::tr("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject())
        return failure(path, QObject::tr("must be a JSON object with \"steps\""));
    const QJsonObject top = doc.object();
    if (!top.value("steps").isArray())
        return failure(path, QObject::tr("\"steps\" must be a list of steps"));
    if (top.contains("totalUs") && !isMicros(top.value("totalUs")))
        return failure(path, QObject::tr("\"totalUs\" must be a number of microseconds, 0 or more"));
    StartTrace trace;
    const QJsonArray steps = top.value("steps").toArray();
    for (qsizetype i = 0; i < steps.size(); ++i) {
        StartStep step;
        const QString wrong = steps[i].isObject() ? readStep(steps[i].toObject(), &step)
                                                  : QObject::tr("must be a JSON object");
        if (!wrong.isEmpty())
            return failure(path, QObject::tr("step %1: %2").arg(i + 1).arg(wrong));
        trace.steps << step;
    }
    // The engine writes steps as they end; a waterfall reads by start.
    std::stable_sort(trace.steps.begin(), trace.steps.end(),
                     [](const StartStep &a, const StartStep &b) { return a.startUs < b.startUs; });
    trace.totalUs = top.value("totalUs").toDouble();
    for (const StartStep &s : trace.steps)
        trace.totalUs = std::max(trace.totalUs, s.endUs());
    return {trace, {}};
}

StartTraceParse readStartTrace(const QString &stateDir)
{
    QFile file(stateDir + QStringLiteral("/trace.json"));
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return failure(file.fileName(), QObject::tr("cannot be read: %1").arg(file.errorString()));
    return parseStartTrace(file.readAll(), file.fileName());
}

QString formatMicros(double us)
{
    if (us < 1000)
        return QStringLiteral("%1 µs").arg(us < 10 ? QString::number(us, 'f', 1) : QString::number(std::lround(us)));
    return QStringLiteral("%1 ms").arg(QString::number(us / 1000, 'f', us < 10000 ? 2 : 1));
}

} // namespace hood::gui
