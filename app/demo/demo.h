// hood-demo: a small static program of ours that lives in Hood's built-in image, for
// demos and tests. Each command does one observable thing (use memory, burn CPU, fork,
// list fds, tell who it is) and prints "key: value" lines that tests can parse.
//
// It is linked statically and never calls NSS (getpwnam & co.), so it runs in any
// rootfs, even one with no libc at all.
#pragma once

#include "spec/units.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace demo {

using Args = std::vector<std::string>;

// Exit codes; `hood-demo help` lists them.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1; // the system refused something (allocation, /proc missing, ...)
constexpr int kExitUsage = 2;  // bad command line

// Thrown on a bad command line; main() prints it and exits with kExitUsage.
struct UsageError {
    std::string message;
};

// "200M" -> 209715200. Suffixes K, M, G, T (powers of 1024), optionally followed by
// "iB" or "B"; no suffix means bytes. Throws UsageError unless the size is positive.
uint64_t parseSize(const std::string &text);
// "1.5" -> 1.5; throws UsageError unless the number is >= 0.
double parseSeconds(const std::string &text);
// "4" -> 4; throws UsageError unless min <= value <= max. `what` names the argument.
long parseCount(const std::string &text, long min, long max, const std::string &what);

// Removes "--name VALUE" (or "--name=VALUE") from args and returns VALUE.
std::optional<std::string> takeOption(Args &args, const std::string &name);
// Removes "--name" from args; true when it was there.
bool takeFlag(Args &args, const std::string &name);

// 209715200 -> "200 MiB": core's, so the demo prints sizes as hoodctl and the GUI do.
using hood::formatBytes;
// EAGAIN -> "Resource temporarily unavailable (EAGAIN)".
std::string errnoSentence(int err);
// Sleeps that long (restarting after signals), or forever when seconds is nullopt.
void sleepFor(std::optional<double> seconds);

int cmdMem(Args args);
int cmdCpu(Args args);
int cmdForks(Args args);
int cmdForkBomb(Args args);
int cmdSleep(Args args);
int cmdFds(Args args);
int cmdEscape(Args args);
int cmdWhoami(Args args);
int cmdSyscall(Args args);
int cmdExeWatch(Args args);

} // namespace demo
