#include "sampler.h"

#include "cgroups/sampler.h"
#include "error.h"

#include <QTimer>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>

namespace hood::gui {

// The worker: everything here runs on the sampler's thread, and nothing here is
// touched from another one. It gets the container list and the interval as
// copies through queued calls, and gives back SampleBatch values.
class CgroupReader : public QObject {
    Q_OBJECT

public:
    explicit CgroupReader(QElapsedTimer clock) : m_clock(clock), m_timer(this)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &CgroupReader::tick);
    }

    void start(int ms) { m_timer.start(ms); }
    void setContainers(const QVector<ContainerRow> &rows);

signals:
    void sampled(const hood::gui::SampleBatch &batch);

private:
    struct Source {
        std::unique_ptr<CgroupSampler> sampler;
        std::optional<double> lastTime;
        // (time, throttled ns) over the last second: CFS throttles in 100 ms periods, so
        // a rate taken between two 100 ms samples jumps between 0 and a period's worth.
        std::deque<std::pair<double, quint64>> throttleWindow;
        quint64 lastOomKills = 0;
    };

    void tick();
    ContainerSample sampleOne(const QString &id, Source &source, double t);

    const QElapsedTimer m_clock; // a copy of the GUI side's: the same time origin
    QTimer m_timer;
    std::map<QString, std::unique_ptr<Source>> m_sources;
    QVector<ContainerSample> m_pendingProblems; // sent with the next tick
};

void CgroupReader::setContainers(const QVector<ContainerRow> &rows)
{
    QSet<QString> running;
    for (const ContainerRow &row : rows) {
        if (!row.running() || row.cgroupPaths.isEmpty())
            continue;
        running.insert(row.id);
        if (m_sources.count(row.id))
            continue;
        std::vector<std::string> dirs;
        for (const QString &p : row.cgroupPaths)
            dirs.push_back(p.toStdString());
        auto source = std::make_unique<Source>();
        try {
            source->sampler = std::make_unique<CgroupSampler>(std::move(dirs));
        } catch (const Error &e) {
            ContainerSample failed;
            failed.id = row.id;
            failed.problem = QString::fromStdString(e.what());
            m_pendingProblems << failed;
            continue;
        }
        m_sources.emplace(row.id, std::move(source));
    }
    for (auto it = m_sources.begin(); it != m_sources.end();)
        it = running.contains(it->first) ? std::next(it) : m_sources.erase(it);
}

void CgroupReader::tick()
{
    QElapsedTimer spent;
    spent.start();
    const double t = double(m_clock.nsecsElapsed()) / 1e9;
    SampleBatch batch;
    batch.samples = std::exchange(m_pendingProblems, {});
    for (auto it = m_sources.begin(); it != m_sources.end();) {
        try {
            batch.samples << sampleOne(it->first, *it->second, t);
            ++it;
        } catch (const Error &e) {
            // The cgroup went away: the container ended between two refreshes.
            ContainerSample gone;
            gone.id = it->first;
            gone.problem = QString::fromStdString(e.what());
            batch.samples << gone;
            it = m_sources.erase(it);
        }
    }
    batch.tickNs = spent.nsecsElapsed();
    emit sampled(batch);
}

ContainerSample CgroupReader::sampleOne(const QString &id, Source &source, double t)
{
    const CgroupSample s = source.sampler->sample();
    ContainerSample out;
    out.id = id;
    ResourcePoint p;
    p.time = t;
    p.cpuPercent = s.cpuPercent.value_or(0);
    p.memory = double(s.stats.memoryCurrent);
    p.pids = double(s.stats.pidsCurrent);
    auto &window = source.throttleWindow;
    window.emplace_back(t, s.stats.throttledNs);
    while (window.size() > 2 && window[1].first <= t - 1.0)
        window.pop_front();
    if (window.size() > 1 && t > window.front().first) {
        const quint64 since = std::min<quint64>(s.stats.throttledNs, window.front().second);
        p.throttledMsPerSec = double(s.stats.throttledNs - since) / 1e6 / (t - window.front().first);
    }
    out.point = p;
    out.oomKilledNow = source.lastTime && s.stats.oomKills > source.lastOomKills;
    source.lastTime = t;
    source.lastOomKills = s.stats.oomKills;
    out.memoryLimit = s.stats.memoryLimit ? std::optional<double>(double(*s.stats.memoryLimit)) : std::nullopt;
    out.pidsMax = s.stats.pidsMax ? std::optional<double>(double(*s.stats.pidsMax)) : std::nullopt;
    out.cpuLimit = s.cpuLimit ? std::optional<double>(*s.cpuLimit * 100) : std::nullopt;
    out.throttledPeriods = s.stats.throttledPeriods;
    out.oomKills = s.stats.oomKills;
    out.pidsLimitHits = s.pidsLimitHits;
    out.memoryPeak = double(std::max(s.stats.memoryPeak, s.stats.memoryCurrent));
    return out;
}

