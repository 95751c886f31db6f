// hoodctl start / kill / stop / delete / gc: verbs that change a container.
#include "cli.h"
#include "report.h"

#include "error.h"
#include "image/build.h"
#include "image/store.h"
#include "runtime/procfs.h"
#include "runtime/runtime.h"

#include <csignal>
#include <iostream>
#include <unistd.h>

namespace hoodctl {

using hood::Error;

namespace {
std::string oneId(const Options &o, const char *usage)
{
    if (o.positional().size() != 1)
        throw Error(std::string("give exactly one container ID (") + usage + ")");
    return o.positional().front();
}
} // namespace

int cmdStart(Context &ctx, const Words &words)
{
    Options o(words, {}, {});
    ctx.runtime.start(oneId(o, "hoodctl start ID"));
    return 0;
}

int cmdPause(Context &ctx, const Words &words)
{
    Options o(words, {}, {});
    ctx.runtime.pause(oneId(o, "hoodctl pause ID"));
    return 0;
}

int cmdResume(Context &ctx, const Words &words)
{
    Options o(words, {}, {});
    ctx.runtime.resume(oneId(o, "hoodctl resume ID"));
    return 0;
}

int cmdKill(Context &ctx, const Words &words)
{
    Options o(words, {}, {"--all", "-a"});
    if (o.positional().empty() || o.positional().size() > 2)
        throw Error("usage: hoodctl kill ID [SIGNAL]");
    int sig = SIGTERM;
    if (o.positional().size() == 2) {
        sig = hood::signalNumber(o.positional()[1]);
        if (sig == 0)
            throw Error("unknown signal \"" + o.positional()[1] + "\"");
    }
    ctx.runtime.kill(o.positional()[0], sig, o.has("--all") || o.has("-a"));
    return 0;
}

int cmdStop(Context &ctx, const Words &words)
{
    Options o(words, {"-t", "--time"}, {"--json"});
    int grace = 10;
    if (auto t = o.value("-t") ? o.value("-t") : o.value("--time"))
        grace = static_cast<int>(parseNumber("--time", *t));
    // --json: "id" names the container that failed, or the last one stopped.
    for (const std::string &id : o.positional()) {
        ctx.report.id = id;
        ctx.runtime.stop(id, grace);
    }
    return 0;
}

int cmdDelete(Context &ctx, const Words &words)
{
    Options o(words, {}, {"--force", "-f", "--json"});
    if (o.positional().empty())
        throw Error("give the ID of the container to delete (hoodctl delete [--force] ID)");
    for (const std::string &id : o.positional()) {
        ctx.report.id = id;
        const bool force = o.has("--force") || o.has("-f");
        try {
            ctx.runtime.remove(id, force);
        } catch (const hood::NoSuchContainer &) {
            if (!force) // runc: delete --force of what is gone is done
                throw;
        }
    }
    return 0;
}

int cmdGc(Context &ctx, const Words &words)
{
    Options o(words, {}, {});
    // A RUN step's container outlives a SIGKILLed hoodctl build (its monitor runs
    // on): nobody is left to take its layer, so it goes before the dead ones are swept.
    for (const hood::ContainerInfo &c : ctx.runtime.list()) {
        if (!hood::image::buildStepOrphaned(c.state.id))
            continue;
        ctx.runtime.remove(c.state.id, true);
        std::cout << "removed " << c.state.id << " (a RUN step of a build that died)\n";
    }
    hood::GcReport report = ctx.runtime.gc();
    for (const std::string &id : report.removed)
        std::cout << "removed " << id << "\n";
    for (const std::string &problem : report.problems)
        std::cerr << "hoodctl: gc: " << problem << "\n";
    // The store's half extractions (a SIGKILLed load) and what no image uses.
    hood::image::Store store(ctx.store);
    if (access(store.dir().c_str(), F_OK) == 0) {
        hood::Fd lock = store.lock(true);
        for (const std::string &line : store.gc())
            std::cout << line << "\n";
        for (const std::string &line : hood::image::gcBuildLeftovers(store))
            std::cout << line << "\n";
    }
    return report.problems.empty() ? 0 : 1;
}

} // namespace hoodctl
