// parseProcCgroup: never throws; a path never spans lines.
#include "fuzz_common.h"
#include "inspect/proctree.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::vector<hood::inspect::CgroupLine> lines;
    try {
        lines = hood::inspect::parseProcCgroup(hood::fuzz::bytes(data, size));
    } catch (...) {
        hood::fuzz::fail("parseProcCgroup threw");
    }
    for (const auto &line : lines)
        HOOD_FUZZ_CHECK(line.path.find('\n') == std::string::npos);
    return 0;
}
