// The window's engine adapter. Every change (launch, stop, kill, remove, restart)
// runs `hoodctl` as a QProcess, so container setup never happens inside the GUI and
// a slow or failing engine can neither crash nor freeze the window. Reading is done
// in process, the way any client may: Runtime::list() over the state directory.
#pragma once

#include "containerdata.h"
#include "launchsettings.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

namespace hood {
class Runtime;
}

namespace hood::gui {

class ContainerController : public QObject {
    Q_OBJECT

public:
    // stateRoot empty: hoodctl's default (HOOD_ROOT, else /run/hood as root).
    explicit ContainerController(const QString &stateRoot = {}, QObject *parent = nullptr);
    ~ContainerController() override;

    QString stateRoot() const { return m_stateRoot; }
    QString hoodctl() const { return m_hoodctl; }
    QString containerDir(const QString &id) const { return m_stateRoot + '/' + id; }

    // `hoodctl run -d ...` arguments for these settings (pure; the commands page and
    // the tests use it too). launch() adds --json to read hoodctl's answer.
    static QStringList runArguments(const LaunchSettings &settings);
    // "64M" for whole mebibytes, else the byte count: what --memory is given
    // (hood::formatBytesFlag).
    static QString memoryFlag(qint64 bytes);
    // The settings a container was made with, read back from its config.json (for
    // restart of a container this window did not launch).
    LaunchSettings settingsOf(const QString &id) const;

    const QVector<ContainerRow> &containers() const { return m_rows; }
    const ContainerRow *container(const QString &id) const;
    int runningCount() const;
    int pendingCommands() const { return m_pending; }

public slots:
    void launch(const hood::gui::LaunchSettings &settings);
    // `finished` runs once hoodctl is done and the list has been re-read (ok false:
    // engineError has just said why).
    void stop(const QString &id, std::function<void(bool ok)> finished = {});
    void kill(const QString &id, const QString &signal = QStringLiteral("KILL"),
              std::function<void(bool ok)> finished = {});
    void remove(const QString &id);
    void restart(const QString &id);
    // delete --force for every container; `done` runs once all have finished.
    void removeAll(std::function<void()> done = {});
    // Re-reads the state directory now (it is also re-read twice a second).
    void refresh();

signals:
    void containersChanged();
    void launched(const QString &id);
    // One sentence: hoodctl's own message ("--memory 1k: must be at least 1M ...").
    void engineError(const QString &sentence);
    // One sentence hoodctl warned about while doing what was asked (a launch that
    // went ahead without something), from its --json answer.
    void engineWarning(const QString &sentence);
    void busyChanged(bool busy);

private:
    using Done = std::function<void(bool ok, const QString &out)>;
    void runHoodctl(const QStringList &args, Done done = {});
    void finishCommand(const QStringList &args, bool ok, const QString &out, const QString &err,
                       const Done &done);

    QString m_stateRoot;
    QString m_hoodctl;
    std::unique_ptr<hood::Runtime> m_runtime;
    QVector<ContainerRow> m_rows;
    QHash<QString, LaunchSettings> m_launchedWith;
    QTimer m_refreshTimer;
    int m_pending = 0;
};

// Where hoodctl is: $HOOD_HOODCTL, next to this executable, the build tree's
// app/cli/, then PATH. Empty when none is found.
QString findHoodctl();

// "hoodctl: --memory 1k: must be ..." -> "--memory 1k: must be ..." (last non-empty line).
QString engineSentence(const QString &stderrText);

// hoodctl --json's answer (app/cli/report.h), the last line of its stdout.
struct EngineReport {
    bool valid = false; // false: no JSON object there (a verb without --json)
    QString id;
    QString error;      // the sentence of a failure
    int exitClass = 0;  // 125, 126 or 127 for a failure
    QStringList warnings;
};
EngineReport engineReport(const QString &stdoutText);

} // namespace hood::gui
