// Private to core/spec. The rules a field's value must follow, as the message says
// them. The parser uses the same text for a value of the wrong type as the validator
// uses for a value out of range, so a field reads the same whichever step rejects it.
#pragma once

#include "error.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace hood::rules {

inline constexpr std::string_view kMemoryLimit = "must be a positive number of bytes";
inline constexpr std::string_view kCpuQuota = "must be -1 (no limit) or at least 1000 microseconds";
inline constexpr std::string_view kCpuPeriod = "must be from 1000 to 1000000 microseconds";
inline constexpr std::string_view kCpuShares = "must be an integer from 2 to 262144";
inline constexpr std::string_view kPidsLimit = "must be -1 (no limit) or a positive number of processes";
inline constexpr std::string_view kId = "must be an integer from 0 to 4294967295";
inline constexpr std::string_view kRlimitValue = "must be an integer from 0 to 18446744073709551615";
inline constexpr std::string_view kDeviceNumber = "must be -1 (any) or a device number";
inline constexpr std::string_view kHookTimeout = "must be a positive number of seconds";
inline constexpr std::string_view kOomScoreAdj = "must be an integer from -1000 to 1000";

// A floor that catches a missing unit ("64" meant as MiB). Docker's is 6 MiB; Hood's is
// lower so that out-of-memory demos can stay small. config.json and the flags share it.
inline constexpr int64_t kMinMemoryLimit = 1024 * 1024;
// The same rules as hoodctl's flags say them (run options: --memory, --pids, --cpus).
inline constexpr std::string_view kMemoryFlag = "must be at least 1M (the kernel needs room to run anything)";
inline constexpr std::string_view kPidsFlag = "must be a whole number of at least 1 (or -1 for no limit)";

// "config.json: process.cwd: must be an absolute path"; without a path, about the file.
[[noreturn]] inline void fail(std::string_view source, std::string_view path, std::string_view what)
{
    std::string sentence(source);
    if (!path.empty())
        sentence.append(": ").append(path);
    throw Error(sentence.append(": ").append(what));
}

} // namespace hood::rules
