#include "controller.h"

#include "error.h"
#include "runtime/runtime.h"
#include "runtime/statedir.h"
#include "spec/runoptions.h"
#include "spec/spec.h"
#include "spec/units.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

#include <cmath>
#include <memory>

namespace hood::gui {

QString findHoodctl()
{
    const QString env = qEnvironmentVariable("HOOD_HOODCTL");
    if (!env.isEmpty())
        return env;
    const QString here = QCoreApplication::applicationDirPath();
    for (const QString &candidate : {here + "/hoodctl", here + "/../cli/hoodctl"}) {
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    }
#ifdef HOOD_BUILD_HOODCTL
    if (QFileInfo(QStringLiteral(HOOD_BUILD_HOODCTL)).isExecutable())
        return QStringLiteral(HOOD_BUILD_HOODCTL);
#endif
    return QStandardPaths::findExecutable("hoodctl");
}

QString engineSentence(const QString &stderrText)
{
    const QStringList lines = stderrText.split('\n', Qt::SkipEmptyParts);
    QString last = lines.isEmpty() ? QString() : lines.last().trimmed();
    if (last.startsWith("hoodctl: "))
        last = last.mid(9);
    return last;
}

EngineReport engineReport(const QString &stdoutText)
{
    const QStringList lines = stdoutText.split('\n', Qt::SkipEmptyParts);
    const QJsonDocument doc = QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last().toUtf8());
    EngineReport r;
    if (!doc.isObject())
        return r;
    const QJsonObject o = doc.object();
    r.valid = true;
    r.id = o["id"].toString();
    r.error = o["error"].toString();
    r.exitClass = o["exitClass"].toInt();
    for (const QJsonValue &w : o["warnings"].toArray())
        r.warnings << w.toString();
    return r;
}

namespace {

QDateTime parseTime(const std::string &rfc3339)
{
    if (rfc3339.empty())
        return {};
    // The engine writes nanoseconds; Qt's ISO parser takes milliseconds at most.
    QString text = QString::fromStdString(rfc3339);
    const qsizetype dot = text.indexOf('.');
    if (dot > 0)
        text = text.left(dot + 4) + 'Z';
    return QDateTime::fromString(text, Qt::ISODateWithMs);
}

ContainerRow rowFromInfo(const ContainerInfo &info)
{
    const ContainerState &s = info.state;
    ContainerRow row;
    row.id = QString::fromStdString(s.id);
    row.status = QString::fromLatin1(statusName(info.status));
    row.pid = s.pid;
    row.image = QString::fromStdString(s.image.empty() ? s.rootfs : s.image);
    for (const std::string &word : s.command)
        row.command << QString::fromStdString(word);
    row.created = parseTime(s.created);
    row.finished = parseTime(s.finished);
    row.terminal = s.terminal;
    row.rootless = s.rootless;
    row.exitCode = s.exitCode;
    row.oomKilled = s.oomKilled;
    row.error = QString::fromStdString(s.error);
    for (const std::string &path : s.cgroupPaths)
        row.cgroupPaths << QString::fromStdString(path);
    if (s.memoryLimit)
        row.memoryLimit = static_cast<quint64>(*s.memoryLimit);
    return row;
}

bool sameRows(const QVector<ContainerRow> &a, const QVector<ContainerRow> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].id != b[i].id || a[i].status != b[i].status || a[i].pid != b[i].pid
            || a[i].exitCode != b[i].exitCode || a[i].error != b[i].error)
            return false;
    }
    return true;
}

} // namespace

ContainerController::ContainerController(const QString &stateRoot, QObject *parent)
    : QObject(parent),
      m_stateRoot(stateRoot.isEmpty() ? QString::fromStdString(defaultStateRoot()) : stateRoot),
      m_hoodctl(findHoodctl()),
      m_runtime(std::make_unique<Runtime>(m_stateRoot.toStdString()))
{
    m_refreshTimer.setInterval(500);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ContainerController::refresh);
    m_refreshTimer.start();
    refresh();
    // As design.md asks of the GUI at start: undo what crashed containers left.
    runHoodctl({"gc"});
}

