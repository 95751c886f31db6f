// hoodctl diff ID: the container's writable layer as docker diff prints it.
#include "cli.h"

#include "error.h"
#include "image/changes.h"
#include "runtime/runtime.h"

#include <iostream>

namespace hoodctl {

int cmdDiff(Context &ctx, const Words &words)
{
    Options o(words, {}, {});
    if (o.positional().size() != 1)
        throw hood::Error("diff: give one container (hoodctl diff ID)");
    const hood::ContainerInfo c = ctx.runtime.info(o.positional().front());
    if (c.state.upperDir.empty())
        throw hood::Error("diff " + c.state.id + ": the container has no writable layer on disk (only a container "
                          "of a stored image has one: hoodctl run -d --image NAME)");
    std::string out;
    for (const hood::image::Change &ch : hood::image::diffUpper(c.state.upperDir, c.state.lowers)) {
        out += ch.kind;
        out += " " + ch.path + "\n";
    }
    std::cout << out;
    return 0;
}

} // namespace hoodctl
