// The Layers page's engine: on a thread of its own, it reads a running
// container's layer stack (core/image/layerview: its root overlay from
// /proc/PID/mountinfo, every layer scanned, dive's numbers computed) and watches
// the writable layer with inotify (core/image/copyupwatch). A copy-up is sent the
// moment inotify reports it; the whole view is read again a moment later. The
// window's thread never scans a layer.
#pragma once

#include "containerdata.h"

#include "image/layerview.h"

#include <QObject>
#include <QThread>

namespace hood::gui {

struct LayerSnapshot {
    QString id;
    int pid = 0;
    image::ContainerLayers layers;
    QString problem;  // one sentence when the stack could not be read
    QString watching; // the directory inotify watches, or why nothing is watched
    bool watched = false;
    double readMs = 0;
};

// One path the container just wrote or deleted in its writable layer.
struct CopyUpMark {
    QString path;
    bool deleted = false;
    bool dir = false;
};

class LayerWorker;

class LayerInspector : public QObject {
    Q_OBJECT

public:
    explicit LayerInspector(QObject *parent = nullptr);
    ~LayerInspector() override;

    // Reads the container's layers and watches its writable layer; the same
    // container again changes nothing (inotify says when to read it again).
    void watch(const ContainerRow &row);
    void stop();
    QString watchedId() const { return m_id; }
    // True from a request until its snapshot has arrived (a screenshot waits).
    bool busy() const { return m_busy; }

signals:
    void snapshot(const hood::gui::LayerSnapshot &snapshot);
    void copiedUp(const QString &id, const QVector<hood::gui::CopyUpMark> &marks);

private:
    QThread m_thread;
    LayerWorker *m_worker = nullptr; // lives in m_thread
    QString m_id;
    int m_pid = 0;
    bool m_busy = false;
    bool m_failed = false; // the last read found no layers
};

} // namespace hood::gui