// A hoodctl still running when the window goes (a gc, a launch) is left to finish on
// its own: the engine's work must not be cut in half. Only our end is closed.
ContainerController::~ContainerController()
{
    for (QProcess *p : findChildren<QProcess *>()) {
        p->disconnect(this);
        p->setParent(nullptr);
        connect(p, &QProcess::finished, p, &QObject::deleteLater);
    }
}

QString ContainerController::memoryFlag(qint64 bytes)
{
    return QString::fromStdString(formatBytesFlag(bytes));
}

QStringList ContainerController::runArguments(const LaunchSettings &s)
{
    QStringList args = {"run", "-d"};
    if (s.terminal)
        args << "-t";
    if (!s.name.isEmpty())
        args << "--name" << s.name;
    args << "--image" << (s.image.isEmpty() ? QStringLiteral("busybox") : s.image);
    args << "--ns" << s.namespaces.join(',');
    if (s.memory > 0)
        args << "--memory" << memoryFlag(s.memory);
    if (s.cpus > 0)
        args << "--cpus" << QString::fromStdString(formatCpus(s.cpus));
    if (s.pids > 0)
        args << "--pids" << QString::number(s.pids);
    if (!s.hostname.isEmpty())
        args << "--hostname" << s.hostname;
    if (s.chroot)
        args << "--chroot";
    if (s.rootless)
        args << "--rootless";
    if (!s.seccomp)
        args << "--security-opt" << "seccomp=unconfined";
    args << "--";
    args << (s.command.isEmpty() ? QStringList {"sh"} : s.command);
    return args;
}

LaunchSettings ContainerController::settingsOf(const QString &id) const
{
    if (m_launchedWith.contains(id))
        return m_launchedWith.value(id);
    LaunchSettings s;
    s.name = id;
    QFile file(containerDir(id) + "/config.json");
    const ContainerRow *row = container(id);
    if (row) {
        s.image = row->image;
        s.command = row->command;
        s.rootless = row->rootless;
        s.terminal = row->terminal;
    }
    if (!file.open(QIODevice::ReadOnly))
        return s;
    try {
        const Spec spec = parseSpec(file.readAll().toStdString(), file.fileName().toStdString()).spec;
        s.namespaces.clear();
        for (const NamespaceSetting &ns : spec.namespaces)
            s.namespaces << QString::fromUtf8(nsInfo(ns.kind).shortName.data(),
                                              qsizetype(nsInfo(ns.kind).shortName.size()));
        if (s.rootless)
            s.namespaces.removeAll("user");
        s.memory = spec.resources.memoryLimit.value_or(0);
        s.cpus = cpusOf(spec.resources).value_or(0);
        s.pids = std::max<int64_t>(0, spec.resources.pidsLimit.value_or(0));
        s.hostname = QString::fromStdString(spec.hostname);
        s.terminal = spec.process.terminal;
        s.seccomp = spec.seccomp.has_value();
    } catch (const Error &) {
        // A config.json the engine wrote is always valid; keep what the state says.
    }
    return s;
}

const ContainerRow *ContainerController::container(const QString &id) const
{
    for (const ContainerRow &row : m_rows) {
        if (row.id == id)
            return &row;
    }
    return nullptr;
}

int ContainerController::runningCount() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const ContainerRow &r) { return r.running(); }));
}

void ContainerController::refresh()
{
    QVector<ContainerRow> rows;
    for (const ContainerInfo &info : m_runtime->list())
        rows << rowFromInfo(info);
    if (sameRows(rows, m_rows))
        return;
    m_rows = std::move(rows);
    emit containersChanged();
}

