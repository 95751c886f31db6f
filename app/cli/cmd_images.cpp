// hoodctl images [--json] [-q]: the store's images, as docker images lists them.
#include "cli.h"
#include "table.h"

#include "image/digest.h"
#include "image/reference.h"
#include "image/store.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <iostream>

namespace hoodctl {

namespace {
std::string ago(int64_t when)
{
    const int64_t s = static_cast<int64_t>(time(nullptr)) - when;
    if (s < 60)
        return "Less than a minute ago";
    if (s < 3600)
        return std::to_string(s / 60) + " minutes ago";
    if (s < 86400)
        return std::to_string(s / 3600) + " hours ago";
    return std::to_string(s / 86400) + " days ago";
}
} // namespace

int cmdImages(Context &ctx, const Words &words)
{
    Options o(words, {}, {"--json", "-q", "--quiet"});
    hood::image::Store store(ctx.store);
    hood::Fd lock = store.lock(false);
    const auto images = store.images();
    if (o.has("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto &i : images)
            out.push_back({{"id", i.id}, {"manifest", i.manifest}, {"names", i.names}, {"size", i.size},
                           {"created", i.created}, {"added", i.added}});
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    if (o.has("-q") || o.has("--quiet")) {
        for (const auto &i : images)
            std::cout << hood::image::shortId(i.id) << "\n";
        return 0;
    }
    Table t({"REPOSITORY", "TAG", "IMAGE ID", "ADDED", "SIZE"}, "");
    for (const auto &i : images) {
        std::vector<std::string> names = i.names;
        if (names.empty())
            names.push_back("<none>:<none>");
        for (const std::string &n : names) {
            const size_t colon = n.rfind(':');
            t.add({n.substr(0, colon), n.substr(colon + 1), hood::image::shortId(i.id), ago(i.added),
                   humanSize(i.size)});
        }
    }
    t.print(std::cout);
    return 0;
}

} // namespace hoodctl
