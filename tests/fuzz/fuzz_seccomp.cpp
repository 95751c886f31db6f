// seccompFromDockerProfile: throws hood::Error, or returns a filter whose OCI form
// (linux.seccomp in config.json) reads back equal through seccompToJson ->
// seccompFromJson. Each accepted filter is resolved for two targets (with and
// without CAP_SYS_ADMIN) so that includes/excludes are exercised.
#include "fuzz_common.h"
#include "spec/seccomp.h"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hood::fuzz::expectParsesOrHoodError([&] {
        for (const char *cap : {"CAP_CHOWN", "CAP_SYS_ADMIN"}) {
            hood::SeccompTarget target {{cap}, "amd64", "6.1.0"};
            hood::Seccomp s = hood::seccompFromDockerProfile(hood::fuzz::bytes(data, size), target);
            std::vector<std::string> warnings;
            try {
                hood::Seccomp again = hood::seccompFromJson(hood::seccompToJson(s), "config.json",
                                                            "linux.seccomp", warnings);
                HOOD_FUZZ_CHECK(again == s);
                HOOD_FUZZ_CHECK(warnings.empty());
            } catch (const hood::Error &e) {
                std::fprintf(stderr, "accepted profile rejected in its OCI form: %s\n", e.what());
                std::abort();
            }
            (void)hood::summarizeSeccomp(s);
        }
    });
    return 0;
}
