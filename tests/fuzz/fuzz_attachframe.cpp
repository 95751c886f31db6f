// The attach.sock frame decoder never crashes and never hands out more than it was
// given: whatever a client sends, keys plus 4 bytes per size are at most the input.
#include "fuzz_common.h"
#include "runtime/attachframe.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hood::attach::Decoder d;
    size_t out = 0;
    d.onInput = [&](std::string_view keys) { out += keys.size() + 5; };
    d.onWindowSize = [&](hood::attach::WindowSize) { out += 9; };
    const std::string_view bytes = hood::fuzz::bytes(data, size);
    // Two halves, so frames cut in two are decoded too.
    if (d.feed(bytes.substr(0, size / 2)))
        d.feed(bytes.substr(size / 2));
    if (out + d.pending() > size)
        std::abort();
    return 0;
}
