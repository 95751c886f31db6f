// Inspection off the GUI thread. The window asks for what its current page shows
// (namespaces, mounts, processes, the start-up trace); a worker on a thread of its own reads /proc
// (inspection.h) and sends the finished snapshot back by a queued signal. The
// window's thread never waits for /proc, so a slow read cannot stall a frame.
#pragma once

#include "containerdata.h"
#include "starttrace.h"

#include <QObject>
#include <QThread>

#include <optional>
#include <variant>

namespace hood::gui {

struct InspectionRequest {
    enum class Kind { Namespaces, Mounts, Processes, StartTrace, Network };
    Kind kind = Kind::Namespaces;
    QVector<ContainerRow> rows; // Namespaces: every container
    ContainerRow row;           // Mounts, Processes, StartTrace: the one to read
    QString selected;           // Namespaces: the container to compare with the host
    QString stateDir;           // StartTrace: the container's state directory; Network: the state root
};

struct InspectionResult {
    InspectionRequest::Kind kind = InspectionRequest::Kind::Namespaces;
    QString id; // the container it is about, or the selected one (Namespaces)
    std::variant<std::monostate, NamespaceSnapshot, MountSnapshot, ProcessSnapshot, StartTraceParse, NetworkSnapshot> snapshot;
    QString error;      // one sentence when reading failed
    double readMs = 0;  // the worker's time
};

// Reads a request's snapshot; runs on the worker thread (public for the tests).
InspectionResult inspect(const InspectionRequest &request);

class InspectionWorker;

class Inspector : public QObject {
    Q_OBJECT

public:
    explicit Inspector(QObject *parent = nullptr);
    ~Inspector() override;

    // One read at a time: a request made while one is being read replaces any
    // earlier one still waiting, so a slow /proc never builds up a queue.
    void request(const InspectionRequest &request);
    bool busy() const { return m_busy; }

signals:
    void inspected(const hood::gui::InspectionResult &result);

private:
    void finished(const InspectionResult &result);
    void send(const InspectionRequest &request);

    QThread m_thread;
    InspectionWorker *m_worker = nullptr; // lives in m_thread
    bool m_busy = false;
    std::optional<InspectionRequest> m_waiting;
};

} // namespace hood::gui
