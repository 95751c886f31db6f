// hoodctl build -t NAME[:TAG]... [-f Dockerfile] [--build-arg K=V]... [--no-cache]
// [--progress plain|json] [--explain] DIR: a Dockerfile built on the store
// (core/image/build.h). RUN steps run in Hood containers (no network: the
// default namespaces give a loopback-only netns) on the parent's layers, with a
// writable layer on disk that becomes the step's layer.
#include "cli.h"
#include "report.h"

#include "error.h"
#include "image/build.h"
#include "runtime/runtime.h"
#include "spec/runoptions.h"
#include "sys/fileio.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

namespace hoodctl {

namespace {

// The last lines of a command's output, for the sentence of a failed RUN.
std::string lastLines(const std::string &log, int lines)
{
    size_t end = log.size();
    while (end > 0 && log[end - 1] == '\n')
        --end;
    size_t pos = end;
    for (int n = 0; n < lines && pos > 0; ++n) {
        pos = log.rfind('\n', pos - 1);
        if (pos == std::string::npos) {
            pos = 0;
            break;
        }
    }
    std::string tail = log.substr(pos == 0 ? 0 : pos + 1, end - (pos == 0 ? 0 : pos + 1));
    for (char &c : tail)
        if (c == '\n')
            c = '|';
    return tail;
}

// A RUN step as a detached container: its log streamed to stderr while it
// runs, its status read when it stops, the layer taken before it is deleted.
class EngineRunner : public hood::image::BuildStepRunner {
public:
    EngineRunner(Context &ctx, bool quiet) : m_ctx(ctx), m_quiet(quiet) {}

