// parseJournal never throws (gc must always get through a torn journal); every
// entry has a known kind and a non-empty value, and writes back as a line that
// parses to the same entry.
#include "fuzz_common.h"
#include "runtime/journal.h"
#include "runtime/resources.h"

#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string text(hood::fuzz::bytes(data, size));
    std::vector<int> bad;
    std::vector<hood::JournalEntry> entries;
    try {
        entries = hood::parseJournal(text, &bad);
    } catch (...) {
        hood::fuzz::fail("parseJournal threw");
    }
    std::string rewritten;
    for (const hood::JournalEntry &e : entries) {
        HOOD_FUZZ_CHECK(e.kind && hood::findResourceType(e.kind->name) == e.kind);
        HOOD_FUZZ_CHECK(!e.value.empty());
        HOOD_FUZZ_CHECK(e.value.find('\n') == std::string::npos);
        rewritten += std::string(e.kind->name) + " " + e.value + "\n";
    }
    for (size_t i = 1; i < bad.size(); ++i)
        HOOD_FUZZ_CHECK(bad[i - 1] < bad[i] && bad[0] >= 1);
    std::vector<int> badAgain;
    HOOD_FUZZ_CHECK(hood::parseJournal(rewritten, &badAgain) == entries);
    HOOD_FUZZ_CHECK(badAgain.empty());
    return 0;
}
