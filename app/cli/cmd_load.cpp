// hoodctl load [-i] PATH: images of an OCI layout, an OCI archive or a docker save
// tarball into the store (core/image/layout).
#include "cli.h"
#include "report.h"

#include "error.h"
#include "image/layout.h"

#include <iostream>

namespace hoodctl {

int cmdLoad(Context &ctx, const Words &words)
{
    Options o(words, {"-i", "--input"}, {"-q", "--quiet"});
    std::string path = o.value("-i").value_or(o.value("--input").value_or(""));
    if (path.empty() && o.positional().size() == 1)
        path = o.positional().front();
    if (path.empty())
        throw hood::Error("load: give the layout or archive (hoodctl load [-i] PATH)");
    hood::image::Store store(ctx.store);
    auto result = hood::image::loadImages(store, path, [&](const std::string &w) { ctx.report.warn(w); });
    if (!o.has("-q") && !o.has("--quiet")) {
        for (const std::string &line : result.lines)
            std::cout << line << "\n";
    }
    return 0;
}

// Docker's sizes: powers of 1000, three significant digits.
std::string humanSize(uint64_t bytes)
{
    const char *units[] = {"B", "kB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1000 && u < 4) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    snprintf(buf, sizeof buf, u == 0 ? "%.0f%s" : "%.3g%s", v, units[u]);
    return buf;
}

} // namespace hoodctl
