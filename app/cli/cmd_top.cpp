// hoodctl top: running containers' CPU, memory and pids, refreshed every second
// like top or `docker stats`. One CgroupSampler per container is kept between
// refreshes: its files stay open and CPU % comes from the usage delta since the
// previous refresh.
#include "cli.h"
#include "table.h"

#include "cgroups/sampler.h"
#include "error.h"
#include "runtime/runtime.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <thread>
#include <unistd.h>

namespace hoodctl {

using hood::Error;

namespace {

struct Watched {
    hood::ContainerState state;
    hood::CgroupSampler sampler;
};

using Watchlist = std::map<std::string, Watched>;

// Adds containers that started since the last refresh (taking the first sample
// that later CPU % is measured from) and forgets those that ended.
void refreshList(Context &ctx, Watchlist &watched)
{
    Watchlist next;
    for (hood::ContainerInfo &c : ctx.runtime.list()) {
        if (c.status != hood::Status::Running || c.state.cgroupPaths.empty())
            continue;
        auto old = watched.find(c.state.id);
        if (old != watched.end() && old->second.state.pid == c.state.pid) {
            next.emplace(c.state.id, std::move(old->second));
            continue;
        }
        try {
            Watched w{c.state, hood::CgroupSampler(c.state.cgroupPaths)};
            w.sampler.sample();
            next.emplace(c.state.id, std::move(w));
        } catch (const Error &) {
            // ended between list() and the first sample
        }
    }
    watched = std::move(next);
}

std::string uptime(const hood::ContainerState &s)
{
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    long up =
        static_cast<long>(now.tv_sec) - static_cast<long>(s.pidStartTime / sysconf(_SC_CLK_TCK));
    char buf[32];
    if (up >= 86400)
        snprintf(buf, sizeof buf, "%ldd%02ldh", up / 86400, up % 86400 / 3600);
    else if (up >= 3600)
        snprintf(buf, sizeof buf, "%ldh%02ldm", up / 3600, up % 3600 / 60);
    else if (up >= 60)
        snprintf(buf, sizeof buf, "%ldm%02lds", up / 60, up % 60);
    else
        snprintf(buf, sizeof buf, "%lds", up < 0 ? 0 : up);
    return buf;
}

std::string percent(std::optional<double> value)
{
    if (!value)
        return "-";
    char buf[32];
    snprintf(buf, sizeof buf, "%.1f%%", *value);
    return buf;
}

std::string command(const hood::ContainerState &s)
{
    std::string line;
    for (const std::string &word : s.command)
        line += (line.empty() ? "" : " ") + word;
    return line;
}

void addRow(Table &t, Watched &w)
{
    hood::CgroupSample s = w.sampler.sample();
    const hood::CgroupStats &st = s.stats;
    std::optional<double> memPercent;
    if (st.memoryLimit && *st.memoryLimit > 0)
        memPercent =
            100.0 * static_cast<double>(st.memoryCurrent) / static_cast<double>(*st.memoryLimit);
    t.add({w.state.id, percent(s.cpuPercent),
           hood::formatBytes(st.memoryCurrent) + " / "
               + (st.memoryLimit ? hood::formatBytes(*st.memoryLimit) : "no limit"),
           percent(memPercent),
           std::to_string(st.pidsCurrent) + " / "
               + (st.pidsMax ? std::to_string(*st.pidsMax) : "no limit"),
           uptime(w.state), command(w.state)});
}

void printFrame(Watchlist &watched, double delay, bool screen)
{
    Table t({"ID", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS / MAX", "UPTIME", "COMMAND"}, "");
    for (size_t col : {1, 3, 5})
        t.alignRight(col);
    for (auto &[id, w] : watched) {
        try {
            addRow(t, w);
        } catch (const Error &) {
            // ended since the refresh: gone from the next frame
        }
    }
    if (screen) {
        time_t now = time(nullptr);
        char clock[16];
        strftime(clock, sizeof clock, "%H:%M:%S", localtime(&now));
        std::cout << "\033[H\033[2J"
                  << "hoodctl top - " << clock << ", " << watched.size() << " running, every "
                  << delay << " s (^C ends)\n\n";
    }
    t.print(std::cout);
    if (!screen)
        std::cout << "\n";
    std::cout.flush();
}

} // namespace

int cmdTop(Context &ctx, const Words &words)
{
    Options o(words, {"-n", "-d"}, {});
    double iterations = o.value("-n") ? parseNumber("-n", *o.value("-n")) : 0;
    double delay = o.value("-d") ? parseNumber("-d", *o.value("-d")) : 1.0;
    if (iterations < 0 || iterations != std::floor(iterations))
        throw Error("-n " + *o.value("-n") + ": give a whole number of refreshes (0: until ^C)");
    if (delay < 0.1 || delay > 3600)
        throw Error("-d " + *o.value("-d") + ": give a delay between 0.1 and 3600 seconds");
    bool screen = isatty(1);
    Watchlist watched;
    refreshList(ctx, watched);
    for (long i = 0; iterations == 0 || i < static_cast<long>(iterations); ++i) {
        std::this_thread::sleep_for(std::chrono::duration<double>(delay));
        refreshList(ctx, watched);
        printFrame(watched, delay, screen);
    }
    return 0;
}

} // namespace hoodctl
