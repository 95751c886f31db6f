// The Security page's engine: on a pool thread, it reads what confines the
// selected container (core/inspect/security: /proc/PID/status, the id maps, and
// the filter and paths of its config.json) and hands back a SecuritySnapshot.
// The page only draws snapshots; the window's thread never reads /proc for it.
#pragma once

#include "containerdata.h"

#include "inspect/security.h"

#include <QObject>

namespace hood::gui {

struct SecuritySnapshot {
    QString id;
    bool running = false;    // false: only what config.json says (no process to read)
    inspect::SecurityView view;
    bool noNewPrivsInSpec = false; // process.noNewPrivileges of config.json
    bool rootless = false;
    QString problem;         // one sentence when config.json could not be read
};

// Reads one container: its config.json under stateDir and, while it runs, its
// init's /proc entries. Never throws (public for the tests).
SecuritySnapshot readSecuritySnapshot(const ContainerRow &row, const QString &stateDir);

class SecurityInspector : public QObject {
    Q_OBJECT

public:
    explicit SecurityInspector(QObject *parent = nullptr);

    // One read at a time; a request made during one replaces any still waiting.
    void request(const ContainerRow &row, const QString &stateDir);
    bool busy() const { return m_busy; }

signals:
    void snapshot(const hood::gui::SecuritySnapshot &snapshot);

private:
    void start(const ContainerRow &row, const QString &stateDir);

    bool m_busy = false;
    std::optional<std::pair<ContainerRow, QString>> m_waiting;
};

} // namespace hood::gui
