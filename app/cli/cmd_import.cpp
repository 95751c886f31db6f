// hoodctl import [--config JSON|@FILE] DIR NAME[:TAG]: a one-layer image of a tree
// (docker import takes a tarball; a directory is what Hood's built-in image is).
#include "cli.h"

#include "error.h"
#include "image/layout.h"
#include "sys/fileio.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace hoodctl {

int cmdImport(Context &ctx, const Words &words)
{
    Options o(words, {"--config"}, {});
    if (o.positional().size() != 2)
        throw hood::Error("import: give a directory and a name (hoodctl import DIR NAME[:TAG])");
    std::string config = o.value("--config").value_or("");
    if (!config.empty() && config[0] == '@') {
        // The built-in image's image.json: its "config" part is the OCI config's.
        const nlohmann::json j = nlohmann::json::parse(hood::readFile(config.substr(1)), nullptr, false);
        if (j.is_discarded())
            throw hood::Error("import: " + config.substr(1) + " is not valid JSON");
        config = j.contains("config") ? j["config"].dump() : j.dump();
    }
    hood::image::Store store(ctx.store);
    const auto ref = hood::image::parseReference(o.positional()[1]);
    const auto image = hood::image::importDirectory(store, o.positional()[0], ref, config,
                                                    "hoodctl import " + o.positional()[0]);
    std::cout << image.id << "\n";
    return 0;
}

} // namespace hoodctl
