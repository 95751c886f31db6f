#include "trace.h"

#include "error.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <unistd.h>

namespace hood::trace {

namespace {

constexpr std::array<const char *, 10> kPhaseNames = {
    "state", "cgroup", "clone", "idmap", "namespaces", "mounts", "pivot_root", "process", "exec", "network"};

struct Recorder {
    const char *process = "monitor";
    uint64_t originNs = 0;
    std::vector<Step> steps;
    long killAt = 0; // HOOD_TEST_KILL_AT_STEP, 0: off
    long counted = 0;
};

// One per thread: the monitor and the init are single-threaded, but the library's
// cgroup code may run on several threads of one process (tests, a future daemon),
// and each must record without a lock. clone() copies the calling thread's.
Recorder &recorder()
{
    static thread_local Recorder r;
    return r;
}

// A process that never calls begin() (a long-lived client making cgroups) must
// not grow without end; a start has about a hundred steps.
constexpr size_t kMaxSteps = 4096;

uint64_t monotonicNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

Phase phaseFromName(const std::string &name)
{
    for (size_t i = 0; i < kPhaseNames.size(); ++i) {
        if (name == kPhaseNames[i])
            return static_cast<Phase>(i);
    }
    throw Error("unknown start-up phase \"" + name + "\"");
}

} // namespace

const char *phaseName(Phase phase)
{
    return kPhaseNames[static_cast<size_t>(phase)];
}

// The kill-at-every-step hook (trace.h faultPoint) holds in every process that
// calls begin(): the monitor, `hoodctl delete` and `hoodctl exec` with its helper.
void begin(const char *process)
{
    Recorder &r = recorder();
    r.process = process;
    r.originNs = monotonicNs();
    r.steps.clear();
    r.steps.reserve(64);
    const char *kill = getenv("HOOD_TEST_KILL_AT_STEP");
    r.killAt = kill ? atol(kill) : 0;
    r.counted = 0;
}

void continueAs(const char *process)
{
    Recorder &r = recorder();
    r.process = process;
    r.steps.clear();
    r.killAt = 0; // the hook kills the monitor, never the init
}

double now()
{
    return static_cast<double>(monotonicNs() - recorder().originNs) / 1000.0;
}

const std::vector<Step> &steps()
{
    return recorder().steps;
}

void append(Step step)
{
    if (recorder().steps.size() < kMaxSteps)
        recorder().steps.push_back(std::move(step));
}

void faultPoint()
{
    Recorder &r = recorder();
    if (r.killAt > 0 && ++r.counted == r.killAt)
        ::kill(getpid(), SIGKILL);
}

Scope::Scope(Phase phase, std::string_view op, std::string args)
{
    m_step.process = recorder().process;
    m_step.phase = phase;
    m_step.op = op;
    m_step.args = std::move(args);
    m_step.startUs = now();
}

Scope::~Scope()
{
    m_step.durationUs = now() - m_step.startUs;
    if (m_step.result.empty())
        m_step.result = "ok";
    append(std::move(m_step));
    faultPoint();
}

void Scope::fail(int err)
{
    m_step.err = err;
    m_step.result = errnoText(err);
}

namespace {
double tenths(double us)
{
    return std::round(us * 10.0) / 10.0;
}
} // namespace

std::string toJson(const Trace &trace, bool compact)
{
    nlohmann::json steps = nlohmann::json::array();
    for (const Step &s : trace.steps)
        steps.push_back({{"process", s.process}, {"phase", phaseName(s.phase)}, {"op", s.op},
                         {"args", s.args}, {"result", s.result}, {"errno", s.err},
                         {"startUs", tenths(s.startUs)}, {"durationUs", tenths(s.durationUs)}});
    return nlohmann::json({{"totalUs", tenths(trace.totalUs)}, {"steps", steps}}).dump(compact ? -1 : 1) + "\n";
}

Trace fromJson(const std::string &text, const std::string &source)
{
    try {
        nlohmann::json j = nlohmann::json::parse(text);
        Trace t;
        t.totalUs = j.at("totalUs").get<double>();
        for (const nlohmann::json &s : j.at("steps")) {
            Step step;
            step.process = s.at("process").get<std::string>();
            step.phase = phaseFromName(s.at("phase").get<std::string>());
            step.op = s.at("op").get<std::string>();
            step.args = s.at("args").get<std::string>();
            step.result = s.at("result").get<std::string>();
            step.err = s.at("errno").get<int>();
            step.startUs = s.at("startUs").get<double>();
            step.durationUs = s.at("durationUs").get<double>();
            t.steps.push_back(std::move(step));
        }
        return t;
    } catch (const nlohmann::json::exception &e) {
        throw Error(source + " is not a start-up trace: " + e.what());
    } catch (const Error &e) {
        throw Error(source + ": " + e.what());
    }
}

namespace {
void appendField(std::string &out, const std::string &field)
{
    for (char ch : field)
        out += ch == '\t' || ch == '\n' ? ' ' : ch;
    out += '\t';
}
} // namespace

std::string toLines(const std::vector<Step> &steps)
{
    std::string out;
    out.reserve(steps.size() * 120);
    char numbers[64];
    for (const Step &s : steps) {
        appendField(out, s.process);
        appendField(out, phaseName(s.phase));
        appendField(out, s.op);
        appendField(out, s.args);
        appendField(out, s.result);
        snprintf(numbers, sizeof numbers, "%d\t%.1f\t%.1f\n", s.err, s.startUs, s.durationUs);
        out += numbers;
    }
    return out;
}

std::vector<Step> fromLines(const std::string &text)
{
    std::vector<Step> steps;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        std::string line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos = end == std::string::npos ? text.size() : end + 1;
        std::vector<std::string> f;
        size_t start = 0;
        for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
            f.push_back(line.substr(start, tab - start));
        f.push_back(line.substr(start));
        if (f.size() != 8)
            continue;
        try {
            steps.push_back({f[0], phaseFromName(f[1]), f[2], f[3], std::stoi(f[5]), f[4], std::stod(f[6]),
                             std::stod(f[7])});
        } catch (const std::exception &) {
            // a torn or foreign line: the rest of the trace still counts
        }
    }
    return steps;
}

