// --json: the machine interface between the GUI (or a script) and hoodctl. run, exec,
// stop and delete print one JSON object on stdout, as the last line, instead of their
// human lines; the exit status is the same as without --json.
//   success: {"id": "web", "warnings": [...]}               (+ "exitCode" when a command
//            ran in the foreground, + "exitReason" for an OOM kill or a signal)
//   failure: {"id": "web" or null, "error": "<the sentence>", "errno": 2,
//             "exitClass": 127, "warnings": [...]}
// exitClass sorts a failure as docker run and POSIX shells do: 127 the command does
// not exist, 126 it cannot be run, 125 anything else (Hood, a flag, the spec).
#pragma once

#include "cli.h"

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hoodctl {

struct Report {
    bool json = false;
    std::optional<std::string> id; // the container the verb worked on, once known
    std::optional<int> exitCode;   // a command's own status (foreground run, exec)
    std::string exitReason;        // the one-line reason of an abnormal end
    std::vector<std::string> warnings;
    // runc mode's create and exec --process: our stderr is the container's, so a
    // warning goes there only when a person watches it (a terminal), else to --log.
    bool stderrIsContainers = false;

    // Keeps a warning for the JSON object; without --json it is a line on stderr.
    void warn(const std::string &sentence);
    std::function<void(const std::string &)> warnFn();
};

// Why a verb failed: the sentence, errno (0 when no system call failed), the class and
// the exit status hoodctl gives.
struct Failure {
    std::string sentence;
    int err = 0;
    int exitClass = kEngineError;
    int status = kEngineError;
};

// True for the verbs that take --json when it comes before "--".
bool wantsJson(const std::string &verb, const Words &words);

Failure failureOf(const std::exception &e);

std::string successJson(const Report &report);
std::string failureJson(const Report &report, const Failure &failure);

} // namespace hoodctl
