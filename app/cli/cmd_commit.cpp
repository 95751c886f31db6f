// hoodctl commit ID NAME[:TAG]: the container's image with its writable layer as a
// new layer on top.
#include "cli.h"

#include "error.h"
#include "image/changes.h"
#include "image/digest.h"
#include "runtime/runtime.h"

#include <iostream>

namespace hoodctl {

int cmdCommit(Context &ctx, const Words &words)
{
    Options o(words, {"-m", "--message"}, {});
    if (o.positional().size() != 2)
        throw hood::Error("commit: give a container and a name (hoodctl commit ID NAME[:TAG])");
    const hood::ContainerInfo c = ctx.runtime.info(o.positional()[0]);
    if (c.state.upperDir.empty() || c.state.imageId.empty())
        throw hood::Error("commit " + c.state.id + ": the container does not run an image of the store "
                          "(hoodctl run -d --image NAME makes one that can be committed)");
    const hood::image::ImageRef ref = hood::image::parseReference(o.positional()[1]);
    hood::image::Store store(ctx.store);
    hood::image::ImageRecord parent;
    parent.id = c.state.imageId;
    std::string by = "hoodctl commit " + c.state.id;
    if (auto m = o.value("-m").value_or(o.value("--message").value_or("")); !m.empty())
        by += " -m " + m;
    const auto image = hood::image::commitUpper(store, parent, c.state.upperDir, ref, by);
    std::cout << image.id << "\n";
    return 0;
}

} // namespace hoodctl
