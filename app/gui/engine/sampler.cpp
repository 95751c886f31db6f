#include "sampler.h"

#include "cgroups/sampler.h"
#include "error.h"

#include <algorithm>
#include <deque>

namespace hood::gui {

struct LiveSampler::Source {
    std::unique_ptr<CgroupSampler> sampler;
    std::optional<double> lastTime;
    // (time, throttled ns) over the last second: CFS throttles in 100 ms periods, so
    // a rate taken between two 100 ms samples jumps between 0 and a period's worth.
    std::deque<std::pair<double, quint64>> throttleWindow;
    quint64 lastOomKills = 0;
    bool oomKilledRecorded = false;
};

LiveSampler::LiveSampler(QObject *parent) : QObject(parent)
{
    m_clock.start();
    m_timer.setInterval(100);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &LiveSampler::tick);
    m_timer.start();
}

LiveSampler::~LiveSampler() = default;

void LiveSampler::setInterval(int ms)
{
    m_timer.setInterval(ms);
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
        auto it = m_sources.find(row.id);
        if (!row.running()) {
            // The monitor records an OOM kill even when the cgroup vanished before
            // the sampler saw its counter move.
            if (row.oomKilled && h.oomKillTimes.isEmpty() && !h.points.isEmpty())
                h.oomKillTimes << h.points.last().time;
            if (it != m_sources.end())
                m_sources.erase(it);
            continue;
        }
        if (it != m_sources.end() || row.cgroupPaths.isEmpty())
            continue;
        std::vector<std::string> dirs;
        for (const QString &p : row.cgroupPaths)
            dirs.push_back(p.toStdString());
        auto source = std::make_unique<Source>();
        try {
            source->sampler = std::make_unique<CgroupSampler>(std::move(dirs));
        } catch (const Error &e) {
            h.problem = QString::fromStdString(e.what());
            continue;
        }
        m_sources.emplace(row.id, std::move(source));
    }
    for (auto it = m_sources.begin(); it != m_sources.end();)
        it = listed.contains(it->first) ? std::next(it) : m_sources.erase(it);
    for (auto it = m_histories.begin(); it != m_histories.end();)
        it = listed.contains(it.key()) ? std::next(it) : m_histories.erase(it);
}

void LiveSampler::tick()
{
    QElapsedTimer spent;
    spent.start();
    const double t = now();
    for (auto it = m_sources.begin(); it != m_sources.end();) {
        try {
            sampleOne(it->first, *it->second, t);
            ++it;
        } catch (const Error &e) {
            // The cgroup went away: the container ended between two refreshes.
            m_histories[it->first].problem = QString::fromStdString(e.what());
            it = m_sources.erase(it);
        }
    }
    m_lastTickNs = spent.nsecsElapsed();
    emit sampled();
}

void LiveSampler::sampleOne(const QString &id, Source &source, double t)
{
    const CgroupSample s = source.sampler->sample();
    ResourceHistory &h = m_histories[id];
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
    if (source.lastTime && s.stats.oomKills > source.lastOomKills)
        h.oomKillTimes << t;
    source.lastTime = t;
    source.lastOomKills = s.stats.oomKills;
    h.memoryLimit = s.stats.memoryLimit ? std::optional<double>(double(*s.stats.memoryLimit)) : std::nullopt;
    h.pidsMax = s.stats.pidsMax ? std::optional<double>(double(*s.stats.pidsMax)) : std::nullopt;
    h.cpuLimit = s.cpuLimit ? std::optional<double>(*s.cpuLimit * 100) : std::nullopt;
    h.throttledPeriods = s.stats.throttledPeriods;
    h.oomKills = s.stats.oomKills;
    h.memoryPeak = std::max(h.memoryPeak, double(std::max(s.stats.memoryPeak, s.stats.memoryCurrent)));
    h.points << p;
    // Old samples go a minute's worth at a time: removing one from the front on
    // every tick would move the whole history each time.
    const double oldest = t - m_maxSeconds;
    if (!h.points.isEmpty() && h.points.first().time < oldest - 60) {
        qsizetype drop = 0;
        while (drop < h.points.size() && h.points[drop].time < oldest)
            ++drop;
        h.points.remove(0, drop);
    }
}

} // namespace hood::gui
