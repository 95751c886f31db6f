#include "lessonvocabulary.h"

#include "error.h"
#include "measureresult.h"
#include "runtime/procfs.h"
#include "runtime/statedir.h"
#include "spec/namespaces.h"
#include "spec/units.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>
#include <vector>

namespace hood::gui {

namespace {

enum class ArgType {
    Text,
    TextList,
    Number,
    Count,
    Bool,
    Size,
    Namespaces,
    Page,
    Key,
    Signal,
    Hostname,
    Name,
    WaitState,
    Path,
    Seconds,
    Measure
};

struct ArgSpec {
    QString name;
    ArgType type;
    bool required = false;
};

struct ActionSpec {
    QString name;
    std::vector<ArgSpec> args;
};

// The whole vocabulary. lessons/README.md documents the same table; LaunchRequest
// (lessonactions.h) has one field per launch argument.
const std::vector<ActionSpec> kActions = {
    {"launch",
     {{"image", ArgType::Text},
      {"command", ArgType::TextList},
      {"namespaces", ArgType::Namespaces},
      {"memory", ArgType::Size},
      {"cpus", ArgType::Number},
      {"pids", ArgType::Count},
      {"hostname", ArgType::Hostname},
      {"chroot", ArgType::Bool},
      {"rootless", ArgType::Bool},
      {"seccomp", ArgType::Bool},
      {"name", ArgType::Name}}},
    {"open-page", {{"page", ArgType::Page, true}}},
    {"highlight", {{"page", ArgType::Page, true}, {"key", ArgType::Key, true}}},
    {"type", {{"text", ArgType::Text, true}}},
    {"stop", {}},
    {"kill", {{"signal", ArgType::Signal}}},
    // Exactly one of state, console, file, copy-up (checkCombination).
    {"wait-for",
     {{"state", ArgType::WaitState},
      {"console", ArgType::Text},
      {"file", ArgType::Path},
      {"copy-up", ArgType::Path},
      {"timeout", ArgType::Seconds}}},
    // Runs hoodctl to measure something on this machine and draws it (measureresult.h).
    {"measure", {{"what", ArgType::Measure, true}}},
};

const QStringList kWaitStates = {"running", "stopped"};
const QStringList kWaitKinds = {"state", "console", "file", "copy-up"};
constexpr double kDefaultWaitSeconds = 10;
constexpr double kMaxWaitSeconds = 300;

const QStringList kPages = {"launcher", "namespaces", "resources", "mounts",
                            "processes", "console", "commands", "startup", "layers", "security"};
const QStringList kResourceKeys = {"cpu", "memory", "pids", "throttling"};
constexpr int kMaxPids = 4194304; // PID_MAX_LIMIT on 64-bit kernels

QString quoted(const QString &text)
{
    return '"' + text + '"';
}

QStringList namespaceNames()
{
    QStringList names;
    for (const NsInfo &info : kNamespaces)
        names << QString::fromLatin1(info.shortName.data(), qsizetype(info.shortName.size()));
    return names;
}

const ActionSpec *findAction(const QString &name)
{
    for (const ActionSpec &spec : kActions) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

bool isNonEmptyString(const QJsonValue &v)
{
    return v.isString() && !v.toString().trimmed().isEmpty();
}

QString checkTextList(const QJsonValue &v)
{
    const QJsonArray list = v.toArray();
    const bool ok =
        v.isArray() && !list.isEmpty() && std::all_of(list.begin(), list.end(), isNonEmptyString);
    return ok ? QString() : "must be a non-empty list of strings, such as [\"sh\"]";
}

QString checkNamespaces(const QJsonValue &v)
{
    if (!v.isArray() || !std::all_of(v.toArray().begin(), v.toArray().end(), isNonEmptyString))
        return "must be a list of namespace names, such as [\"pid\", \"mnt\"]";
    const QStringList known = namespaceNames();
    QStringList seen;
    for (const QJsonValue &item : v.toArray()) {
        const QString name = item.toString();
        if (!known.contains(name))
            return QStringLiteral("names %1, which is not one of %2")
                .arg(quoted(name), known.join(", "));
        if (seen.contains(name))
            return "lists " + quoted(name) + " twice";
        seen << name;
    }
    if (!seen.contains("mnt"))
        return "must include \"mnt\": Hood sets up the root filesystem in the mount namespace";
    return {};
}

// hoodctl's own parser (spec/units.h), so a lesson accepts what --memory accepts.
QString checkSize(const QJsonValue &v)
{
    const QString rule = "must be a size such as 64M (a number with an optional unit K, M, G or T)";
    if (!v.isString())
        return rule;
    try {
        return parseBytes(v.toString().toStdString(), "memory") > 0 ? QString() : rule;
    } catch (const Error &) {
        return rule;
    }
}

QString checkHostname(const QJsonValue &v)
{
    static const QRegularExpression host(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9.-]{0,63}$"));
    return v.isString() && host.match(v.toString()).hasMatch()
               ? QString()
               : "must be a host name of at most 64 letters, digits, '-' and '.', starting with a "
                 "letter or digit";
}

QString checkName(const QJsonValue &v)
{
    if (!v.isString())
        return "must be a string";
    try {
        validateId(v.toString().toStdString());
    } catch (const Error &e) {
        return "is not a valid container name: " + QString::fromStdString(e.what());
    }
    return {};
}

QString checkValue(ArgType type, const QJsonValue &v)
{
    switch (type) {
    case ArgType::Text:
    case ArgType::Key: return isNonEmptyString(v) ? QString() : "must be a non-empty string";
    case ArgType::TextList: return checkTextList(v);
    case ArgType::Number:
        return v.isDouble() && v.toDouble() > 0 ? QString()
                                                : "must be a number greater than 0, such as 0.5";
    case ArgType::Count:
        return v.isDouble() && v.toDouble() == std::floor(v.toDouble()) && v.toDouble() >= 1
                       && v.toDouble() <= kMaxPids
                   ? QString()
                   : QStringLiteral("must be a whole number from 1 to %1").arg(kMaxPids);
    case ArgType::Bool: return v.isBool() ? QString() : "must be true or false";
    case ArgType::Size: return checkSize(v);
    case ArgType::Namespaces: return checkNamespaces(v);
    case ArgType::Page:
        return v.isString() && kPages.contains(v.toString())
                   ? QString()
                   : "must be one of " + kPages.join(", ");
    case ArgType::Signal:
        return v.isString() && signalNumber(v.toString().toStdString()) != 0
                   ? QString()
                   : "must be a signal name such as KILL or TERM";
    case ArgType::Hostname: return checkHostname(v);
    case ArgType::Name: return checkName(v);
    case ArgType::WaitState:
        return v.isString() && kWaitStates.contains(v.toString()) ? QString()
                                                                  : "must be one of " + kWaitStates.join(", ");
    case ArgType::Path:
        return v.isString() && v.toString().startsWith('/') && !v.toString().split('/').contains("..")
                   ? QString()
                   : "must be an absolute path in the container, such as /tmp/ready, without \"..\"";
    case ArgType::Measure:
        return v.isString() && measureNames().contains(v.toString()) ? QString()
                                                                     : "must be one of " + measureNames().join(", ");
    case ArgType::Seconds:
        return v.isDouble() && v.toDouble() > 0 && v.toDouble() <= kMaxWaitSeconds
                   ? QString()
                   : QStringLiteral("must be a number of seconds greater than 0 and at most %1").arg(kMaxWaitSeconds);
    }
    return {};
}

// Rules that tie two arguments together, after each has passed on its own.
QString checkCombination(const QString &action, const QJsonObject &args)
{
    if (action == "launch" && args.contains("hostname") && args.contains("namespaces")
        && !args["namespaces"].toArray().contains(QJsonValue("uts")))
        return "argument \"hostname\" needs \"uts\" in namespaces: without its own uts namespace "
               "the container shares the host's name";
    if (action == "wait-for") {
        const auto given = std::count_if(kWaitKinds.begin(), kWaitKinds.end(),
                                         [&](const QString &k) { return args.contains(k); });
        if (given != 1)
            return "needs exactly one of \"state\", \"console\", \"file\" and \"copy-up\"";
    }
    if (action == "highlight") {
        const QString page = args["page"].toString();
        const QStringList keys = highlightKeys(page);
        if (!keys.isEmpty() && !keys.contains(args["key"].toString()))
            return QStringLiteral("argument \"key\" must be one of %1 on the %2 page")
                .arg(keys.join(", "), page);
    }
    return {};
}

} // namespace

QStringList lessonActionNames()
{
    QStringList names;
    for (const ActionSpec &spec : kActions)
        names << spec.name;
    return names;
}

QStringList lessonPages()
{
    return kPages;
}

QStringList highlightKeys(const QString &page)
{
    if (page == "namespaces")
        return namespaceNames();
    if (page == "resources")
        return kResourceKeys;
    return {};
}

QString checkAction(const QString &name, const QJsonObject &args)
{
    const ActionSpec *spec = findAction(name);
    if (!spec)
        return QStringLiteral("unknown action (expected %1)").arg(lessonActionNames().join(", "));
    for (auto it = args.begin(); it != args.end(); ++it) {
        const auto arg = std::find_if(spec->args.begin(), spec->args.end(),
                                      [&](const ArgSpec &a) { return a.name == it.key(); });
        if (arg == spec->args.end())
            return "unknown argument " + quoted(it.key());
        if (const QString rule = checkValue(arg->type, it.value()); !rule.isEmpty())
            return "argument " + quoted(it.key()) + ' ' + rule;
    }
    for (const ArgSpec &arg : spec->args) {
        if (arg.required && !args.contains(arg.name))
            return "argument " + quoted(arg.name) + " is missing";
    }
    return checkCombination(name, args);
}

LaunchRequest launchRequest(const QJsonObject &args)
{
    LaunchRequest r;
    r.image = args["image"].toString();
    for (const QJsonValue &v : args["command"].toArray())
        r.command << v.toString();
    if (args.contains("namespaces")) {
        r.namespaces = QStringList();
        for (const QJsonValue &v : args["namespaces"].toArray())
            *r.namespaces << v.toString();
    }
    r.memory = args["memory"].toString();
    if (args.contains("cpus"))
        r.cpus = args["cpus"].toDouble();
    if (args.contains("pids"))
        r.pids = args["pids"].toInt();
    r.hostname = args["hostname"].toString();
    if (args.contains("chroot"))
        r.chroot = args["chroot"].toBool();
    if (args.contains("rootless"))
        r.rootless = args["rootless"].toBool();
    if (args.contains("seccomp"))
        r.seccomp = args["seccomp"].toBool();
    r.name = args["name"].toString();
    return r;
}

WaitCondition waitCondition(const QJsonObject &args)
{
    WaitCondition c;
    if (args.contains("console")) {
        c.kind = WaitCondition::Kind::Console;
        c.value = args["console"].toString();
    } else if (args.contains("file")) {
        c.kind = WaitCondition::Kind::File;
        c.value = args["file"].toString();
    } else if (args.contains("copy-up")) {
        c.kind = WaitCondition::Kind::CopyUp;
        c.value = args["copy-up"].toString();
    } else {
        c.kind = WaitCondition::Kind::State;
        c.value = args["state"].toString();
    }
    c.timeoutMs = int(std::lround(args["timeout"].toDouble(kDefaultWaitSeconds) * 1000));
    return c;
}

namespace {

QString pageTitle(const QString &page)
{
    return page.left(1).toUpper() + page.mid(1);
}

QStringList launchDetails(const LaunchRequest &r)
{
    QStringList details;
    if (!r.image.isEmpty())
        details << "image " + r.image;
    if (!r.memory.isEmpty())
        details << "memory " + r.memory;
    if (r.cpus)
        details << QString::number(*r.cpus) + " CPU";
    if (r.pids)
        details << QStringLiteral("at most %1 processes").arg(*r.pids);
    if (r.namespaces) {
        QStringList shared;
        for (const QString &name : namespaceNames()) {
            if (!r.namespaces->contains(name))
                shared << name;
        }
        details << "own namespaces: " + r.namespaces->join(' ');
        if (!shared.isEmpty())
            details << "shared with the host: " + shared.join(' ');
    }
    if (!r.hostname.isEmpty())
        details << "hostname " + r.hostname;
    if (r.chroot)
        details << (*r.chroot ? "chroot" : "pivot_root");
    if (r.rootless)
        details << (*r.rootless ? "rootless" : "as root");
    if (r.seccomp)
        details << (*r.seccomp ? "seccomp filter on" : "no seccomp filter");
    return details;
}

QString describeLaunch(const LaunchRequest &r)
{
    QString text = "Launch "
                   + (r.command.isEmpty() ? "the image's default command"
                                          : "\u201c" + r.command.join(' ') + "\u201d");
    if (!r.name.isEmpty())
        text += " as " + r.name;
    const QStringList details = launchDetails(r);
    return details.isEmpty() ? text : text + " (" + details.join("; ") + ")";
}

} // namespace

QString describeAction(const LessonAction &action)
{
    const QJsonObject &a = action.args;
    if (action.name == "launch")
        return describeLaunch(launchRequest(a));
    if (action.name == "open-page")
        return "Open the " + pageTitle(a["page"].toString()) + " page";
    if (action.name == "highlight")
        return QStringLiteral("Point at %1 on the %2 page")
            .arg(a["key"].toString(), pageTitle(a["page"].toString()));
    if (action.name == "type") {
        // A trailing newline presses Enter; show it as the key, not as a line break.
        QString text = a["text"].toString();
        text.replace('\n', QStringLiteral(" \u23ce"));
        return "Type \u201c" + text.trimmed() + "\u201d in the console";
    }
    if (action.name == "stop")
        return "Stop the container";
    if (action.name == "kill") {
        const QString signal = a["signal"].toString();
        return signal.isEmpty()
                   ? QStringLiteral("Kill the container")
                   : "Send "
                         + QString::fromStdString(signalName(signalNumber(signal.toStdString())))
                         + " to the container";
    }
    if (action.name == "wait-for")
        return describeWait(waitCondition(a));
    if (action.name == "measure")
        return describeMeasure(a["what"].toString());
    return action.name;
}

QString describeWait(const WaitCondition &c)
{
    const QString limit = QStringLiteral(" (at most %1 s)").arg(double(c.timeoutMs) / 1000);
    switch (c.kind) {
    case WaitCondition::Kind::State: return "Wait until the container is " + c.value + limit;
    case WaitCondition::Kind::Console: return "Wait for \u201c" + c.value + "\u201d in the console" + limit;
    case WaitCondition::Kind::File: return "Wait for " + c.value + " in the container" + limit;
    case WaitCondition::Kind::CopyUp: return "Wait for " + c.value + " to move up into the writable layer" + limit;
    }
    return {};
}

void performAction(const LessonAction &action, LessonActions &target, const ActionDone &done)
{
    const QJsonObject &a = action.args;
    // The immediate actions are over when the call returns.
    auto over = [&done] {
        if (done)
            done({});
    };
    if (action.name == "launch") {
        target.launch(launchRequest(a), done);
    } else if (action.name == "open-page") {
        target.openPage(a["page"].toString());
        over();
    } else if (action.name == "highlight") {
        target.highlight(a["page"].toString(), a["key"].toString());
        over();
    } else if (action.name == "type") {
        target.typeInConsole(a["text"].toString());
        over();
    } else if (action.name == "stop") {
        target.stopContainer(done);
    } else if (action.name == "kill") {
        target.killContainer(a["signal"].toString(), done);
    } else if (action.name == "wait-for") {
        target.waitFor(waitCondition(a), done);
    } else if (action.name == "measure") {
        target.measure(a["what"].toString(), done);
    } else {
        over();
    }
}

} // namespace hood::gui