void ContainerController::runHoodctl(const QStringList &args, Done done)
{
    if (m_hoodctl.isEmpty()) {
        emit engineError(tr("hoodctl was not found next to hood, in the build tree or on PATH: "
                            "build it (cmake --build . --target hoodctl) or set HOOD_HOODCTL."));
        if (done)
            done(false, {});
        return;
    }
    auto *p = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOOD_ROOT", m_stateRoot);
    p->setProcessEnvironment(env);
    p->setStandardInputFile(QProcess::nullDevice());
    if (++m_pending == 1)
        emit busyChanged(true);
    connect(p, &QProcess::finished, this, [this, p, args, done](int code, QProcess::ExitStatus status) {
        const bool ok = status == QProcess::NormalExit && code == 0;
        finishCommand(args, ok, QString::fromUtf8(p->readAllStandardOutput()),
                      QString::fromUtf8(p->readAllStandardError()), done);
        p->deleteLater();
    });
    connect(p, &QProcess::errorOccurred, this, [this, p, args, done](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart)
            return; // the other errors are followed by finished()
        finishCommand(args, false, {}, tr("cannot start %1: %2").arg(m_hoodctl, p->errorString()), done);
        p->deleteLater();
    });
    p->start(m_hoodctl, args);
}

void ContainerController::finishCommand(const QStringList &args, bool ok, const QString &out,
                                        const QString &err, const Done &done)
{
    // With --json the answer is one object on stdout; other verbs speak on stderr.
    const EngineReport report = engineReport(out);
    for (const QString &warning : report.warnings)
        emit engineWarning(warning);
    if (!ok) {
        QString sentence = report.valid ? report.error : engineSentence(err);
        if (sentence.isEmpty())
            sentence = tr("hoodctl %1 failed without saying why.").arg(args.value(0));
        emit engineError(sentence);
    }
    if (done)
        done(ok, report.valid ? report.id : out.trimmed());
    refresh();
    if (--m_pending == 0)
        emit busyChanged(false);
}

void ContainerController::launch(const LaunchSettings &settings)
{
    QStringList args = runArguments(settings);
    args.insert(1, QStringLiteral("--json")); // the ID, warnings and a failure's sentence
    runHoodctl(args, [this, settings](bool ok, const QString &id) {
        if (!ok || id.isEmpty())
            return;
        m_launchedWith.insert(id, settings);
        refresh();
        emit launched(id);
    });
}

namespace {

// The list is read again before `finished` runs, so whoever waits for the stop sees
// the container stopped in containers().
std::function<void(bool, const QString &)> afterRefresh(ContainerController *c, std::function<void(bool)> finished)
{
    return [c, finished](bool ok, const QString &) {
        c->refresh();
        if (finished)
            finished(ok);
    };
}

} // namespace

void ContainerController::stop(const QString &id, std::function<void(bool ok)> finished)
{
    runHoodctl({"stop", "--time", "3", id}, afterRefresh(this, std::move(finished)));
}

void ContainerController::kill(const QString &id, const QString &signal, std::function<void(bool ok)> finished)
{
    runHoodctl({"kill", id, signal.isEmpty() ? QStringLiteral("TERM") : signal}, afterRefresh(this, std::move(finished)));
}

void ContainerController::remove(const QString &id)
{
    runHoodctl({"delete", "--force", id}, [this, id](bool ok, const QString &) {
        if (ok)
            m_launchedWith.remove(id);
    });
}

void ContainerController::restart(const QString &id)
{
    LaunchSettings settings = settingsOf(id);
    settings.name = id;
    runHoodctl({"delete", "--force", id}, [this, settings](bool ok, const QString &) {
        if (ok)
            launch(settings);
    });
}

void ContainerController::removeAll(std::function<void()> done)
{
    auto left = std::make_shared<int>(int(m_rows.size()));
    if (*left == 0) {
        if (done)
            done();
        return;
    }
    for (const ContainerRow &row : m_rows) {
        runHoodctl({"delete", "--force", row.id}, [left, done](bool, const QString &) {
            if (--*left == 0 && done)
                done();
        });
    }
}

} // namespace hood::gui
