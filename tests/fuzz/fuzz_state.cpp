// stateFromJson: throws hood::Error, or returns a state whose stateToJson text
// reads back to the same text (state.json written by one Hood is read by the next).
#include "fuzz_common.h"
#include "runtime/state.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string text(hood::fuzz::bytes(data, size));
    hood::fuzz::expectParsesOrHoodError([&] {
        hood::ContainerState state = hood::stateFromJson(text, "state.json");
        std::string json = hood::stateToJson(state);
        try {
            HOOD_FUZZ_CHECK(hood::stateToJson(hood::stateFromJson(json, "state.json")) == json);
        } catch (const hood::Error &e) {
            std::fprintf(stderr, "accepted state rejected on round trip: %s\n", e.what());
            std::abort();
        }
    });
    return 0;
}
