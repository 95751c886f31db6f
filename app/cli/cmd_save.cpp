// hoodctl save [--format docker-archive|oci-archive|oci-dir] -o PATH IMAGE, as podman's.
#include "cli.h"

#include "error.h"
#include "image/layout.h"

namespace hoodctl {

int cmdSave(Context &ctx, const Words &words)
{
    Options o(words, {"-o", "--output", "--format"}, {});
    const std::string out = o.value("-o").value_or(o.value("--output").value_or(""));
    if (out.empty() || o.positional().size() != 1)
        throw hood::Error("save: give -o PATH and one image (hoodctl save -o PATH IMAGE)");
    const auto format = hood::image::parseSaveFormat(o.value("--format").value_or("docker-archive"));
    hood::image::Store store(ctx.store);
    hood::image::resolveOrSeed(store, o.positional().front()); // the built-in busybox too
    hood::image::saveImage(store, o.positional().front(), format, out);
    return 0;
}

} // namespace hoodctl
