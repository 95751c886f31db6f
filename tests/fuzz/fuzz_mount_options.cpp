// parseMountOptions on the OCI "options" array; the input is the options joined
// by newlines. Never throws; what is not a flag lands in data unchanged.
#include "fuzz_common.h"
#include "runtime/rootfs.h"

#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view in = hood::fuzz::bytes(data, size);
    std::vector<std::string> options;
    size_t pos = 0;
    while (pos <= in.size()) {
        size_t end = in.find('\n', pos);
        if (end == std::string_view::npos)
            end = in.size();
        options.emplace_back(in.substr(pos, end - pos));
        pos = end + 1;
    }
    hood::MountFlags flags;
    try {
        flags = hood::parseMountOptions(options);
    } catch (...) {
        hood::fuzz::fail("parseMountOptions threw");
    }
    HOOD_FUZZ_CHECK(flags.data.size() <= in.size() + options.size());
    return 0;
}
