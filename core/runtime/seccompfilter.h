// Installing a seccomp filter (libseccomp) in the process about to exec the user's
// command: the seccomp step of finishProcess (process.h).
#pragma once

#include "spec/seccomp.h"

#include <string>
#include <vector>

namespace hood {

// Builds the BPF program for `s` and loads it into this process (and the threads
// it starts later). Syscall names this libseccomp does not know on an
// architecture are skipped, as runc and crun skip them, so a newer profile still
// loads on an older machine. libseccomp's own no_new_privs is off: the spec's
// process.noNewPrivileges alone decides it. Throws hood::Error with one sentence:
//   "seccomp: unknown architecture SCMP_ARCH_FOO"
//   "seccomp: add rule for personality: invalid argument"
//   "load seccomp filter: permission denied" (no no_new_privs and no CAP_SYS_ADMIN)
void installSeccomp(const Seccomp &s);

// The BPF program libseccomp makes for `s` on this machine (its bytes, as
// seccomp_export_bpf writes them).
std::string compileSeccomp(const Seccomp &s);

// compileSeccomp through a cache in `cacheDir` (<state root>/#seccomp): building
// Docker's profile for x86_64 with its x86 and x32 sub-architectures takes
// libseccomp 2.5 some 10-40 ms, loading the stored program a few microseconds. A
// file holds the filter's OCI JSON, libseccomp's version and the program, and is
// used only when the JSON matches exactly; written to a temporary file of its own
// and renamed. Any problem with the
// cache falls back to compiling.
std::string cachedSeccompProgram(const Seccomp &s, const std::string &cacheDir);

// Loads a program from compileSeccomp into this process: seccomp(2) with the
// filter's flags (SECCOMP_FILTER_FLAG_LOG, _SPEC_ALLOW).
void loadSeccompProgram(std::string_view program, const Seccomp &s);

// How many syscall numbers the filter for `s` names on this machine's native
// architecture (for the trace and `hood-demo`): names libseccomp does not know
// are not counted.
size_t resolvedSyscallCount(const Seccomp &s);

// The syscalls libseccomp knows on this machine's native architecture: the whole
// against which the Security page counts what a filter lets through and blocks.
std::vector<std::string> nativeSyscallNames();

} // namespace hood
