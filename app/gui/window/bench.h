// `hood --bench-sampling N SECONDS [PAGE_SECONDS]`: N containers sampled at 10 Hz
// with the Resources page on screen, measuring what the GUI process itself costs,
// then the frame time on each live page.
#pragma once

#include <QString>

namespace hood::gui {

// Launches N idle containers under a private state root, shows the window with the
// Resources page, measures for `seconds`, removes the containers and prints the
// figures. Then, for pageSeconds on each of the Resources, Namespaces, Mounts and
// Processes pages, the frame time: how late a 16 ms timer fires and how long the
// page takes to paint, while the sampler and the page's inspection run. Returns 0
// when the measurement ran (whatever the figures), 1 otherwise.
int runSamplingBench(int containers, double seconds, double pageSeconds = 10);

// `hood --bench-hogs [SECONDS]` (tests/bench/hogs): the frame time of the Resources
// page and the host's latency with one idle container, then with each hog in turn
// under its limit (a fork bomb under pids.max, a memory hog under a memory limit, a
// CPU hog under a quota), with the ratios to idle and the count Hood's sampler
// reports for each (forks refused, OOM kills, throttled periods). Returns 0 when
// every container ran and was removed (whatever the figures), 1 otherwise.
int runHogsBench(double seconds);

// utime + stime of this process in seconds, from /proc/self/stat.
double processCpuSeconds();

} // namespace hood::gui
