// Small facts about processes, read from /proc. Used to tell a live container
// from a dead one without being fooled by pid reuse.
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace hood {

// Field 22 of /proc/PID/stat (start time in clock ticks since boot); 0 when the
// process does not exist.
uint64_t processStartTime(pid_t pid);

// True when pid exists, is not a zombie and, if startTime != 0, started at that time.
bool processAlive(pid_t pid, uint64_t startTime);

// "SIGKILL" for 9; "signal 42" for numbers without a name.
std::string signalName(int sig);
// 9 for "KILL", "SIGKILL" or "9"; 0 when unknown.
int signalNumber(const std::string &name);

} // namespace hood
