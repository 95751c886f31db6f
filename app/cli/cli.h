// hoodctl: a thin command line over core/. Each verb is a function taking the
// words after it; they return the process exit status. Errors thrown as
// hood::Error become one line on stderr and exit status 125 (docker's convention);
// an ExecError keeps its own status (126, 127).
//
// --json (run, exec, stop, delete) is the machine interface the GUI uses: instead of
// those lines, one JSON object on stdout (report.h), with the same exit status.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hood {
class Runtime;
namespace trace {
struct Trace;
}
}

namespace hoodctl {

using Words = std::vector<std::string>;

struct Report;

struct Context {
    std::string root; // --root, or the default state root
    hood::Runtime &runtime;
    Report &report;   // what --json prints; verbs fill in the ID and exit code
    std::string store; // --store, or empty: hood::image::Store's default
};

constexpr int kEngineError = 125;

int cmdRun(Context &ctx, const Words &words);
int cmdCreate(Context &ctx, const Words &words);
int cmdStart(Context &ctx, const Words &words);
int cmdKill(Context &ctx, const Words &words);
int cmdPause(Context &ctx, const Words &words);
int cmdResume(Context &ctx, const Words &words);
int cmdPs(Context &ctx, const Words &words);
int cmdUpdate(Context &ctx, const Words &words);
int cmdEvents(Context &ctx, const Words &words);
int cmdFeatures(Context &ctx, const Words &words);
int cmdStop(Context &ctx, const Words &words);
int cmdDelete(Context &ctx, const Words &words);
int cmdState(Context &ctx, const Words &words);
int cmdList(Context &ctx, const Words &words);
int cmdLogs(Context &ctx, const Words &words);
int cmdGc(Context &ctx, const Words &words);
int cmdExec(Context &ctx, const Words &words);
int cmdInspect(Context &ctx, const Words &words);
int cmdTop(Context &ctx, const Words &words);
int cmdSpec(Context &ctx, const Words &words);
int cmdAttach(Context &ctx, const Words &words);
int cmdTrace(Context &ctx, const Words &words);
// The start-up steps as a table on stderr (run --trace).
void printTrace(const hood::trace::Trace &trace);
int cmdInfo(Context &ctx, const Words &words);
// Images (core/image): one file each.
int cmdLoad(Context &ctx, const Words &words);
int cmdSave(Context &ctx, const Words &words);
int cmdImages(Context &ctx, const Words &words);
int cmdRmi(Context &ctx, const Words &words);
int cmdTag(Context &ctx, const Words &words);
int cmdHistory(Context &ctx, const Words &words);
int cmdImage(Context &ctx, const Words &words);
int cmdDiff(Context &ctx, const Words &words);
int cmdCommit(Context &ctx, const Words &words);
int cmdImport(Context &ctx, const Words &words);
// "1.2 MB" as docker images prints sizes (powers of 1000).
std::string humanSize(uint64_t bytes);
int cmdNetwork(Context &ctx, const Words &words);
int cmdPort(Context &ctx, const Words &words);
// Builds and registries (core/image/build.h, transfer.h): one file each.
int cmdBuild(Context &ctx, const Words &words);
int cmdPull(Context &ctx, const Words &words);
int cmdPush(Context &ctx, const Words &words);
int cmdLogin(Context &ctx, const Words &words);
int cmdVm(Context &ctx, const Words &words);
int cmdMeasure(Context &ctx, const Words &words);

// A tiny option reader: flags with values ("--memory 64M" or "--memory=64M"),
// boolean flags, and positional words; "--" ends the options.
class Options {
public:
    Options(const Words &words, const std::vector<std::string> &valueFlags,
            const std::vector<std::string> &boolFlags);
    bool has(const std::string &flag) const;
    std::optional<std::string> value(const std::string &flag) const;
    std::vector<std::string> values(const std::string &flag) const; // repeated flags
    const Words &positional() const { return m_positional; }
    const Words &afterDashes() const { return m_afterDashes; }

private:
    std::vector<std::pair<std::string, std::string>> m_flags;
    Words m_positional;
    Words m_afterDashes;
};

// "0.5" -> 0.5; throws hood::Error naming the flag. (Sizes and limits: spec/units.h.)
double parseNumber(const std::string &flag, const std::string &text);

// "-e K=V" / "--env K=V" as given; "-e K" takes K from hoodctl's environment, and is
// dropped when K is not set there (docker's rule).
std::vector<std::string> envFlags(const Options &o);

} // namespace hoodctl
