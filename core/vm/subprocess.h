// Running the host programs the VM code needs (apt-get, dpkg-deb, depmod, busybox
// cpio, qemu) and timing a program to a line it prints. Never through a shell:
// argv goes to execvp as given.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace hood::vm {

struct ProgramResult {
    int status = -1;    // exit status, 128+N when killed by signal N, -1 when it did not start
    std::string output; // stdout and stderr together
    bool timedOut = false;
};

// Runs argv in cwd (empty: the current directory) and waits at most timeout; a
// program still running then is killed (SIGKILL) and reaped.
ProgramResult runProgram(const std::vector<std::string> &argv, const std::string &cwd = {},
                         std::chrono::seconds timeout = std::chrono::seconds(600));

struct MarkerTiming {
    std::optional<double> markerMs; // from fork to the first line starting with the marker
    double totalMs = 0;             // from fork to the program's exit (or its kill)
    ProgramResult result;
};

// Starts argv with stdin /dev/null, reads its stdout and stderr, notes when a line
// starting with marker appears, and waits for it to end (killing it after
// timeout, or markerTimeout after the start when the marker has not come by then).
MarkerTiming timeToMarker(const std::vector<std::string> &argv, const std::string &marker,
                          std::chrono::milliseconds timeout,
                          std::optional<std::chrono::milliseconds> markerTimeout = std::nullopt);

// The program's path in PATH, empty when it is not there.
std::string findInPath(const std::string &program);

} // namespace hood::vm
