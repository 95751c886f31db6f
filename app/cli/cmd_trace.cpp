// hoodctl trace ID [--json]: the start-up steps of a container, as its monitor
// recorded them in <state>/trace.json (`hoodctl run --trace` prints the same table).
#include "cli.h"

#include "error.h"
#include "runtime/runtime.h"
#include "runtime/trace.h"
#include "sys/fileio.h"

#include <iostream>

namespace hoodctl {

void printTrace(const hood::trace::Trace &trace)
{
    std::cerr << "\n" << hood::trace::formatTable(trace);
}

int cmdTrace(Context &ctx, const Words &words)
{
    Options o(words, {}, {"--json"});
    if (o.positional().size() != 1)
        throw hood::Error("give one container ID (hoodctl trace ID)");
    const std::string &id = o.positional().front();
    ctx.runtime.info(id); // "container ... does not exist"
    std::string path = ctx.runtime.containerDir(id) + "/trace.json";
    auto text = hood::readFileIfExists(path);
    if (!text)
        throw hood::Error("container \"" + id + "\" has no start-up steps (" + path
                          + " is missing: it was started before Hood recorded them, or is still starting)");
    hood::trace::Trace trace = hood::trace::fromJson(*text, path);
    if (o.has("--json"))
        std::cout << hood::trace::toJson(trace);
    else
        std::cout << hood::trace::formatTable(trace);
    return 0;
}

} // namespace hoodctl
