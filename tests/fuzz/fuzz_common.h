// Shared by the libFuzzer targets: the parsers' contract is "return a value or
// throw hood::Error". Anything else that escapes (std::out_of_range from a stray
// .at(), nlohmann's own exceptions, ...) is a bug, so it aborts and libFuzzer
// saves the input.
#pragma once

#include "error.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

namespace hood::fuzz {

[[noreturn]] inline void fail(const char *what)
{
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

// Runs body; hood::Error is an accepted outcome, any other exception is not.
template <typename Body> void expectParsesOrHoodError(Body &&body)
{
    try {
        body();
    } catch (const hood::Error &) {
    } catch (const std::exception &e) {
        std::fprintf(stderr, "unexpected exception (not hood::Error): %s\n", e.what());
        std::abort();
    } catch (...) {
        fail("unexpected non-std exception");
    }
}

inline std::string_view bytes(const uint8_t *data, size_t size)
{
    return {reinterpret_cast<const char *>(data), size};
}

} // namespace hood::fuzz

#define HOOD_FUZZ_CHECK(cond)                                                                      \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ::hood::fuzz::fail(#cond);                                                             \
    } while (0)
