// Live cgroup sampling for every running container, on a QTimer (10 Hz by
// default). A tick is one pread(2) per open control file per container (see
// core/cgroups/sampler.h), so ten containers cost well under a millisecond.
#pragma once

#include "containerdata.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>

namespace hood {
class CgroupSampler;
}

namespace hood::gui {

class LiveSampler : public QObject {
    Q_OBJECT

public:
    explicit LiveSampler(QObject *parent = nullptr);
    ~LiveSampler() override;

    void setInterval(int ms);
    int interval() const { return m_timer.interval(); }
    // How much history each container keeps.
    void setMaxSeconds(double seconds) { m_maxSeconds = seconds; }

    // The containers to sample: running ones with cgroups get a sampler; histories of
    // containers no longer listed are dropped.
    void setContainers(const QVector<ContainerRow> &rows);
    const ResourceHistory *history(const QString &id) const;
    // Seconds on the sampler's clock (the plots' x axis).
    double now() const;
    // Time spent in the last tick's sampling, for the benchmark.
    qint64 lastTickNs() const { return m_lastTickNs; }

public slots:
    void tick();

signals:
    void sampled();

private:
    struct Source;
    void sampleOne(const QString &id, Source &source, double t);

    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_maxSeconds = 600;
    std::map<QString, std::unique_ptr<Source>> m_sources;
    QHash<QString, ResourceHistory> m_histories;
    qint64 m_lastTickNs = 0;
};

} // namespace hood::gui
