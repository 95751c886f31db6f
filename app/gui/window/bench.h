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

// utime + stime of this process in seconds, from /proc/self/stat.
double processCpuSeconds();

} // namespace hood::gui
