// parseStatus: throws hood::Error when "Pid:" is missing, else returns a status.
#include "fuzz_common.h"
#include "inspect/proctree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hood::fuzz::expectParsesOrHoodError([&] {
        hood::inspect::ProcStatus status =
            hood::inspect::parseStatus(hood::fuzz::bytes(data, size));
        (void)status.innermostPid();
    });
    return 0;
}
