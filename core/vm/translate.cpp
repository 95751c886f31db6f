#include "vm/translate.h"

#include "error.h"
#include "sys/fileio.h"
#include "vm/kernel.h"
#include "vm/subprocess.h"

#include <chrono>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace hood::vm {
namespace {

Timing timed(const std::vector<std::string> &argv)
{
    Timing t;
    t.command = argv;
    auto started = std::chrono::steady_clock::now();
    ProgramResult r = runProgram(argv, {}, std::chrono::seconds(300));
    t.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    t.status = r.status;
    return t;
}

std::vector<std::string> workload(const std::string &busybox, unsigned loops)
{
    return {busybox, "sh", "-c",
            "i=0; while [ $i -lt " + std::to_string(loops) + " ]; do i=$((i+1)); done"};
}

} // namespace

std::pair<std::string, std::string> arm64Busybox(const std::string &cacheDir)
{
    const std::string dir = cacheDir + "/arm64";
    const std::string busybox = dir + "/root/bin/busybox";
    if (fs::exists(busybox))
        return {busybox, "Debian's busybox-static for arm64, downloaded earlier into " + dir + " (not installed)"};
    std::string deb = downloadForeignDeb("busybox-static", "arm64", dir);
    fs::remove_all(dir + "/root");
    unpackDeb(deb, dir + "/root");
    fs::remove(deb);
    if (!fs::exists(busybox))
        throw Error("busybox-static for arm64 has no /bin/busybox (unpacked into " + dir + "/root)");
    return {busybox, "Debian's busybox-static for arm64, downloaded now into " + dir + " (not installed)"};
}

TranslateResult translate(const TranslateRequest &req)
{
    TranslateResult r;
    r.arch = req.arch;
    r.method = "wall time of the same busybox shell loop (" + std::to_string(req.loops)
        + " additions), run once natively and once under qemu-" + req.arch
        + " (one run each, no warm-up; the page cache is warm from the log run before)";
    try {
        if (req.arch != "aarch64" && req.arch != "x86_64")
            throw Error("translate: the guest architecture must be aarch64 or x86_64, not " + req.arch);
        r.qemu = findInPath("qemu-" + req.arch);
        if (r.qemu.empty())
            throw Error("qemu-" + req.arch + " not found: install the Debian package qemu-user");
        if (req.arch == "aarch64") {
            std::tie(r.guestBusybox, r.guestHow) = arm64Busybox(req.cacheDir);
        } else {
            r.guestBusybox = req.hostBusybox;
            r.guestHow = "the host's own busybox (x86-64 translated to x86-64: the cost of translation alone)";
        }
        const std::string logPath = req.cacheDir + "/tb-" + req.arch + "-" + std::to_string(::getpid()) + ".log";
        fs::create_directories(req.cacheDir);
        r.logCommand = {r.qemu, "-d", "in_asm,out_asm", "-D", logPath, r.guestBusybox};
        r.logCommand.insert(r.logCommand.end(), req.program.begin(), req.program.end());
        ProgramResult logged = runProgram(r.logCommand, {}, std::chrono::seconds(60));
        std::optional<std::string> text = readFileIfExists(logPath);
        fs::remove(logPath);
        if (logged.status != 0 || !text)
            throw Error("qemu-" + req.arch + " -d in_asm,out_asm did not run " + r.guestBusybox + " (status "
                        + std::to_string(logged.status) + ")");
        r.log = parseTbLog(*text);
        r.native = timed(workload(req.hostBusybox, req.loops));
        std::vector<std::string> under = workload(r.guestBusybox, req.loops);
        under.insert(under.begin(), r.qemu);
        r.translated = timed(under);
        if (r.native.status != 0 || r.translated.status != 0)
            throw Error("the timed workload failed (native status " + std::to_string(r.native.status)
                        + ", translated " + std::to_string(r.translated.status) + ")");
        if (r.native.ms > 0)
            r.slowdown = r.translated.ms / r.native.ms;
    } catch (const std::exception &e) {
        r.error = e.what();
    }
    return r;
}

} // namespace hood::vm
