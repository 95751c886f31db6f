// hoodctl pull [--tls-verify=false] [--platform linux/ARCH] REF: an image from a
// registry into the store (core/image/transfer.h), tagged with REF's name.
#include "cli.h"
#include "report.h"

#include "error.h"
#include "image/transfer.h"

#include <iostream>

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

int cmdPull(Context &ctx, const Words &words)
{
    Options o(words, {"--tls-verify", "--config", "--platform"}, {"-q", "--quiet"});
    if (o.positional().size() != 1)
        throw hood::Error("pull: give one image reference (hoodctl pull [--tls-verify=false] REF)");
    const std::string text = o.positional().front();
    hood::RegistryOptions opts = registryOptions(o);
    const bool quiet = o.has("-q") || o.has("--quiet");
    std::string last;
    opts.progress = [&](const hood::TransferProgress &p) {
        if (quiet || p.what == last)
            return;
        if (p.total && p.done >= p.total) {
            std::cerr << p.what << ": " << humanSize(p.total) << "\n";
            last = p.what;
        }
    };
    hood::RegistryClient client(opts);
    hood::image::Store store(ctx.store);
    const hood::RegistryRef ref = hood::RegistryRef::parse(text);
    const auto image = hood::image::pullImage(store, client, ref, text, [&](const std::string &w) { ctx.report.warn(w); });
    std::cout << "Digest: " << image.manifest << "\n" << image.id << "\n";
    return 0;
}

} // namespace hoodctl
