// The Build page's engine: `hoodctl build --progress json`, `hoodctl pull` and
// `hoodctl push --progress json` run as child processes (as the controller runs
// every other verb), their JSON lines parsed into value structs as they arrive.
// The window's thread only reads pipes; the build itself, its RUN containers and
// the registry traffic are hoodctl's.
#pragma once

#include "layerinspector.h"

#include <QObject>
#include <QString>

class QJsonObject;
class QProcess;

namespace hood::gui {

// One `{"phase":"start"|"done","step":N,...}` line of hoodctl build.
struct BuildStepEvent {
    bool done = false;
    int index = 0, total = 0;
    QString instruction; // as written: "COPY app /app"
    QString key;         // the cache key (sha256:...)
    QString reason;      // why it hit or missed
    QString layer;       // the layer's diff_id; empty for a metadata-only step
    bool cached = false;
    quint64 size = 0;
    double seconds = 0;
};

// One `{"phase":"blob",...}` line of hoodctl pull / push.
struct BlobProgress {
    QString what; // "layer 2/3 sha256:ab12..."
    quint64 done = 0, total = 0;
};

BuildStepEvent buildStepEvent(const QJsonObject &line);

class BuildSession : public QObject {
    Q_OBJECT

public:
    // stateRoot: HOOD_ROOT of the child (the containers a RUN makes live there).
    BuildSession(const QString &hoodctl, const QString &stateRoot, QObject *parent = nullptr);
    ~BuildSession() override;

    void build(const QString &contextDir, const QString &tag, bool noCache);
    void pull(const QString &ref, bool tlsVerify);
    void push(const QString &image, const QString &ref, bool tlsVerify);
    bool busy() const { return m_process != nullptr; }

signals:
    void step(const hood::gui::BuildStepEvent &event);
    void blob(const hood::gui::BlobProgress &progress);
    // ok: the image ID (and for pull/push the manifest digest); else the sentence.
    void finished(bool ok, const QString &imageId, const QString &digest, const QString &sentence);
    void busyChanged(bool busy);

private:
    void start(const QStringList &args);
    void readLines();
    void onFinished(bool ok);

    QString m_hoodctl, m_stateRoot;
    QProcess *m_process = nullptr;
    QByteArray m_pending; // a line not yet ended
    QString m_imageId, m_digest;
};

// An image of the store as the Layers page draws it: its layers (bottom first),
// labelled by its history, no writable layer, pid 0; `layer` is set to the index
// of the layer with this diff_id (-1: none). Scans every layer: call it off the
// window's thread. storeDir empty: the store hoodctl uses by default.
LayerSnapshot imageLayerSnapshot(const QString &storeDir, const QString &image, const QString &diffId, int *layer);

} // namespace hood::gui
