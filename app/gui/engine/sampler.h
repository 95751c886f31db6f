// Live cgroup sampling for every running container (10 Hz by default). The reading
// happens on a thread of its own: a worker owns the CgroupSamplers (one pread(2) per
// open control file per container, see core/cgroups/sampler.h) and its timer, and
// hands each tick's finished values over by a queued signal. This object, on the
// GUI thread, only appends them to the histories the pages draw.
#pragma once

#include "containerdata.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QThread>

namespace hood::gui {

// One container's reading in one tick, made by the worker.
struct ContainerSample {
    QString id;
    std::optional<ResourcePoint> point; // unset when this tick read nothing
    std::optional<double> memoryLimit;  // bytes
    std::optional<double> pidsMax;
    std::optional<double> cpuLimit;     // percent
    quint64 throttledPeriods = 0;
    quint64 oomKills = 0;
    quint64 pidsLimitHits = 0;
    double memoryPeak = 0;              // bytes, this sample's
    bool oomKilledNow = false;          // the OOM counter moved since the last tick
    QString problem;                    // why sampling stopped (or could not start)
};

struct SampleBatch {
    QVector<ContainerSample> samples;
    qint64 tickNs = 0; // the worker's time spent reading
};

class CgroupReader;

class LiveSampler : public QObject {
    Q_OBJECT

public:
    explicit LiveSampler(QObject *parent = nullptr);
    ~LiveSampler() override;

    void setInterval(int ms);
    int interval() const { return m_interval; }
    // How much history each container keeps.
    void setMaxSeconds(double seconds) { m_maxSeconds = seconds; }

    // The containers to sample: running ones with cgroups get a sampler; histories of
    // containers no longer listed are dropped.
    void setContainers(const QVector<ContainerRow> &rows);
    const ResourceHistory *history(const QString &id) const;
    // Seconds on the sampler's clock (the plots' x axis).
    double now() const;
    // Time the worker spent reading in the last tick, for the benchmark.
    qint64 lastTickNs() const { return m_lastTickNs; }

signals:
    void sampled();

private:
    void addBatch(const SampleBatch &batch);
    void addSample(ResourceHistory &h, const ContainerSample &s);

    QElapsedTimer m_clock;
    int m_interval = 100;
    double m_maxSeconds = 600;
    QHash<QString, ResourceHistory> m_histories;
    qint64 m_lastTickNs = 0;
    QThread m_thread;
    CgroupReader *m_reader = nullptr; // lives in m_thread
};

} // namespace hood::gui