namespace {
std::string fixed(double value, int decimals)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

std::string cell(std::string text, size_t width)
{
    if (text.size() > width)
        text = text.substr(0, width - 3) + "...";
    return text + std::string(width - text.size() + 2, ' ');
}
} // namespace

std::string formatTable(const Trace &trace)
{
    std::string out = cell("START ms", 8) + cell("TOOK µs", 8) + cell("PROCESS", 7) + cell("PHASE", 10)
                      + cell("STEP", 26) + "RESULT / ARGUMENTS\n";
    std::map<Phase, double> perPhase;
    for (const Step &s : trace.steps) {
        perPhase[s.phase] += s.durationUs;
        out += cell(fixed(s.startUs / 1000.0, 3), 8) + cell(fixed(s.durationUs, 1), 8)
               + cell(s.process, 7) + cell(phaseName(s.phase), 10) + cell(s.op, 26)
               + (s.err ? "FAILED " + s.result + ": " : s.result == "ok" ? "" : s.result + ": ") + s.args
               + "\n";
    }
    out += "\nPHASE       TOTAL µs  SHARE\n";
    for (const auto &[phase, us] : perPhase)
        out += cell(phaseName(phase), 10) + cell(fixed(us, 1), 8)
               + (trace.totalUs > 0 ? fixed(100.0 * us / trace.totalUs, 1) + " %" : "") + "\n";
    out += "start to exec: " + fixed(trace.totalUs / 1000.0, 3) + " ms (the rest is work between "
           "the steps: forks, reading, waiting for the other process)\n";
    return out;
}

} // namespace hood::trace
