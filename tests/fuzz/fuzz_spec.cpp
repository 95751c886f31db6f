// parseSpec: throws hood::Error, or returns a spec that validateSpec accepts and
// that comes back equal through specToJson -> parseSpec.
#include "fuzz_common.h"
#include "spec/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hood::fuzz::expectParsesOrHoodError([&] {
        hood::Spec spec = hood::parseSpec(hood::fuzz::bytes(data, size)).spec;
        try {
            hood::validateSpec(spec);
            hood::Spec again = hood::parseSpec(hood::specToJson(spec)).spec;
            HOOD_FUZZ_CHECK(again == spec);
        } catch (const hood::Error &e) {
            // The first parse accepted it, so the second must too.
            std::fprintf(stderr, "accepted spec rejected on round trip: %s\n", e.what());
            std::abort();
        }
    });
    return 0;
}