LiveSampler::LiveSampler(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<hood::gui::SampleBatch>();
    m_clock.start();
    m_thread.setObjectName("hood-sampler");
    m_reader = new CgroupReader(m_clock);
    m_reader->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_reader, &QObject::deleteLater);
    connect(m_reader, &CgroupReader::sampled, this, &LiveSampler::addBatch);
    m_thread.start();
    QMetaObject::invokeMethod(m_reader, [r = m_reader, ms = m_interval] { r->start(ms); });
}

// The reader is deleted on its own thread as that thread ends (QThread::finished).
LiveSampler::~LiveSampler()
{
    m_thread.quit();
    m_thread.wait();
}

void LiveSampler::setInterval(int ms)
{
    m_interval = ms;
    QMetaObject::invokeMethod(m_reader, [r = m_reader, ms] { r->start(ms); });
}

double LiveSampler::now() const
{
    return double(m_clock.nsecsElapsed()) / 1e9;
}

const ResourceHistory *LiveSampler::history(const QString &id) const
{
    auto it = m_histories.constFind(id);
    return it == m_histories.constEnd() ? nullptr : &*it;
}

void LiveSampler::setContainers(const QVector<ContainerRow> &rows)
{
    QSet<QString> listed;
    for (const ContainerRow &row : rows) {
        listed.insert(row.id);
        ResourceHistory &h = m_histories[row.id];
        h.id = row.id;
        // The monitor records an OOM kill even when the cgroup vanished before
        // the sampler saw its counter move.
        if (!row.running() && row.oomKilled && h.oomKillTimes.isEmpty() && !h.points.isEmpty())
            h.oomKillTimes << h.points.last().time;
    }
    for (auto it = m_histories.begin(); it != m_histories.end();)
        it = listed.contains(it.key()) ? std::next(it) : m_histories.erase(it);
    QMetaObject::invokeMethod(m_reader, [r = m_reader, rows] { r->setContainers(rows); });
}

void LiveSampler::addBatch(const SampleBatch &batch)
{
    for (const ContainerSample &s : batch.samples) {
        // A container dropped from the list after the worker read it has no history.
        auto it = m_histories.find(s.id);
        if (it != m_histories.end())
            addSample(*it, s);
    }
    m_lastTickNs = batch.tickNs;
    emit sampled();
}

void LiveSampler::addSample(ResourceHistory &h, const ContainerSample &s)
{
    if (!s.problem.isEmpty())
        h.problem = s.problem;
    if (!s.point)
        return;
    const double t = s.point->time;
    if (s.oomKilledNow)
        h.oomKillTimes << t;
    h.memoryLimit = s.memoryLimit;
    h.pidsMax = s.pidsMax;
    h.cpuLimit = s.cpuLimit;
    h.throttledPeriods = s.throttledPeriods;
    h.oomKills = s.oomKills;
    h.pidsLimitHits = s.pidsLimitHits;
    h.memoryPeak = std::max(h.memoryPeak, s.memoryPeak);
    h.points << *s.point;
    // Old samples go a minute's worth at a time: removing one from the front on
    // every tick would move the whole history each time.
    const double oldest = t - m_maxSeconds;
    if (h.points.first().time < oldest - 60) {
        qsizetype drop = 0;
        while (drop < h.points.size() && h.points[drop].time < oldest)
            ++drop;
        h.points.remove(0, drop);
    }
}

} // namespace hood::gui

#include "sampler.moc"
