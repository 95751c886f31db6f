// hoodctl tag IMAGE NAME[:TAG]
#include "cli.h"

#include "error.h"
#include "image/layout.h"

namespace hoodctl {

int cmdTag(Context &ctx, const Words &words)
{
    Options o(words, {}, {});
    if (o.positional().size() != 2)
        throw hood::Error("tag: give an image and a new name (hoodctl tag IMAGE NAME[:TAG])");
    hood::image::Store store(ctx.store);
    const hood::image::ImageRef ref = hood::image::parseReference(o.positional()[1]);
    const auto image = hood::image::resolveOrSeed(store, o.positional()[0]);
    hood::Fd lock = store.lock(true);
    store.tag(store.resolve(image.id), ref);
    return 0;
}

} // namespace hoodctl
