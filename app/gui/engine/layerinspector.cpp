#include "layerinspector.h"

#include "image/copyupwatch.h"

#include "error.h"

#include <QElapsedTimer>
#include <QSocketNotifier>
#include <QTimer>

#include <memory>

namespace hood::gui {

namespace {

LayerSnapshot readSnapshot(const QString &id, int pid)
{
    LayerSnapshot s;
    s.id = id;
    s.pid = pid;
    QElapsedTimer spent;
    spent.start();
    try {
        s.layers = image::readContainerLayers(pid);
    } catch (const Error &e) {
        s.problem = QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        s.problem = QObject::tr("Reading the layers of %1 failed: %2").arg(id, QString::fromLocal8Bit(e.what()));
    }
    s.readMs = double(spent.nsecsElapsed()) / 1e6;
    return s;
}

} // namespace

// Lives on the inspector's thread: the inotify watch, its notifier and the timer
// that reads the view again after a burst of writes.
class LayerWorker : public QObject {
    Q_OBJECT

public:
    LayerWorker()
    {
        // A child, so that it moves to the worker's thread with it.
        m_reread = new QTimer(this);
        m_reread->setSingleShot(true);
        m_reread->setInterval(250);
        connect(m_reread, &QTimer::timeout, this, [this] { read(); });
    }

    void start(const QString &id, int pid)
    {
        const bool same = id == m_id && pid == m_pid && m_watch;
        m_id = id;
        m_pid = pid;
        if (!same)
            unwatch();
        LayerSnapshot s = read();
        if (!same && s.problem.isEmpty())
            watch(s);
    }

    void stop()
    {
        unwatch();
        m_reread->stop();
        m_id.clear();
        m_pid = 0;
    }

signals:
    void snapshotRead(const hood::gui::LayerSnapshot &snapshot);
    void marks(const QString &id, const QVector<hood::gui::CopyUpMark> &marks);

private:
    LayerSnapshot read()
    {
        LayerSnapshot s = readSnapshot(m_id, m_pid);
        s.watching = m_watching;
        s.watched = m_watch != nullptr;
        emit snapshotRead(s);
        return s;
    }

    // The upper directory when this process can read it; else the merged root, which
    // shows the same writes as the container makes them.
    void watch(LayerSnapshot &s)
    {
        const std::string dir = s.layers.upperSource;
        if (dir.empty()) {
            m_watching = tr("nothing: the container has no writable layer");
            return;
        }
        try {
            m_watch = std::make_unique<image::CopyUpWatch>(dir);
        } catch (const Error &e) {
            m_watching = tr("nothing: %1").arg(QString::fromStdString(e.what()));
            return;
        }
        m_watching = QString::fromStdString(dir);
        m_notifier = std::make_unique<QSocketNotifier>(m_watch->fd(), QSocketNotifier::Read);
        connect(m_notifier.get(), &QSocketNotifier::activated, this, &LayerWorker::onEvents);
        s.watching = m_watching;
        s.watched = m_watch != nullptr;
        emit snapshotRead(s); // again, now saying what is watched
    }

    void unwatch()
    {
        m_notifier.reset();
        m_watch.reset();
        m_watching.clear();
    }

    void onEvents()
    {
        QVector<CopyUpMark> out;
        for (const image::CopyUpEvent &e : m_watch->readEvents()) {
            const QString path = QString::fromStdString(e.path);
            // overlayfs's own bookkeeping in the upper (index, work) is not the image's.
            if (path.startsWith(QLatin1String("/.wh..wh.")))
                continue;
            out.push_back({path, e.kind == image::CopyUpEvent::Kind::Deleted, e.dir});
        }
        if (out.isEmpty())
            return;
        emit marks(m_id, out);
        m_reread->start();
    }

    QString m_id;
    int m_pid = 0;
    QString m_watching;
    std::unique_ptr<image::CopyUpWatch> m_watch;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QTimer *m_reread = nullptr;
};

LayerInspector::LayerInspector(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<hood::gui::LayerSnapshot>();
    qRegisterMetaType<QVector<hood::gui::CopyUpMark>>();
    m_thread.setObjectName("hood-layers");
    m_worker = new LayerWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &LayerWorker::snapshotRead, this, [this](const LayerSnapshot &s) {
        if (s.id != m_id)
            return; // a container the window has moved on from
        m_busy = false;
        m_failed = !s.problem.isEmpty(); // read again on the next request (a container still starting)
        emit snapshot(s);
    });
    connect(m_worker, &LayerWorker::marks, this, [this](const QString &id, const QVector<CopyUpMark> &marks) {
        if (id == m_id)
            emit copiedUp(id, marks);
    });
    m_thread.start();
}

LayerInspector::~LayerInspector()
{
    m_thread.quit();
    m_thread.wait();
}

void LayerInspector::watch(const ContainerRow &row)
{
    // The same container again: inotify says when to read it again, not the window's timer.
    if (row.id == m_id && row.pid == m_pid && (m_busy || !m_failed))
        return;
    m_id = row.id;
    m_pid = row.pid;
    m_busy = true;
    QMetaObject::invokeMethod(m_worker, [w = m_worker, id = row.id, pid = row.pid] { w->start(id, pid); });
}

void LayerInspector::stop()
{
    if (m_id.isEmpty())
        return;
    m_id.clear();
    m_pid = 0;
    m_busy = false;
    m_failed = false;
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->stop(); });
}

} // namespace hood::gui

#include "layerinspector.moc"
