// hoodctl vm: what the lessons measure about virtual machines, on this machine.
//   vm boot    a QEMU VM booted to its /init, beside a container start of the same
//              busybox, both timed from the moment the program is started to a
//              marker line it prints
//   vm kernel  the VM kernel (downloaded into the cache once); tests/vm uses it
//   vm kvm     whether KVM really runs a guest here
//   vm translate  a program's translation blocks under qemu-user, and a workload
//              timed natively and translated
#include "cli.h"

#include "error.h"
#include "vm/boot.h"
#include "vm/kernel.h"
#include "vm/kvm.h"
#include "vm/subprocess.h"
#include "vm/translate.h"

#include <cstdio>
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace hoodctl {
namespace {

constexpr const char *kContainerMarker = "@@HOOD-CONTAINER-INIT";

struct ContainerTiming {
    std::optional<double> markerMs;
    double totalMs = 0;
    std::vector<std::string> command;
    std::string error;
};

std::string selfExe()
{
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, size_t(n)) : std::string("hoodctl");
}

// The same busybox, as a container: hoodctl run of the built-in image, timed the
// way the VM is, from the start of the program to the marker its command prints.
ContainerTiming timeContainer(const std::string &root)
{
    ContainerTiming c;
    c.command = {selfExe(), "--root", root, "run", "--", "/bin/echo", kContainerMarker};
    hood::vm::MarkerTiming t = hood::vm::timeToMarker(c.command, kContainerMarker, std::chrono::seconds(60));
    c.markerMs = t.markerMs;
    c.totalMs = t.totalMs;
    if (!c.markerMs)
        c.error = "the container did not print its marker (status " + std::to_string(t.result.status)
            + "): " + t.result.output.substr(0, t.result.output.find('\n'));
    return c;
}

std::string ms(std::optional<double> v)
{
    if (!v)
        return "-";
    char b[32];
    std::snprintf(b, sizeof b, "%.0f ms", *v);
    return b;
}

nlohmann::json optionalJson(std::optional<double> v)
{
    return v ? nlohmann::json(*v) : nlohmann::json();
}

std::string joined(const std::vector<std::string> &argv)
{
    std::string s;
    for (const std::string &a : argv)
        s += (s.empty() ? "" : " ") + a;
    return s;
}

int vmBoot(Context &ctx, const Words &words)
{
    Options o(words, {"--accel", "--cache", "--timeout"}, {"--json", "--no-fetch", "--no-container"});
    hood::vm::BootRequest req;
    req.cacheDir = o.value("--cache").value_or(hood::vm::defaultKernelCache());
    req.accel = o.value("--accel").value_or("auto");
    if (req.accel != "auto" && req.accel != "kvm" && req.accel != "tcg")
        throw hood::Error("vm boot: --accel must be auto, kvm or tcg, not \"" + req.accel + "\"");
    if (auto t = o.value("--timeout"))
        req.timeoutSeconds = unsigned(parseNumber("--timeout", *t));
    req.fetchKernel = !o.has("--no-fetch");
    hood::vm::BootResult vm = hood::vm::bootVm(req);
    ContainerTiming ct;
    if (!o.has("--no-container"))
        ct = timeContainer(ctx.root);
    std::optional<double> ratio;
    if (vm.initMs && ct.markerMs && *ct.markerMs > 0)
        ratio = *vm.initMs / *ct.markerMs;
    const char *method = "wall time from starting the program (fork) to the first line it prints that starts "
                         "with its marker: the VM's /init echoes @@HOOD-VM-INIT on the serial console "
                         "(QEMU's stdout); the container's command echoes @@HOOD-CONTAINER-INIT.";
    if (o.has("--json")) {
        nlohmann::json j = {
            {"vm",
             {{"accel", vm.accel}, {"accelReason", vm.accelReason}, {"initMs", optionalJson(vm.initMs)},
              {"guestUptimeS", optionalJson(vm.guestUptime)}, {"totalMs", vm.totalMs}, {"kernel", vm.kernel.vmlinuz},
              {"kernelHow", vm.kernel.how}, {"command", vm.command}, {"error", vm.error}}},
            {"container",
             {{"startMs", optionalJson(ct.markerMs)}, {"totalMs", ct.totalMs}, {"command", ct.command},
              {"error", ct.error}}},
            {"ratio", optionalJson(ratio)},
            {"method", method}};
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << "VM (" << (vm.accel.empty() ? "-" : vm.accel) << "): /init after " << ms(vm.initMs);
        if (vm.guestUptime)
            std::cout << " (guest uptime " << *vm.guestUptime << " s)";
        std::cout << ", QEMU ended after " << ms(vm.totalMs) << "\n    " << vm.accelReason << "\n";
        if (!vm.kernel.how.empty())
            std::cout << "    kernel: " << vm.kernel.how << "\n    " << joined(vm.command) << "\n";
        if (!vm.error.empty())
            std::cout << "    failed: " << vm.error << "\n" << vm.consoleTail << "\n";
        if (!o.has("--no-container")) {
            std::cout << "container: its command ran after " << ms(ct.markerMs) << ", hoodctl ended after "
                      << ms(ct.totalMs) << "\n";
            if (!ct.error.empty())
                std::cout << "    failed: " << ct.error << "\n";
        }
        if (ratio) {
            char b[64];
            std::snprintf(b, sizeof b, "%.0f", *ratio);
            std::cout << "the VM took " << b << " times as long\n";
        }
        std::cout << "method: " << method << "\n";
    }
    return vm.error.empty() && ct.error.empty() ? 0 : 1;
}

// For tests/vm/run-vm-tests: the vmlinuz path on stdout, how it was found on stderr.
int vmKernel(const Words &words)
{
    Options o(words, {"--cache"}, {"--no-fetch"});
    hood::vm::Kernel k =
        hood::vm::findKernel(o.value("--cache").value_or(hood::vm::defaultKernelCache()), !o.has("--no-fetch"));
    std::cerr << "kernel: " << k.how << "\n";
    std::cout << k.vmlinuz << "\n";
    return 0;
}

// Exit status 0 when KVM runs the trial guest, 1 when not; the reason on stdout.
int vmKvm(const Words &words)
{
    Options o(words, {}, {"--json"});
    hood::KvmProbe p = hood::probeKvm();
    if (o.has("--json"))
        std::cout << nlohmann::json{{"usable", p.usable}, {"device", p.device}, {"step", p.step},
                                    {"trialMs", p.trialMs}, {"reason", p.reason}}
                         .dump(2)
                  << "\n";
    else {
        std::cout << p.reason << "\n";
        if (p.trialMs > 0)
            std::printf("trial guest: %.2f ms\n", p.trialMs);
    }
    return p.usable ? 0 : 1;
}

nlohmann::json insnsJson(const std::vector<hood::vm::TbInsn> &insns, bool host)
{
    nlohmann::json list = nlohmann::json::array();
    for (const hood::vm::TbInsn &i : insns) {
        nlohmann::json j = {{"address", i.address}, {"bytes", i.bytes}, {"text", i.text}};
        if (host) {
            j["guest"] = i.guest;
            j["prologue"] = i.prologue;
        }
        list.push_back(std::move(j));
    }
    return list;
}

nlohmann::json translateJson(const hood::vm::TranslateResult &r, size_t maxBlocks)
{
    nlohmann::json blocks = nlohmann::json::array();
    for (const hood::vm::TranslationBlock &tb : r.log.blocks) {
        if (blocks.size() >= maxBlocks)
            break;
        if (!tb.translated)
            continue;
        blocks.push_back({{"pc", tb.guestPc()}, {"symbol", tb.symbol}, {"hostSize", tb.hostSize},
                          {"ratio", tb.ratio()}, {"guest", insnsJson(tb.guest, false)},
                          {"host", insnsJson(tb.host, true)}});
    }
    return {{"arch", r.arch},
            {"qemu", r.qemu},
            {"guestBusybox", r.guestBusybox},
            {"guestHow", r.guestHow},
            {"logCommand", r.logCommand},
            {"blockCount", r.log.blocks.size()},
            {"guestInsns", r.log.guestInsns},
            {"hostInsns", r.log.hostInsns},
            {"ratio", hood::vm::overallRatio(r.log)},
            {"blocks", blocks},
            {"nativeMs", r.native.ms},
            {"translatedMs", r.translated.ms},
            {"nativeCommand", r.native.command},
            {"translatedCommand", r.translated.command},
            {"slowdown", optionalJson(r.slowdown)},
            {"method", r.method},
            {"error", r.error}};
}

void printBlock(const hood::vm::TranslationBlock &tb)
{
    std::printf("block at 0x%llx: %zu guest -> %zu host instructions (%.1fx), %u bytes of host code\n",
                (unsigned long long)tb.guestPc(), tb.guest.size(), tb.host.size(), tb.ratio(), tb.hostSize);
    for (const hood::vm::TbInsn &g : tb.guest) {
        std::printf("  %-40s", g.text.c_str());
        const char *sep = "";
        int n = 0;
        for (const hood::vm::TbInsn &h : tb.host)
            if (h.guest == g.address && n++ < 3) {
                std::printf("%s%s", sep, h.text.c_str());
                sep = "; ";
            }
        std::printf(n > 3 ? "; ... (%d)\n" : "\n", n);
    }
}

// A program's translation blocks, and a workload timed native vs translated.
int vmTranslate(const Words &words)
{
    Options o(words, {"--arch", "--cache", "--blocks", "--loops"}, {"--json"});
    hood::vm::TranslateRequest req;
    req.arch = o.value("--arch").value_or("aarch64");
    req.cacheDir = o.value("--cache").value_or(hood::vm::defaultKernelCache());
    if (auto l = o.value("--loops"))
        req.loops = unsigned(parseNumber("--loops", *l));
    if (!o.positional().empty())
        req.program = o.positional();
    size_t maxBlocks = o.value("--blocks") ? size_t(parseNumber("--blocks", *o.value("--blocks"))) : 12;
    hood::vm::TranslateResult r = hood::vm::translate(req);
    if (o.has("--json")) {
        std::cout << translateJson(r, maxBlocks).dump(2) << "\n";
        return r.error.empty() ? 0 : 1;
    }
    if (!r.error.empty())
        throw hood::Error(r.error);
    std::cout << "guest: " << r.guestHow << "\n" << joined(r.logCommand) << "\n";
    std::printf("%zu translation blocks: %u guest instructions became %u host instructions (%.1fx)\n\n",
                r.log.blocks.size(), r.log.guestInsns, r.log.hostInsns, hood::vm::overallRatio(r.log));
    size_t shown = 0;
    for (const hood::vm::TranslationBlock &tb : r.log.blocks)
        if (tb.translated && shown++ < std::min<size_t>(maxBlocks, 3))
            printBlock(tb);
    std::printf("\nnative %.0f ms, translated %.0f ms: %.1f times slower\nmethod: %s\n", r.native.ms,
                r.translated.ms, r.slowdown.value_or(0), r.method.c_str());
    return 0;
}

} // namespace

int cmdVm(Context &ctx, const Words &words)
{
    if (words.empty())
        throw hood::Error("vm needs a verb: boot, kernel, kvm or translate (hoodctl help)");
    const Words rest(words.begin() + 1, words.end());
    if (words[0] == "boot")
        return vmBoot(ctx, rest);
    if (words[0] == "kernel")
        return vmKernel(rest);
    if (words[0] == "kvm")
        return vmKvm(rest);
    if (words[0] == "translate")
        return vmTranslate(rest);
    throw hood::Error("vm: unknown verb \"" + words[0] + "\" (boot, kernel, kvm, translate)");
}

} // namespace hoodctl
