// parseDockerfile and the shell lexer: throw hood::Error or return; every
// instruction has a keyword and a line inside the file, and expanding it with
// an environment also either works or throws hood::Error.
#include "fuzz_common.h"
#include "image/dockerfile.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    std::string_view text = hood::fuzz::bytes(data, size);
    hood::fuzz::expectParsesOrHoodError([&] {
        hood::Dockerfile f = hood::parseDockerfile(text, "Dockerfile");
        const int lines = int(std::count(text.begin(), text.end(), '\n')) + 1;
        hood::DockerfileEnv env = {{"A", "a"}, {"EMPTY", ""}, {"P", "a/b/c"}};
        for (const hood::DockerfileInstruction &ins : f.instructions) {
            HOOD_FUZZ_CHECK(!ins.keyword.empty());
            HOOD_FUZZ_CHECK(ins.line >= 1 && ins.line <= ins.endLine && ins.endLine <= lines);
            hood::fuzz::expectParsesOrHoodError([&] { hood::expandInstruction(ins, env, f); });
        }
    });
    hood::fuzz::expectParsesOrHoodError([&] { hood::processWords(text, {{"A", "a b"}}); });
    return 0;
}
