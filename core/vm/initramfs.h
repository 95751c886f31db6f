// The smallest initramfs that boots to a shell script: busybox (static) and an
// /init that prints a marker on the serial console as its first act, so a boot is
// timed from QEMU's start to the first instruction of /init. Written as a cpio
// "newc" archive (the format the kernel unpacks) by a pure function.
#pragma once

#include <string>
#include <vector>

namespace hood::vm {

// Printed by /init first thing, then "@@HOOD-VM-UPTIME <seconds>" from
// /proc/uptime, then it powers the VM off.
inline constexpr const char *kInitMarker = "@@HOOD-VM-INIT";
inline constexpr const char *kUptimeMarker = "@@HOOD-VM-UPTIME";

struct CpioEntry {
    std::string path;   // without a leading slash: "bin/busybox"
    unsigned mode = 0;  // with the type bits: S_IFREG | 0755
    std::string data;   // a file's contents, a symlink's target
    unsigned rdevMajor = 0, rdevMinor = 0;
};

// The archive, with its TRAILER!!!, padded as the kernel expects.
std::string cpioNewc(const std::vector<CpioEntry> &entries);

// The /init script.
std::string bootInitScript();

// Builds (or reuses, when busybox did not change) dir/boot.cpio from the static
// busybox at busyboxPath. Returns its path; throws hood::Error naming the file.
std::string bootInitramfs(const std::string &dir, const std::string &busyboxPath);

} // namespace hood::vm