    hood::image::BuildRunResult run(const hood::image::BuildRunRequest &req,
                                    const std::function<void(const hood::image::BuildRunResult &)> &beforeRemove) override
    {
        hood::RunOptions o;
        o.id = req.id;
        o.rootfs = req.lowers.front();
        o.entrypoint = std::vector<std::string>{};
        o.command = req.argv;
        o.env = req.env;
        o.cwd = req.cwd;
        o.source = "hoodctl build";
        hood::ImageConfig image;
        image.user = req.user;
        hood::RunRequest r;
        r.id = req.id;
        r.spec = hood::specFromRunOptions(o, image);
        r.lowers = req.lowers;
        r.upperDir = req.upperDir;
        r.workDir = req.workDir;
        r.image = "hoodctl build";
        r.specSource = o.source;
        const std::string id = m_ctx.runtime.spawn(r, false);
        std::string log = follow(id);
        hood::ContainerInfo info = m_ctx.runtime.info(id);
        hood::image::BuildRunResult result;
        result.status = info.state.exitCode.value_or(-1);
        if (info.state.exitSignal)
            result.sentence = "killed by signal " + std::to_string(info.state.exitSignal);
        result.outputTail = lastLines(log, 5);
        try {
            beforeRemove(result);
        } catch (...) {
            m_ctx.runtime.remove(id, true);
            throw;
        }
        m_ctx.runtime.remove(id, true);
        return result;
    }

private:
    // Polls the container until it stops, printing what its log gained.
    std::string follow(const std::string &id)
    {
        const std::string path = m_ctx.runtime.containerDir(id) + "/container.log";
        std::string log;
        // A zombie init counts as stopped before its monitor has reaped it and written
        // the exit status, so stopped also waits (a little) for that status.
        int waitedForStatus = 0;
        for (;;) {
            const hood::ContainerInfo i = m_ctx.runtime.info(id);
            bool stopped = i.status == hood::Status::Stopped
                           && (i.state.exitCode || i.state.exitSignal || ++waitedForStatus > 100);
            std::string now = hood::readFileIfExists(path).value_or(log);
            if (now.size() > log.size() && !m_quiet)
                std::cerr << now.substr(log.size()) << std::flush;
            log = now;
            if (stopped)
                return log;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }

    Context &m_ctx;
    bool m_quiet;
};

std::string shortHex(const std::string &digest) { return hood::shortKey(digest); }

void printExplanation(const hood::image::BuildResult &r, bool json)
{
    for (size_t i = 0; i < r.plan.steps.size(); ++i) {
        const hood::BuildStep &s = r.plan.steps[i];
        const hood::StepExplanation &e = r.explanation[i];
        if (json) {
            std::cout << nlohmann::json{{"step", s.index},
                                        {"instruction", s.instruction.original},
                                        {"key", s.key},
                                        {"keyText", s.text},
                                        {"hit", e.hit},
                                        {"layer", s.makesLayer},
                                        {"reason", e.reason}}
                             .dump()
                      << "\n";
        } else {
            std::cout << "Step " << s.index << "/" << r.plan.steps.size() << " : " << s.instruction.original << "\n"
                      << "  key " << shortHex(s.key) << " (" << s.text << ")\n"
                      << "  " << (e.hit ? "HIT " : "MISS ") << e.reason << "\n";
        }
    }
}

} // namespace

int cmdBuild(Context &ctx, const Words &words)
{
    Options o(words, {"-t", "--tag", "-f", "--file", "--build-arg", "--progress"},
              {"--no-cache", "--explain", "-q", "--quiet"});
    if (o.positional().size() != 1)
        throw hood::Error("build: give the context directory (hoodctl build -t NAME[:TAG] [-f Dockerfile] DIR)");
    hood::image::BuildRequest req;
    req.contextDir = o.positional().front();
    req.dockerfile = o.value("-f").value_or(o.value("--file").value_or(""));
    for (const char *f : {"-t", "--tag"})
        for (const std::string &t : o.values(f))
            req.tags.push_back(t);
    for (const std::string &kv : o.values("--build-arg")) {
        size_t eq = kv.find('=');
        if (eq == std::string::npos) {
            // Docker's rule: --build-arg K takes K from hoodctl's environment.
            if (const char *v = std::getenv(kv.c_str()))
                req.buildArgs[kv] = v;
        } else {
            req.buildArgs[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
    }
    req.noCache = o.has("--no-cache");
    const std::string progress = o.value("--progress").value_or("plain");
    if (progress != "plain" && progress != "json")
        throw hood::Error("--progress " + progress + ": give plain or json");
    const bool json = progress == "json";
    const bool quiet = o.has("-q") || o.has("--quiet");
    req.warn = [&](const std::string &w) { ctx.report.warn(w); };
    hood::image::Store store(ctx.store);
    if (o.has("--explain")) {
        printExplanation(hood::image::explainBuild(store, req), json);
        return 0;
    }
    req.progress = [&](const hood::image::BuildEvent &e) {
        if (json) {
            std::cout << nlohmann::json{{"phase", e.phase == hood::image::BuildEvent::Start ? "start" : "done"},
                                        {"step", e.index},
                                        {"total", e.total},
                                        {"instruction", e.instruction},
                                        {"key", e.key},
                                        {"cached", e.cached},
                                        {"reason", e.reason},
                                        {"layer", e.layer},
                                        {"size", e.size},
                                        {"seconds", e.seconds}}
                             .dump()
                      << std::endl;
        } else if (!quiet && e.phase == hood::image::BuildEvent::Start) {
            std::cout << "Step " << e.index << "/" << e.total << " : " << e.instruction << std::endl;
        } else if (!quiet) {
            char secs[32];
            std::snprintf(secs, sizeof secs, "%.2f s", e.seconds);
            std::cout << " ---> " << (e.cached ? "Using cache" : "Built") << " in " << secs << ", key "
                      << shortHex(e.key)
                      << (e.layer.empty() ? std::string(", no layer") : ", layer " + shortHex(e.layer) + " (" + humanSize(e.size) + ")")
                      << std::endl;
        }
    };
    EngineRunner runner(ctx, quiet || json);
    const hood::image::BuildResult r = hood::image::buildImage(store, req, runner);
    if (json) {
        std::cout << nlohmann::json{{"phase", "image"}, {"id", r.image.id}, {"tags", req.tags}}.dump() << std::endl;
    } else {
        std::cout << "Successfully built " << shortHex(r.image.id) << "\n";
        for (const std::string &t : req.tags)
            std::cout << "Successfully tagged " << t << "\n";
    }
    return 0;
}

} // namespace hoodctl
