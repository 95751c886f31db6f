// parseMountInfo (through libmount): throws hood::Error for text that is not
// mountinfo, otherwise returns a tree whose parent/children/roots indexes agree.
#include "fuzz_common.h"
#include "inspect/mounttree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hood::fuzz::expectParsesOrHoodError([&] {
        hood::inspect::MountTree tree =
            hood::inspect::parseMountInfo(hood::fuzz::bytes(data, size));
        int n = static_cast<int>(tree.mounts.size());
        size_t rootsSeen = 0;
        for (int i = 0; i < n; ++i) {
            const auto &m = tree.mounts[i];
            HOOD_FUZZ_CHECK(m.parent >= -1 && m.parent < n && m.parent != i);
            if (m.parent < 0)
                ++rootsSeen;
            for (int c : m.children)
                HOOD_FUZZ_CHECK(c >= 0 && c < n && tree.mounts[c].parent == i);
        }
        for (int r : tree.roots)
            HOOD_FUZZ_CHECK(r >= 0 && r < n && tree.mounts[r].parent == -1);
        HOOD_FUZZ_CHECK(tree.roots.size() == rootsSeen);
    });
    return 0;
}
