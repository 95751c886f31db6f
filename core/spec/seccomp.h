// Seccomp filters as the OCI runtime-spec writes them (linux.seccomp), and Docker's
// profile format that resolves to one for a given container (capabilities, CPU
// architecture, kernel). Pure functions of bytes and values: the profile parser is
// fuzzed (tests/fuzz/fuzz_seccomp.cpp) and tested on rows (tests/core/tst_seccomp.cpp).
// Installing a filter is runtime/seccomp.h (libseccomp).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hood {

struct SeccompArg {
    uint32_t index = 0;  // 0..5: which argument of the syscall
    uint64_t value = 0;  // for SCMP_CMP_MASKED_EQ: the mask
    uint64_t valueTwo = 0; // for SCMP_CMP_MASKED_EQ: what the masked argument must equal
    std::string op;      // SCMP_CMP_EQ, _NE, _LT, _LE, _GT, _GE, _MASKED_EQ
    bool operator==(const SeccompArg &) const = default;
};

struct SeccompSyscall {
    std::vector<std::string> names;
    std::string action; // SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, ...
    std::optional<uint32_t> errnoRet; // SCMP_ACT_ERRNO/TRACE: default EPERM
    std::vector<SeccompArg> args;    // all must hold (an AND) for the rule to match
    bool operator==(const SeccompSyscall &) const = default;
};

struct Seccomp {
    std::string defaultAction;
    std::optional<uint32_t> defaultErrnoRet;
    std::vector<std::string> architectures; // SCMP_ARCH_X86_64, ...; empty: the native one
    std::vector<std::string> flags;         // SECCOMP_FILTER_FLAG_*; only LOG and SPEC_ALLOW act
    std::vector<SeccompSyscall> syscalls;
    bool operator==(const Seccomp &) const = default;
};

// The actions and comparisons the OCI spec names, with what each does, in one table
// for the parser, the installer and the GUI.
struct SeccompActionInfo {
    std::string_view name;
    std::string_view what;
};
const std::vector<SeccompActionInfo> &seccompActions();
bool isSeccompOp(std::string_view op);

// linux.seccomp of config.json (already parsed JSON) -> Seccomp. Throws hood::Error
// with one sentence naming the field:
//   "config.json: linux.seccomp.syscalls[3].action: must be one of SCMP_ACT_KILL, ..."
// Unknown keys are warnings, as elsewhere in config.json.
Seccomp seccompFromJson(const nlohmann::ordered_json &j, std::string_view source, const std::string &path,
                        std::vector<std::string> &warnings);
nlohmann::ordered_json seccompToJson(const Seccomp &s);

// What a Docker profile is resolved against (moby profiles/seccomp setupSeccomp):
// the container's bounding capabilities, the machine's architecture in Go's names
// ("amd64", "arm64", ...) and its kernel release ("6.1.0-13-amd64").
struct SeccompTarget {
    std::vector<std::string> capabilities;
    std::string arch;
    std::string kernel;
};
// This machine's architecture and kernel, with the given capabilities.
SeccompTarget hostSeccompTarget(std::vector<std::string> capabilities);

// A Docker seccomp profile (docker run --security-opt seccomp=FILE: archMap,
// syscalls with name or names, includes/excludes by caps, arches and minKernel)
// -> the OCI filter for this target. Throws hood::Error with one sentence:
//   "seccomp profile p.json: syntax error at line 2, column 5: ..."
//   "seccomp profile p.json: syscalls[0].args[0].op: must be one of SCMP_CMP_NE, ..."
Seccomp seccompFromDockerProfile(std::string_view json, const SeccompTarget &target,
                                 std::string_view source = "seccomp profile");

// Docker's default profile (moby/profiles seccomp/default.json, carried as data in
// core/spec/seccomp_default.json), resolved for the target.
Seccomp dockerDefaultSeccomp(const SeccompTarget &target);
std::string_view dockerDefaultSeccompProfile(); // the JSON text

// For the GUI and `hood-demo`: how many names a filter lets through unconditionally,
// how many only with arguments, and which names it blocks outright (not in any
// rule with the allow action) from a list of notable ones.
struct SeccompSummary {
    size_t allowed = 0;     // names with an unconditional SCMP_ACT_ALLOW rule
    size_t conditional = 0; // names allowed only when their arguments match
    size_t other = 0;       // names with a rule of another action (errno, kill, ...)
    std::vector<std::string> notableBlocked; // from a list of dangerous calls
};
SeccompSummary summarizeSeccomp(const Seccomp &s);

} // namespace hood
