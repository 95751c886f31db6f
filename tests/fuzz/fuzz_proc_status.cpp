// parseStatus: throws hood::Error when "Pid:" is missing, else returns a status.
// The Security page's readers of the same file and of uid_map never throw.
#include "fuzz_common.h"
#include "inspect/proctree.h"
#include "inspect/security.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hood::fuzz::expectParsesOrHoodError([&] {
        hood::inspect::ProcStatus status =
            hood::inspect::parseStatus(hood::fuzz::bytes(data, size));
        (void)status.innermostPid();
    });
    const hood::inspect::ProcSecurity s = hood::inspect::parseProcSecurity(hood::fuzz::bytes(data, size));
    (void)hood::inspect::decodeCapabilities(s.effective | s.bounding);
    (void)hood::inspect::isIdentityMap(hood::inspect::parseIdMap(hood::fuzz::bytes(data, size)));
    return 0;
}
