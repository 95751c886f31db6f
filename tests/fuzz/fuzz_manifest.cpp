// The registry's JSON and headers: an image manifest's blobs, an index's
// platform entry, a WWW-Authenticate challenge. Each returns or throws
// hood::Error; digests that come back are well formed.
#include "fuzz_common.h"
#include "image/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const std::string text(hood::fuzz::bytes(data, size));
    hood::fuzz::expectParsesOrHoodError([&] {
        auto [config, layers] = hood::manifestBlobs(text);
        HOOD_FUZZ_CHECK(config.size() == 71 && config.compare(0, 7, "sha256:") == 0);
        for (const std::string &l : layers)
            HOOD_FUZZ_CHECK(l.size() == 71);
    });
    hood::fuzz::expectParsesOrHoodError([&] {
        std::string d = hood::selectPlatform(text, "linux", "amd64", "fuzz");
        HOOD_FUZZ_CHECK(d.size() == 71);
    });
    hood::fuzz::expectParsesOrHoodError([&] {
        auto c = hood::parseChallenge(text);
        HOOD_FUZZ_CHECK(c.count("scheme") == 1);
    });
    return 0;
}
