// parseTbLog never throws: any text is a log with zero or more blocks and problems.
// Checks what the lessons rely on: counts agree with the blocks, ratios are finite.
#include "fuzz_common.h"
#include "vm/tblog.h"

#include <cmath>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const hood::vm::TbLog log = hood::vm::parseTbLog(hood::fuzz::bytes(data, size));
    size_t guest = 0, host = 0;
    for (const hood::vm::TranslationBlock &tb : log.blocks) {
        guest += tb.guest.size();
        host += tb.host.size();
        if (!std::isfinite(tb.ratio()))
            std::abort();
    }
    if (guest != log.guestInsns || host != log.hostInsns || log.problems.size() > 20
        || !std::isfinite(hood::vm::overallRatio(log)))
        std::abort();
    return 0;
}
