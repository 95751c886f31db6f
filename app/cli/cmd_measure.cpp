// hoodctl measure: the lessons' live figures that are not about VMs, each measured
// here and now, with the method printed beside it.
//   measure switches  two busy containers pinned to one CPU: the context switches
//                     /proc/PID/status counts for each, alone and side by side
//   measure proot     one fork-heavy workload natively, under PRoot (ptrace) and in
//                     a Hood container (namespaces): what udocker's P1 mode costs
// --json gives {"bars": [{"label", "value"}], "unit", "summary", "method", ...},
// the form the lessons' bar chart draws.
#include "cli.h"
#include "measure.h"

#include "error.h"
#include "image/builtin.h"
#include "inspect/proctree.h"
#include "sys/fileio.h"
#include "vm/subprocess.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>

namespace hoodctl {
namespace {

using Clock = std::chrono::steady_clock;
using namespace measure;

// --- context switches ------------------------------------------------------------

struct Busy {
    std::string root;
    std::string id;
    pid_t pid = 0;
};

// A container whose init is a busy shell loop pinned to CPU 0 (busybox taskset).
Busy startBusy(const std::string &root, const std::string &id)
{
    hood::vm::ProgramResult r = hood::vm::runProgram(
        hoodctl(root, {"run", "-d", "--name", id, "--", "taskset", "-c", "0", "sh", "-c", "while :; do :; done"}));
    if (r.status != 0)
        throw hood::Error("measure switches: hoodctl run " + id + " failed: " + r.output.substr(0, r.output.find('\n')));
    hood::vm::ProgramResult s = hood::vm::runProgram(hoodctl(root, {"state", id}));
    pid_t pid = 0;
    try {
        pid = nlohmann::json::parse(s.output).value("pid", 0);
    } catch (const std::exception &) {
    }
    if (pid <= 0)
        throw hood::Error("measure switches: hoodctl state " + id + " gave no pid");
    return {root, id, pid};
}

void stopBusy(const Busy &b)
{
    hood::vm::runProgram(hoodctl(b.root, {"stop", "-t", "1", b.id}));
    hood::vm::runProgram(hoodctl(b.root, {"delete", "--force", b.id}));
}

// Stops the containers whatever happens, as the lesson must leave nothing behind.
struct BusyGuard {
    std::vector<Busy> all;
    ~BusyGuard()
    {
        for (const Busy &b : all)
            stopBusy(b);
    }
};

std::pair<uint64_t, uint64_t> switchesOf(pid_t pid)
{
    // The shell loop may be replaced by the exec of sh after taskset: read by pid.
    hood::inspect::ProcStatus s =
        hood::inspect::parseStatus(hood::readFile("/proc/" + std::to_string(pid) + "/status"));
    return {s.voluntarySwitches, s.nonvoluntarySwitches};
}

// utime + stime of /proc/PID/stat (fields 14 and 15, in clock ticks), in seconds.
double cpuSeconds(pid_t pid)
{
    const std::string stat = hood::readFile("/proc/" + std::to_string(pid) + "/stat");
    size_t close = stat.rfind(')');
    if (close == std::string::npos)
        throw hood::Error("read /proc/" + std::to_string(pid) + "/stat: no command in parentheses");
    std::vector<std::string> fields;
    size_t pos = close + 2;
    while (pos < stat.size()) {
        size_t sp = stat.find(' ', pos);
        fields.push_back(stat.substr(pos, sp - pos));
        if (sp == std::string::npos)
            break;
        pos = sp + 1;
    }
    if (fields.size() < 13)
        throw hood::Error("read /proc/" + std::to_string(pid) + "/stat: too few fields");
    // fields[0] is field 3 (state): utime is field 14, stime 15.
    return double(std::stoull(fields[11]) + std::stoull(fields[12])) / double(::sysconf(_SC_CLK_TCK));
}

double perSecond(uint64_t before, uint64_t after, double seconds)
{
    return seconds > 0 ? double(after - before) / seconds : 0;
}

int measureSwitches(Context &ctx, const Words &words)
{
    Options o(words, {"--seconds"}, {"--json"});
    const double seconds = o.value("--seconds") ? parseNumber("--seconds", *o.value("--seconds")) : 2.0;
    const std::string tag = std::to_string(::getpid());
    BusyGuard guard;
    guard.all.push_back(startBusy(ctx.root, "hood-switch-a-" + tag));
    // A alone on CPU 0 (with whatever else the machine runs there).
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto a0 = switchesOf(guard.all[0].pid);
    double ca0 = cpuSeconds(guard.all[0].pid);
    auto t0 = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    auto a1 = switchesOf(guard.all[0].pid);
    double ca1 = cpuSeconds(guard.all[0].pid);
    double alone = std::chrono::duration<double>(Clock::now() - t0).count();
    // B joins it on the same CPU.
    guard.all.push_back(startBusy(ctx.root, "hood-switch-b-" + tag));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto a2 = switchesOf(guard.all[0].pid), b2 = switchesOf(guard.all[1].pid);
    double ca2 = cpuSeconds(guard.all[0].pid), cb2 = cpuSeconds(guard.all[1].pid);
    auto t2 = Clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    auto a3 = switchesOf(guard.all[0].pid), b3 = switchesOf(guard.all[1].pid);
    double ca3 = cpuSeconds(guard.all[0].pid), cb3 = cpuSeconds(guard.all[1].pid);
    double shared = std::chrono::duration<double>(Clock::now() - t2).count();

    Figures f;
    f.title = "Two busy containers on CPU 0: preemptions per second and share of the CPU";
    f.unit = ""; // the labels say: per second, or percent
    const double shareA0 = 100 * (ca1 - ca0) / alone, shareA = 100 * (ca3 - ca2) / shared,
                 shareB = 100 * (cb3 - cb2) / shared;
    f.bars = {{"A alone: preempted / s", perSecond(a0.second, a1.second, alone)},
              {"A beside B: preempted / s", perSecond(a2.second, a3.second, shared)},
              {"B beside A: preempted / s", perSecond(b2.second, b3.second, shared)},
              {"A alone: % of CPU 0", shareA0},
              {"A beside B: % of CPU 0", shareA},
              {"B beside A: % of CPU 0", shareB}};
    char line[400];
    std::snprintf(line, sizeof line,
                  "Alone, A ran %.0f%% of the time; beside B, A ran %.0f%% and B %.0f%%: one CPU, two processes "
                  "that never wait, and the scheduler preempting each in turn (A %.0f, B %.0f times a second; "
                  "neither gave up the CPU by itself: %.0f voluntary switches a second).",
                  shareA0, shareA, shareB, f.bars[1].value, f.bars[2].value, perSecond(a2.first, a3.first, shared));
    f.summary = line;
    char m[400];
    std::snprintf(m, sizeof m,
                  "two containers (hoodctl run -d -- taskset -c 0 sh -c 'while :; do :; done'); "
                  "nonvoluntary_ctxt_switches and voluntary_ctxt_switches of each init from "
                  "/proc/PID/status, and utime+stime from /proc/PID/stat, read before and after %.1f s, "
                  "A alone first, then A and B together; other programs on CPU 0 take their share too.",
                  seconds);
    f.method = m;
    return print(f, o.has("--json"));
}

// --- PRoot -------------------------------------------------------------------------

int measureProot(Context &ctx, const Words &words)
{
    Options o(words, {"--loops"}, {"--json"});
    const int loops = o.value("--loops") ? int(parseNumber("--loops", *o.value("--loops"))) : 300;
    const std::string proot = hood::vm::findInPath("proot");
    if (proot.empty())
        throw hood::Error("measure proot: proot not found: install the Debian package proot");
    const std::string rootfs = hood::builtinImageRootfs("busybox");
    const std::string loop = "i=0; while [ $i -lt " + std::to_string(loops) + " ]; do cat /dev/null; i=$((i+1)); done";
    hood::vm::ProgramResult r1, r2, r3;
    const std::vector<std::string> native = {rootfs + "/bin/sh", "-c", loop};
    const std::vector<std::string> underProot = {proot, "-r", rootfs, "/bin/sh", "-c", loop};
    const std::vector<std::string> container = hoodctl(ctx.root, {"run", "--", "sh", "-c", loop});
    // One run first, unmeasured, so every one finds the files in the page cache.
    timedMs(native, &r1);
    Figures f;
    f.title = "One workload (" + std::to_string(loops) + " × fork and exec of cat), wall time";
    f.unit = "ms";
    // Short labels: the lessons dock draws them beside the bars.
    f.bars = {{"native", timedMs(native, &r1)},
              {"PRoot", timedMs(underProot, &r2)},
              {"container", timedMs(container, &r3)}};
    if (r1.status != 0 || r2.status != 0 || r3.status != 0)
        throw hood::Error("measure proot: a run failed (native " + std::to_string(r1.status) + ", proot "
                          + std::to_string(r2.status) + ", container " + std::to_string(r3.status) + ")");
    char line[200];
    std::snprintf(line, sizeof line,
                  "Under PRoot the same work took %.1f times as long as natively; in a container %.1f times "
                  "(namespaces cost nothing per system call).",
                  f.bars[1].value / f.bars[0].value, f.bars[2].value / f.bars[0].value);
    f.summary = line;
    f.method = "wall time of sh -c '" + loop + "' run by the built-in busybox image's sh: natively, under "
        + proot + " -r ROOTFS, and in hoodctl run (one run each after one unmeasured warm-up run).";
    return print(f, o.has("--json"));
}

} // namespace

// cmd_measure_engine.cpp: image, build, network, seccomp, runc; -1 for another name.
int measureEngine(Context &ctx, const std::string &what, const Words &words);

int cmdMeasure(Context &ctx, const Words &words)
{
    if (words.empty())
        throw hood::Error("measure needs what to measure: switches, proot, image, build, network, seccomp or runc (hoodctl help)");
    const Words rest(words.begin() + 1, words.end());
    if (words[0] == "switches")
        return measureSwitches(ctx, rest);
    if (words[0] == "proot")
        return measureProot(ctx, rest);
    if (int status = measureEngine(ctx, words[0], rest); status >= 0)
        return status;
    throw hood::Error("measure: unknown figure \"" + words[0] + "\" (switches, proot, image, build, network, seccomp, runc)");
}

} // namespace hoodctl
