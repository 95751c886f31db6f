// hoodctl rmi IMAGE...: untag, and delete an image with its last name. An image that
// a container (running or stopped, not yet deleted) uses is refused, as docker does.
#include "cli.h"

#include "error.h"
#include "image/digest.h"
#include "image/store.h"
#include "runtime/runtime.h"

#include <iostream>

namespace hoodctl {

int cmdRmi(Context &ctx, const Words &words)
{
    Options o(words, {}, {"-f", "--force"});
    if (o.positional().empty())
        throw hood::Error("rmi: give one or more images (hoodctl rmi IMAGE...)");
    hood::image::Store store(ctx.store);
    hood::Fd lock = store.lock(true);
    for (const std::string &text : o.positional()) {
        const hood::image::ImageRecord image = store.resolve(text);
        const bool lastName = image.names.size() <= 1 || hood::image::isDigest(text);
        if (lastName && !o.has("-f") && !o.has("--force")) {
            for (const hood::ContainerInfo &c : ctx.runtime.list()) {
                if (c.state.imageId == image.id)
                    throw hood::Error("rmi " + text + ": the container " + c.state.id + " uses image "
                                      + hood::image::shortId(image.id) + " (hoodctl delete " + c.state.id
                                      + " first)");
            }
        }
        for (const std::string &line : store.remove(text))
            std::cout << line << "\n";
    }
    return 0;
}

} // namespace hoodctl
