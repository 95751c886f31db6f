// What confines a container's process, read from the kernel and the container's
// config.json: its capability sets decoded, no_new_privs, seccomp mode and a
// summary of the filter, masked and read-only paths, the uid and gid maps. Each
// item carries one line on what it allows or prevents, from the tables here, so
// the GUI's Security page and its tooltips say the same thing. Parsers are pure
// functions of text (tests/core/tst_securityview.cpp runs them on fixtures).
#pragma once

#include "spec/seccomp.h"
#include "spec/spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood::inspect {

// Capability bit N, its name as the OCI spec spells it, and what it lets a
// process do.
struct CapabilityInfo {
    int bit;
    std::string_view name; // "CAP_CHOWN"
    std::string_view allows;
};
const std::vector<CapabilityInfo> &capabilityTable();
// The table's entries for the bits of a mask; unknown bits as "CAP_<N>".
std::vector<CapabilityInfo> decodeCapabilities(uint64_t mask);

// A path Docker masks or makes read-only, and what that prevents.
struct PathInfo {
    std::string_view path;
    std::string_view prevents;
};
// The line for a masked (or read-only) path; a generic one for paths not in the table.
std::string_view maskedPathReason(std::string_view path);
std::string_view readonlyPathReason(std::string_view path);

// What a syscall a filter may block would let a container do, one line (the
// notable ones of summarizeSeccomp, and hood-demo's probes).
std::string_view syscallReason(std::string_view name);

// The security fields of /proc/PID/status (kernel 4.10+ has all of them).
struct ProcSecurity {
    uint64_t effective = 0, permitted = 0, bounding = 0, inheritable = 0, ambient = 0;
    std::optional<int> noNewPrivs;     // NoNewPrivs: 0 or 1
    std::optional<int> seccompMode;    // Seccomp: 0 none, 1 strict, 2 filter
    std::optional<int> seccompFilters; // Seccomp_filters: how many are stacked (5.9+)
};
ProcSecurity parseProcSecurity(std::string_view statusText);

// One line of /proc/PID/uid_map or gid_map: "inside outside count".
struct IdMapLine {
    uint32_t inside = 0, outside = 0, count = 0;
    bool operator==(const IdMapLine &) const = default;
};
std::vector<IdMapLine> parseIdMap(std::string_view text);
// The whole 32-bit range mapped onto itself: no user namespace of its own.
bool isIdentityMap(const std::vector<IdMapLine> &map);

// Seccomp as this container has it, summarised for the page.
struct SeccompView {
    bool configured = false;       // config.json has linux.seccomp
    std::string defaultAction;     // "SCMP_ACT_ERRNO"
    SeccompSummary summary;        // allowed / conditional names, notable blocked
    size_t knownSyscalls = 0;      // syscalls this machine knows natively
    size_t allowedHere = 0;        // of those, the ones a rule allows (with or without arguments)
    size_t blocked = 0;            // of those, the ones the filter refuses
};
// `known`: the names of this machine's syscalls (runtime/seccompfilter.h
// nativeSyscallNames); the profile names calls of other architectures too.
SeccompView viewSeccomp(const std::optional<Seccomp> &seccomp, const std::vector<std::string> &known);

struct SecurityView {
    pid_t pid = 0;
    ProcSecurity proc;
    std::vector<IdMapLine> uidMap, gidMap;
    std::vector<std::string> maskedPaths, readonlyPaths;
    SeccompView seccomp;
    std::string problem; // one sentence when something could not be read
};

// Reads /proc/<pid>/status and the id maps under procRoot, and the spec's masked
// and read-only paths and seccomp filter. Never throws: what cannot be read
// becomes `problem`.
SecurityView readSecurityView(const std::string &procRoot, pid_t pid, const Spec &spec,
                              const std::vector<std::string> &knownSyscalls);

} // namespace hood::inspect
