// hoodctl pull [--tls-verify=false] [--platform linux/ARCH] [--progress plain|json] REF:
// an image from a registry into the store (core/image/transfer.h), tagged with REF's name.
// --progress json: one JSON line per blob a few times a second, for the GUI's bars.
#include "cli.h"
#include "report.h"

#include "error.h"
#include "image/transfer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <iostream>
#include <memory>

namespace hoodctl {

// The registry flags pull, push and login share.
hood::RegistryOptions registryOptions(const Options &o)
{
    hood::RegistryOptions r;
    if (auto v = o.value("--tls-verify"))
        r.tlsVerify = *v != "false";
    r.configDir = o.value("--config").value_or(hood::defaultRegistryConfigDir());
    if (auto p = o.value("--platform")) {
        size_t slash = p->find('/');
        if (slash == std::string::npos)
            throw hood::Error("--platform " + *p + ": give OS/ARCH, such as linux/amd64");
        r.os = p->substr(0, slash);
        r.architecture = p->substr(slash + 1);
    }
    return r;
}

// One line per blob once it is done: "layer 1/2 629dd688d135: 6.27MB".
std::function<void(const hood::TransferProgress &)> progressLines(bool quiet)
{
    auto last = std::make_shared<std::string>();
    return [quiet, last](const hood::TransferProgress &p) {
        if (quiet || p.what == *last || !p.total || p.done < p.total)
            return;
        *last = p.what;
        // A blob that was already there reports 1 of 1: no size to show.
        std::cerr << p.what << (p.total > 1 ? ": " + humanSize(p.total) : std::string()) << "\n";
    };
}

// {"phase":"blob","what":...,"done":N,"total":N} on stdout: a blob's first and last
// report always, those between at most every 100 ms (curl reports far more often
// than a progress bar can show).
std::function<void(const hood::TransferProgress &)> progressJson()
{
    struct Last {
        std::string what;
        std::chrono::steady_clock::time_point at;
    };
    auto last = std::make_shared<Last>();
    return [last](const hood::TransferProgress &p) {
        const auto now = std::chrono::steady_clock::now();
        const bool ends = p.total && p.done >= p.total;
        if (p.what == last->what && !ends && now - last->at < std::chrono::milliseconds(100))
            return;
        last->what = ends ? std::string() : p.what;
        last->at = now;
        std::cout << nlohmann::json{{"phase", "blob"}, {"what", p.what}, {"done", p.done}, {"total", p.total}}.dump()
                  << std::endl;
    };
}

std::function<void(const hood::TransferProgress &)> transferProgress(const Options &o)
{
    const std::string progress = o.value("--progress").value_or("plain");
    if (progress != "plain" && progress != "json")
        throw hood::Error("--progress " + progress + ": give plain or json");
    return progress == "json" ? progressJson() : progressLines(o.has("-q") || o.has("--quiet"));
}

int cmdPull(Context &ctx, const Words &words)
{
    Options o(words, {"--tls-verify", "--config", "--platform", "--progress"}, {"-q", "--quiet"});
    if (o.positional().size() != 1)
        throw hood::Error("pull: give one image reference (hoodctl pull [--tls-verify=false] REF)");
    const std::string text = o.positional().front();
    hood::RegistryOptions opts = registryOptions(o);
    opts.progress = transferProgress(o);
    hood::RegistryClient client(opts);
    hood::image::Store store(ctx.store);
    const hood::RegistryRef ref = hood::RegistryRef::parse(text);
    const auto image = hood::image::pullImage(store, client, ref, text, [&](const std::string &w) { ctx.report.warn(w); });
    if (o.value("--progress") == "json")
        std::cout << nlohmann::json{{"phase", "image"}, {"id", image.id}, {"digest", image.manifest}}.dump() << std::endl;
    else
        std::cout << "Digest: " << image.manifest << "\n" << image.id << "\n";
    return 0;
}

} // namespace hoodctl
