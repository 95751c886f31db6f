#include "vm/boot.h"

#include "error.h"
#include "vm/initramfs.h"
#include "vm/kvm.h"
#include "vm/subprocess.h"

#include <cstdlib>

namespace hood::vm {
namespace {

std::string tail(const std::string &text, int lines)
{
    size_t pos = text.size();
    while (lines-- > 0 && pos > 0) {
        size_t nl = text.rfind('\n', pos - 1);
        if (nl == std::string::npos) {
            pos = 0;
            break;
        }
        pos = nl;
    }
    std::string t = text.substr(pos == 0 ? 0 : pos + 1);
    std::string out;
    for (char c : t)
        if (c != '\r')
            out.push_back(c);
    return out;
}

std::string firstLine(const std::string &text)
{
    std::string line = text.substr(0, text.find('\n'));
    return line.empty() ? "no message" : line;
}

void timeBoot(const QemuOptions &o, unsigned timeout, std::optional<unsigned> markerTimeout, BootResult &r)
{
    r.command = qemuCommandLine(o);
    r.accel = o.accel;
    MarkerTiming t = timeToMarker(r.command, kInitMarker, std::chrono::seconds(timeout),
                                  markerTimeout ? std::optional(std::chrono::milliseconds(*markerTimeout * 1000))
                                                : std::nullopt);
    ConsoleReport c = parseConsole(t.result.output);
    r.initMs = t.markerMs;
    r.guestUptime = c.guestUptime;
    r.totalMs = t.totalMs;
    r.consoleTail = tail(t.result.output, 15);
    r.error.clear();
    if (!r.initMs)
        r.error = t.result.timedOut ? "the VM did not reach /init within "
                + std::to_string(markerTimeout.value_or(timeout)) + " s with " + o.accel + "; QEMU was killed"
                                    : "QEMU ended (status " + std::to_string(t.result.status)
                + ") before /init ran: " + firstLine(t.result.output);
}

} // namespace

std::vector<std::string> qemuCommandLine(const QemuOptions &o)
{
    bool kvm = o.accel == "kvm";
    return {o.qemu, "-accel", kvm ? "kvm" : "tcg", "-cpu", kvm ? "host" : "max", "-m",
            std::to_string(o.memoryMiB), "-smp", std::to_string(o.cpus), "-nodefaults", "-no-user-config",
            "-display", "none", "-no-reboot", "-monitor", "none", "-serial", "stdio", "-kernel", o.kernel,
            "-initrd", o.initrd, "-append", o.append};
}

ConsoleReport parseConsole(std::string_view text)
{
    ConsoleReport r;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.remove_suffix(1);
        if (line == kInitMarker)
            r.initSeen = true;
        std::string_view up = kUptimeMarker;
        if (line.starts_with(up) && line.size() > up.size() + 1) {
            std::string number(line.substr(up.size() + 1));
            char *end = nullptr;
            double v = std::strtod(number.c_str(), &end);
            if (end && *end == '\0' && end != number.c_str() && v >= 0)
                r.guestUptime = v;
        }
    }
    return r;
}

BootResult bootVm(const BootRequest &req)
{
    BootResult r;
    QemuOptions o;
    o.qemu = findInPath("qemu-system-x86_64");
    if (o.qemu.empty()) {
        r.error = "qemu-system-x86_64 not found: install the Debian package qemu-system-x86";
        return r;
    }
    try {
        r.kernel = findKernel(req.cacheDir, req.fetchKernel);
        o.kernel = r.kernel.vmlinuz;
        o.initrd = bootInitramfs(req.cacheDir + "/boot-initramfs", req.busybox);
    } catch (const Error &e) {
        r.error = e.what();
        return r;
    }
    KvmProbe kvm;
    if (req.accel != "tcg")
        kvm = probeKvm();
    if (req.accel == "kvm" || (req.accel == "auto" && kvm.usable)) {
        o.accel = "kvm";
        timeBoot(o, req.timeoutSeconds, req.kvmTrialSeconds, r);
        r.accelReason = kvm.reason;
        if (r.initMs || req.accel == "kvm")
            return r;
        kvm.reason = "KVM looked usable (" + kvm.reason + ") but " + r.error;
    }
    o.accel = "tcg";
    timeBoot(o, req.timeoutSeconds, std::nullopt, r);
    r.accelReason = req.accel == "tcg" ? "TCG was asked for (--accel tcg)." : kvm.reason;
    return r;
}

} // namespace hood::vm
