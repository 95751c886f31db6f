// parseCmdline never throws, and the arguments joined by NUL give back the bytes
// (minus the final NUL the kernel writes after the last argument).
#include "fuzz_common.h"
#include "inspect/proctree.h"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view in = hood::fuzz::bytes(data, size);
    std::vector<std::string> args;
    try {
        args = hood::inspect::parseCmdline(in);
    } catch (...) {
        hood::fuzz::fail("parseCmdline threw");
    }
    std::string joined;
    for (const std::string &a : args)
        joined += a + '\0';
    std::string_view expected = in;
    if (!joined.empty() && !expected.empty() && expected.back() != '\0')
        joined.pop_back();
    HOOD_FUZZ_CHECK(joined == expected);
    return 0;
}
