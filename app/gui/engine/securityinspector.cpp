#include "securityinspector.h"

#include "error.h"
#include "runtime/seccompfilter.h"
#include "spec/spec.h"
#include "sys/fileio.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

namespace hood::gui {

namespace {

// libseccomp's name table does not change while Hood runs: read once.
const std::vector<std::string> &knownSyscalls()
{
    static const std::vector<std::string> names = nativeSyscallNames();
    return names;
}

} // namespace

SecuritySnapshot readSecuritySnapshot(const ContainerRow &row, const QString &stateDir)
{
    SecuritySnapshot s;
    s.id = row.id;
    s.rootless = row.rootless;
    s.running = row.running() && row.pid > 0;
    Spec spec;
    const std::string config = (stateDir + "/config.json").toStdString();
    try {
        spec = parseSpec(readFile(config), config).spec;
        s.noNewPrivsInSpec = spec.process.noNewPrivileges;
    } catch (const Error &e) {
        s.problem = QString::fromStdString(e.what());
    }
    if (s.running) {
        s.view = inspect::readSecurityView("/proc", row.pid, spec, knownSyscalls());
    } else {
        s.view.maskedPaths = spec.maskedPaths;
        s.view.readonlyPaths = spec.readonlyPaths;
        s.view.seccomp = inspect::viewSeccomp(spec.seccomp, knownSyscalls());
    }
    return s;
}

SecurityInspector::SecurityInspector(QObject *parent) : QObject(parent) {}

void SecurityInspector::request(const ContainerRow &row, const QString &stateDir)
{
    if (m_busy) {
        m_waiting = std::make_pair(row, stateDir);
        return;
    }
    start(row, stateDir);
}

void SecurityInspector::start(const ContainerRow &row, const QString &stateDir)
{
    m_busy = true;
    auto *watcher = new QFutureWatcher<SecuritySnapshot>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        const SecuritySnapshot s = watcher->result();
        watcher->deleteLater();
        m_busy = false;
        if (auto next = std::exchange(m_waiting, std::nullopt))
            start(next->first, next->second);
        emit snapshot(s);
    });
    watcher->setFuture(QtConcurrent::run([row, stateDir] { return readSecuritySnapshot(row, stateDir); }));
}

} // namespace hood::gui
