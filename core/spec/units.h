// Limits as people write them and read them: "64M" in, "64 MiB" out, "0.5" CPUs.
// One parser and one printer for hoodctl's flags, the GUI's launcher and lessons,
// hood-demo and every message, so a size reads the same everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hood {

// "64M" -> 67108864. A number (a fraction is allowed: "1.5G") with an optional unit
// B, K, M, G or T, 1024-based as docker's --memory, in either case and optionally
// followed by "B" or "iB" ("64MiB", "64mb"). No unit means bytes. Throws hood::Error
// naming `what` (the flag): "--memory 64X: not a size (a number with an optional
// unit, such as 64M or 1G)".
int64_t parseBytes(std::string_view text, std::string_view what);

// 67108864 -> "64 MiB", 1536 -> "1.5 KiB", 100 -> "100 B": one decimal, dropped when
// it is zero. For messages and the GUI's tables.
std::string formatBytes(uint64_t bytes);

// 67108864 -> "64M", 1073741824 -> "1G", 1536 -> "1536": the shortest exact form
// parseBytes reads back, for command lines (--memory) and lesson arguments.
std::string formatBytesFlag(int64_t bytes);

// "0.5" -> 0.5. Throws hood::Error naming `what` unless it is a finite number.
double parseCpus(std::string_view text, std::string_view what);

// 0.5 -> "0.5", 2 -> "2", 1.25 -> "1.25": what --cpus is given (at most 4 digits).
std::string formatCpus(double cpus);

// "100" -> 100, "-1" -> -1 (no limit). Throws hood::Error naming `what` unless it is a
// whole number of at least 1 or -1, with the sentence of the pids rule.
int64_t parsePids(std::string_view text, std::string_view what);

} // namespace hood
