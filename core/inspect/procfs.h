// Small readers for /proc shared by the inspectors. Every reader takes the proc
// root ("/proc" on a live system, a fixture tree in unit tests), so the parsers
// above them run on fixture files exactly as they run on the kernel's.
#pragma once

#include "sys/fileio.h"

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood::inspect {

// "<procRoot>/<pid>/<rest>"; rest may be empty.
std::string procPath(const std::string &procRoot, pid_t pid, std::string_view rest = {});

// The whole file (core's reader; /proc files report size 0, so it reads to EOF).
using hood::readFile;
// Returns errno instead of throwing: /proc files vanish with their process.
using hood::readFileNoThrow;

// A decimal pid such as "42"; nullopt for anything else ("self", "42x", "").
std::optional<pid_t> parsePid(std::string_view text);

// The numeric entries of a directory (pids in /proc, tids in /proc/PID/task),
// ascending; returns errno (0 on success) instead of throwing.
int listNumericNoThrow(const std::string &dir, std::vector<pid_t> &out);

// The numeric entries of procRoot, ascending. Throws hood::Error when procRoot
// cannot be listed.
std::vector<pid_t> listPids(const std::string &procRoot);

// Splits on any of the separator characters, dropping empty fields.
std::vector<std::string_view> splitFields(std::string_view text,
                                          std::string_view separators = " \t\n");

} // namespace hood::inspect
