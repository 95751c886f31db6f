#include "inspector.h"

#include "inspection.h"

#include "error.h"

#include <QElapsedTimer>

namespace hood::gui {

InspectionResult inspect(const InspectionRequest &r)
{
    using Kind = InspectionRequest::Kind;
    InspectionResult result;
    result.kind = r.kind;
    result.id = r.kind == Kind::Namespaces || r.kind == Kind::Network ? r.selected : r.row.id;
    QElapsedTimer spent;
    spent.start();
    // /proc of processes that may vanish at any moment: core reports the ordinary
    // cases as states, and anything else arrives here as one sentence.
    try {
        switch (r.kind) {
        case Kind::Namespaces: result.snapshot = readNamespaceSnapshot(r.rows); break;
        case Kind::Mounts: result.snapshot = readMountSnapshot(r.row); break;
        case Kind::Processes: result.snapshot = readProcessSnapshot(r.row); break;
        case Kind::StartTrace: result.snapshot = readStartTrace(r.stateDir); break;
        case Kind::Network: result.snapshot = readNetworkSnapshot(r.rows, r.stateDir); break;
        }
    } catch (const Error &e) {
        result.error = QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        result.error = QObject::tr("Inspection failed: %1").arg(QString::fromLocal8Bit(e.what()));
    }
    result.readMs = double(spent.nsecsElapsed()) / 1e6;
    return result;
}

// Lives on the inspector's thread; holds nothing between requests.
class InspectionWorker : public QObject {
    Q_OBJECT

public:
    void run(const InspectionRequest &request) { emit done(inspect(request)); }

signals:
    void done(const hood::gui::InspectionResult &result);
};

Inspector::Inspector(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<hood::gui::InspectionResult>();
    m_thread.setObjectName("hood-inspector");
    m_worker = new InspectionWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &InspectionWorker::done, this, &Inspector::finished);
    m_thread.start();
}

// A read in progress finishes first (reads take milliseconds); the worker is deleted
// on its own thread as that thread ends.
Inspector::~Inspector()
{
    m_thread.quit();
    m_thread.wait();
}

void Inspector::request(const InspectionRequest &request)
{
    if (m_busy) {
        m_waiting = request;
        return;
    }
    send(request);
}

void Inspector::send(const InspectionRequest &request)
{
    m_busy = true;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, request] { w->run(request); });
}

void Inspector::finished(const InspectionResult &result)
{
    m_busy = false;
    if (m_waiting)
        send(*std::exchange(m_waiting, std::nullopt));
    emit inspected(result);
}

} // namespace hood::gui

#include "inspector.moc"
