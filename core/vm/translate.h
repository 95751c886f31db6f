// QEMU's dynamic binary translation seen on this machine: a guest program run
// under qemu-user with -d in_asm,out_asm, its log read into translation blocks
// (tblog.h), and one workload timed natively and translated. The x86-64 guest is
// the host's own busybox (x86 translated to x86: the cost of translation alone);
// the arm64 guest is Debian's busybox-static for arm64, fetched into the cache as
// a .deb (kernel.h) and unpacked, never installed.
#pragma once

#include "vm/tblog.h"

#include <optional>
#include <string>
#include <vector>

namespace hood::vm {

struct TranslateRequest {
    std::string arch = "aarch64"; // aarch64 or x86_64
    std::string cacheDir;         // where the arm64 busybox goes (cacheDir/arm64)
    std::string hostBusybox = "/usr/bin/busybox";
    std::vector<std::string> program = {"echo", "hello"}; // the busybox applet whose blocks are shown
    unsigned loops = 20000;       // the timed workload: a shell loop of this many additions
};

struct Timing {
    std::vector<std::string> command;
    double ms = 0;
    int status = -1;
};

struct TranslateResult {
    std::string arch;
    std::string qemu;             // qemu-aarch64's path
    std::string guestBusybox;     // the guest binary
    std::string guestHow;         // one sentence: where it came from
    std::vector<std::string> logCommand;
    TbLog log;
    Timing native;                // the host's busybox, no QEMU
    Timing translated;            // the guest's busybox under qemu-user
    std::optional<double> slowdown; // translated / native
    std::string method;
    std::string error;            // one sentence; empty: all of the above is measured
};

// Never throws.
TranslateResult translate(const TranslateRequest &request);

// The arm64 busybox in cacheDir/arm64 (fetched and unpacked when missing).
// Returns its path and how it came; throws hood::Error.
std::pair<std::string, std::string> arm64Busybox(const std::string &cacheDir);

} // namespace hood::vm
