#include "report.h"
#include "log.h"

#include "error.h"
#include "runtime/exec.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <unistd.h>

namespace hoodctl {

namespace {

using Json = nlohmann::ordered_json;

bool endsWith(const std::string &s, const std::string &tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A run's init reports a command it cannot exec with findExecutable's sentence
// ("exec nope: executable file not found in $PATH", "exec /x: permission denied"),
// and the sentence is all that crosses from the init to hoodctl. Sort it as exec does.
Failure classifyRunError(const hood::Error &e)
{
    Failure f {e.what(), e.code(), kEngineError, kEngineError};
    if (f.sentence.rfind("exec ", 0) != 0)
        return f;
    if (endsWith(f.sentence, ": executable file not found in $PATH")
        || endsWith(f.sentence, ": " + hood::errnoText(ENOENT)))
        f.exitClass = hood::kExecNotFound;
    else if (endsWith(f.sentence, ": " + hood::errnoText(EACCES)))
        f.exitClass = hood::kExecCannotRun;
    return f;
}

// The errno behind a command that could not be run, when the sentence came without
// it: execve(2)'s ENOENT for 127 (a PATH search that found nothing, as execvp) and
// EACCES for 126.
Failure withErrno(Failure f)
{
    if (f.err == 0 && f.exitClass == hood::kExecNotFound)
        f.err = ENOENT;
    else if (f.err == 0 && f.exitClass == hood::kExecCannotRun)
        f.err = EACCES;
    return f;
}

Json base(const Report &r)
{
    Json j;
    j["id"] = r.id ? Json(*r.id) : Json(nullptr);
    return j;
}

} // namespace

void Report::warn(const std::string &sentence)
{
    warnings.push_back(sentence);
    Log::instance().warn(sentence);
    if (!json && !Log::instance().toFile() && !(stderrIsContainers && !isatty(2)))
        std::cerr << "hoodctl: warning: " << sentence << "\n";
}

std::function<void(const std::string &)> Report::warnFn()
{
    return [this](const std::string &w) { warn(w); };
}

bool wantsJson(const std::string &verb, const Words &words)
{
    static const Words kVerbs = {"run", "exec", "stop", "delete"};
    if (std::find(kVerbs.begin(), kVerbs.end(), verb) == kVerbs.end())
        return false;
    auto dashes = std::find(words.begin(), words.end(), "--");
    return std::find(words.begin(), dashes, "--json") != dashes;
}

Failure failureOf(const std::exception &e)
{
    if (const auto *exec = dynamic_cast<const hood::ExecError *>(&e))
        return withErrno({exec->what(), exec->code(), exec->status(), exec->status()});
    if (const auto *error = dynamic_cast<const hood::Error *>(&e))
        return withErrno(classifyRunError(*error));
    return {e.what(), 0, kEngineError, kEngineError};
}

std::string successJson(const Report &r)
{
    Json j = base(r);
    if (r.exitCode)
        j["exitCode"] = *r.exitCode;
    if (!r.exitReason.empty())
        j["exitReason"] = r.exitReason;
    j["warnings"] = r.warnings;
    return j.dump(-1, ' ', false, Json::error_handler_t::replace); // a path may not be UTF-8
}

std::string failureJson(const Report &r, const Failure &f)
{
    Json j = base(r);
    j["error"] = f.sentence;
    j["errno"] = f.err;
    j["exitClass"] = f.exitClass;
    j["warnings"] = r.warnings;
    return j.dump(-1, ' ', false, Json::error_handler_t::replace); // a path may not be UTF-8
}

} // namespace hoodctl
