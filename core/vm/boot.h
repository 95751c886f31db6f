// A VM boot timed to its /init: qemu-system-x86_64 boots the cached Debian kernel
// with Hood's busybox initramfs, with KVM where a trial guest shows it really works
// (vm/kvm.h) and TCG otherwise, and the time from QEMU's start to the marker /init
// prints first on the serial console is the boot time. The lessons put it beside a
// container start of the same busybox (`hoodctl vm boot`).
#pragma once

#include "vm/kernel.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hood::vm {

struct QemuOptions {
    std::string qemu = "qemu-system-x86_64";
    std::string accel = "tcg"; // "kvm" or "tcg"
    std::string kernel;
    std::string initrd;
    unsigned memoryMiB = 256;
    unsigned cpus = 1;
    // The serial console is QEMU's stdout, so the marker is read from a pipe.
    std::string append = "console=ttyS0 panic=-1 quiet loglevel=3 random.trust_cpu=on";
};

// Pure: the argv. No display, no network, no disks, no reboot: a kernel, an
// initramfs and a serial console.
std::vector<std::string> qemuCommandLine(const QemuOptions &o);

struct ConsoleReport {
    bool initSeen = false;
    std::optional<double> guestUptime; // seconds, from /proc/uptime at /init
};

// Pure: what the serial console said (\r\n lines, kernel noise between).
ConsoleReport parseConsole(std::string_view text);

struct BootRequest {
    std::string cacheDir;              // the kernel cache (kernel.h)
    std::string busybox = "/usr/bin/busybox";
    std::string accel = "auto";        // auto, kvm, tcg
    bool fetchKernel = true;
    unsigned timeoutSeconds = 120;     // the whole boot
    unsigned kvmTrialSeconds = 20;     // a KVM boot that has not reached /init by then is given up
};

struct BootResult {
    std::string accel;               // "kvm" or "tcg": what the timed boot used
    std::string accelReason;         // one sentence: why that one
    Kernel kernel;
    std::vector<std::string> command;
    std::optional<double> initMs;    // QEMU started -> the marker on the console
    std::optional<double> guestUptime;
    double totalMs = 0;              // QEMU started -> QEMU ended (after poweroff)
    std::string error;               // one sentence when /init was not reached
    std::string consoleTail;         // the console's last lines, for that sentence
};

// Never throws: a missing QEMU, kernel or busybox is BootResult::error.
BootResult bootVm(const BootRequest &request);

} // namespace hood::vm
