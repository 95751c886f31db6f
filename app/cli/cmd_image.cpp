// hoodctl image inspect IMAGE...: the record, manifest and config as one JSON array,
// like docker image inspect.
#include "cli.h"

#include "error.h"
#include "image/layout.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace hoodctl {

int cmdImage(Context &ctx, const Words &words)
{
    if (words.empty() || words[0] != "inspect")
        throw hood::Error("image: the verb is inspect (hoodctl image inspect IMAGE)");
    Options o(Words(words.begin() + 1, words.end()), {}, {});
    if (o.positional().empty())
        throw hood::Error("image inspect: give one or more images");
    hood::image::Store store(ctx.store);
    nlohmann::json out = nlohmann::json::array();
    for (const std::string &text : o.positional()) {
        const auto image = hood::image::resolveOrSeed(store, text);
        hood::Fd lock = store.lock(false);
        nlohmann::json layers = nlohmann::json::array();
        for (const std::string &dir : store.layerDirs(image))
            layers.push_back(dir);
        out.push_back({{"Id", image.id},
                       {"RepoTags", image.names},
                       {"ManifestDigest", image.manifest},
                       {"Created", image.created},
                       {"Size", image.size},
                       {"Store", store.dir()},
                       {"LayerDirs", layers},
                       {"Manifest", store.manifest(image)},
                       {"Config", store.config(image)}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
}

} // namespace hoodctl
