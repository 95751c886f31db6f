// The cgroup stat parsers (cgroup_parse.h): kernel text, but a fuzzed file stands
// for a future kernel's format. None of them may throw; the first byte picks the
// parser so that one corpus covers them all.
#include "cgroups/cgroup_parse.h"
#include "fuzz_common.h"

#include <cmath>

namespace {
void parseOne(uint8_t which, std::string_view text)
{
    switch (which % 13) {
    case 0: (void)hood::parseCount(text); break;
    case 1: (void)hood::parseLimit(text); break;
    case 2:
        hood::forEachKeyValue(
            text, [](std::string_view key, uint64_t) { HOOD_FUZZ_CHECK(!key.empty()); });
        break;
    case 3: (void)hood::keyedValue(text, "usage_usec"); break;
    case 4: (void)hood::parseCpuStat(text); break;
    case 5: (void)hood::parseMemoryStatV1(text); break;
    case 6: (void)hood::parseMemoryStatV2(text); break;
    case 7: (void)hood::parseMemoryEventsV2(text); break;
    case 8: (void)hood::parseOomControlV1(text); break;
    case 9: (void)hood::parseBlkioV1(text); break;
    case 10: (void)hood::parseIoStatV2(text); break;
    case 11:
        if (auto cpus = hood::parseCpuMaxV2(text))
            HOOD_FUZZ_CHECK(!std::isnan(*cpus));
        break;
    case 12: {
        size_t nl = text.find('\n');
        std::string_view quota = text.substr(0, nl);
        std::string_view period = nl == std::string_view::npos ? "" : text.substr(nl + 1);
        if (auto cpus = hood::cpuLimitV1(quota, period))
            HOOD_FUZZ_CHECK(!std::isnan(*cpus));
        if (auto shares = hood::parseCount(text)) {
            uint64_t weight = hood::cpuSharesToWeight(*shares);
            HOOD_FUZZ_CHECK(weight >= 1 && weight <= 10000);
        }
        break;
    }
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    try {
        parseOne(data[0], hood::fuzz::bytes(data + 1, size - 1));
    } catch (...) {
        hood::fuzz::fail("a cgroup parser threw");
    }
    return 0;
}
