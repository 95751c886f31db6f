// hoodctl push [--tls-verify=false] [--progress plain|json] IMAGE [REF]: an image of the store to a
// registry (REF defaults to IMAGE's name); blobs the registry has are skipped.
#include "cli.h"

#include "error.h"
#include "image/transfer.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <iostream>

namespace hoodctl {

hood::RegistryOptions registryOptions(const Options &o); // cmd_pull.cpp
std::function<void(const hood::TransferProgress &)> transferProgress(const Options &o); // cmd_pull.cpp

int cmdPush(Context &ctx, const Words &words)
{
    Options o(words, {"--tls-verify", "--config", "--progress"}, {"-q", "--quiet"});
    if (o.positional().empty() || o.positional().size() > 2)
        throw hood::Error("push: give an image and where to (hoodctl push IMAGE [REGISTRY/NAME:TAG])");
    const std::string image = o.positional()[0];
    const std::string target = o.positional().size() == 2 ? o.positional()[1] : image;
    hood::RegistryOptions opts = registryOptions(o);
    opts.progress = transferProgress(o);
    hood::RegistryClient client(opts);
    hood::image::Store store(ctx.store);
    hood::image::ImageRecord record;
    {
        hood::Fd lock = store.lock(false);
        record = store.resolve(image);
    }
    const std::string digest = hood::image::pushImage(store, client, record, hood::RegistryRef::parse(target));
    if (o.value("--progress") == "json")
        std::cout << nlohmann::json{{"phase", "image"}, {"id", record.id}, {"digest", digest}}.dump() << std::endl;
    else
        std::cout << "Digest: " << digest << "\n";
    return 0;
}

} // namespace hoodctl
