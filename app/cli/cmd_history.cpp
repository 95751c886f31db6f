// hoodctl history [--json] IMAGE: each layer, top first, with the instruction that
// made it and its size (docker history's columns).
#include "cli.h"
#include "table.h"

#include "error.h"
#include "image/digest.h"
#include "image/layout.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace hoodctl {

int cmdHistory(Context &ctx, const Words &words)
{
    Options o(words, {}, {"--json", "--no-trunc"});
    if (o.positional().size() != 1)
        throw hood::Error("history: give one image (hoodctl history IMAGE)");
    hood::image::Store store(ctx.store);
    const auto image = hood::image::resolveOrSeed(store, o.positional().front());
    hood::Fd lock = store.lock(false);
    const auto history = store.history(image);
    if (o.has("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto &h : history)
            out.push_back({{"created", h.created}, {"createdBy", h.createdBy}, {"comment", h.comment},
                           {"emptyLayer", h.emptyLayer}, {"diffId", h.diffId}, {"size", h.size}, {"dir", h.dir}});
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    Table t({"LAYER", "CREATED", "CREATED BY", "SIZE"}, "");
    t.alignRight(3);
    for (const auto &h : history) {
        const std::string layer = h.diffId.empty() ? "<missing>" : hood::image::shortId(h.diffId);
        const std::string by = o.has("--no-trunc") ? h.createdBy : shorten(h.createdBy, 60);
        t.add({layer, h.created.substr(0, 19), by.empty() ? "-" : by, humanSize(h.size)});
    }
    // The size is the last column: a table cuts only the last one.
    t.print(std::cout);
    return 0;
}

} // namespace hoodctl
