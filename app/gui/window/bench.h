// `hood --bench-sampling N SECONDS`: N containers sampled at 10 Hz with the
// Resources page on screen, measuring what the GUI process itself costs.
#pragma once

#include <QString>

namespace hood::gui {

// Launches N idle containers under a private state root, shows the window with the
// Resources page, measures for `seconds`, removes the containers and prints the
// figures. Returns 0 when the measurement ran (whatever the figures), 1 otherwise.
int runSamplingBench(int containers, double seconds);

// utime + stime of this process in seconds, from /proc/self/stat.
double processCpuSeconds();

} // namespace hood::gui
