// The start-up trace: every step between `hoodctl run` and the user's exec, with
// its arguments, result and duration. The privileged-operations module records
// each of its calls here, so the trace is the exact list of what the kernel was
// asked to do, in order ("what `docker run` does, step by step, in 6 ms").
//
// Each process records its own steps (the monitor, then the container's init from
// the moment it is cloned); the init sends its steps to the monitor just before
// exec, and the monitor writes both to <state>/trace.json. Times are
// CLOCK_MONOTONIC microseconds since the monitor began the launch; the clone
// copies that origin into the init, so both lists share one time axis.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hood::trace {

// Phases as the GUI's waterfall and `run --trace` group them.
enum class Phase { State, Cgroup, Clone, IdMap, Namespaces, Mounts, PivotRoot, Process, Exec, Network };
const char *phaseName(Phase phase);

struct Step {
    std::string process; // "monitor" or "init"
    Phase phase = Phase::State;
    std::string op;      // the call: "mount", "pivot_root", "write uid_map", ...
    std::string args;    // what it was given, as a person would read it
    int err = 0;         // errno of a failed call, 0 when it succeeded
    std::string result;  // "ok", the error text, or a short value ("pid 4242")
    double startUs = 0;
    double durationUs = 0;
};

struct Trace {
    std::vector<Step> steps;
    double totalUs = 0; // launch start to the user's exec
};

// Starts a new trace in this process, named `process`; the origin is now.
void begin(const char *process);
// In a child that inherited the origin: forget the parent's steps, keep the clock.
void continueAs(const char *process);
// Microseconds since begin().
double now();
// This process's steps so far.
const std::vector<Step> &steps();
void append(Step step);

// Records one step; the time runs from construction to destruction. A step that
// fails calls fail(errno) (the error text is derived from it) or fail(sentence).
class Scope {
public:
    Scope(Phase phase, std::string_view op, std::string args);
    ~Scope();
    Scope(const Scope &) = delete;
    Scope &operator=(const Scope &) = delete;
    void fail(int err);
    void result(std::string text) { m_step.result = std::move(text); }

private:
    Step m_step;
};

// compact: one line, for the socket between init and monitor.
std::string toJson(const Trace &trace, bool compact = false);
// Throws hood::Error naming source when text is not a trace.
Trace fromJson(const std::string &text, const std::string &source);

// The wire format between init and monitor: one line a step, tab-separated,
// cheap to make in the init just before exec (JSON costs more than the steps).
std::string toLines(const std::vector<Step> &steps);
std::vector<Step> fromLines(const std::string &text); // bad lines are skipped

// Steps as a table, then the total per phase: what `hoodctl run --trace` prints.
std::string formatTable(const Trace &trace);

// Test hook for the kill-at-every-step test: when HOOD_TEST_KILL_AT_STEP=N is set
// in the monitor's environment, the monitor SIGKILLs itself right after its Nth
// recorded step (journal lines count as steps). Never set outside tests.
void faultPoint();

} // namespace hood::trace
