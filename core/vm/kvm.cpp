#include "vm/kvm.h"

#include "error.h"
#include "sys/fd.h"

#include <cerrno>
#include <cstddef>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <vector>

namespace hood {
namespace {

// The trial guest counts down this many times (two instructions each): a few
// well under a millisecond on hardware-assisted KVM, and under QEMU's TCG too.
constexpr unsigned kLoops = 16384;
// Slower than this, KVM is emulated itself (a nested hypervisor without VT-x
// passthrough) and QEMU's TCG would run the guest faster.
constexpr double kSlowMs = 20.0;

// IA32_ARCH_CAPABILITIES: the MSR QEMU fails to set on the machines this probe is for.
constexpr unsigned kArchCapabilities = 0x10a;

struct Failed {
    std::string step;
    int err;
};

int ioctlOrThrow(int fd, unsigned long request, const char *step, unsigned long arg = 0)
{
    int rc = ::ioctl(fd, request, arg);
    if (rc < 0)
        throw Failed{step, errno};
    return rc;
}

// One page of guest memory holding `hlt`, mapped at guest address 0.
struct GuestPage {
    void *mem = MAP_FAILED;
    GuestPage() { mem = ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }
    ~GuestPage()
    {
        if (mem != MAP_FAILED)
            ::munmap(mem, 4096);
    }
};

// The feature MSRs the host's KVM reports (what QEMU reads before it sets them).
// kvm_msr_list is {__u32 nmsrs; __u32 indices[]}, laid out here as plain words
// (the header's flexible array has another offset in C++, see OneMsr).
bool hostReportsMsr(int kvm, unsigned index)
{
    __u32 count = 0;
    if (::ioctl(kvm, KVM_GET_MSR_FEATURE_INDEX_LIST, &count) < 0 && errno != E2BIG)
        return false;
    std::vector<__u32> words(1 + count);
    words[0] = count;
    if (::ioctl(kvm, KVM_GET_MSR_FEATURE_INDEX_LIST, words.data()) < 0)
        return false;
    for (__u32 i = 1; i <= words[0] && i < words.size(); ++i)
        if (words[i] == index)
            return true;
    return false;
}

// kvm_msrs ends in a flexible array: one entry, laid out by hand as the kernel reads it.
struct OneMsr {
    __u32 nmsrs;
    __u32 pad;
    kvm_msr_entry entry;
};
// (In C++ the header's empty struct before `entries` takes a byte, so its offsetof
// is 16; the kernel, in C, reads the entries at 8.)
static_assert(offsetof(OneMsr, entry) == 8);

// What QEMU does with -cpu host: read the host's value from /dev/kvm and set it
// in the vCPU. KVM_SET_MSRS returns how many it set; 0 is QEMU's abort.
void copyArchCapabilities(int kvm, int vcpu)
{
    if (!hostReportsMsr(kvm, kArchCapabilities))
        return;
    OneMsr msrs{};
    msrs.nmsrs = 1;
    msrs.entry.index = kArchCapabilities;
    if (::ioctl(kvm, KVM_GET_MSRS, &msrs) != 1)
        return;
    int set = ::ioctl(vcpu, KVM_SET_MSRS, &msrs);
    if (set != 1)
        throw Failed{"KVM_SET_MSRS 0x10a", set < 0 ? errno : EINVAL};
}

// Real mode at address 0, a count-down loop and `hlt`: KVM_RUN must come back
// with KVM_EXIT_HLT. Returns how long KVM_RUN took, in milliseconds.
double runLoop(int kvm, int vm, int vcpu)
{
    GuestPage page;
    if (page.mem == MAP_FAILED)
        throw Failed{"mmap", errno};
    // mov ecx, kLoops; l: dec ecx; jnz l; hlt
    static const unsigned char code[] = {0x66, 0xb9, kLoops & 0xff, (kLoops >> 8) & 0xff, 0, 0,
                                         0x66, 0x49, 0x75, 0xfc, 0xf4};
    std::memcpy(page.mem, code, sizeof code);
    kvm_userspace_memory_region region{};
    region.memory_size = 4096;
    region.userspace_addr = reinterpret_cast<__u64>(page.mem);
    ioctlOrThrow(vm, KVM_SET_USER_MEMORY_REGION, "KVM_SET_USER_MEMORY_REGION",
                 reinterpret_cast<unsigned long>(&region));
    int runSize = ioctlOrThrow(kvm, KVM_GET_VCPU_MMAP_SIZE, "KVM_GET_VCPU_MMAP_SIZE");
    void *run = ::mmap(nullptr, size_t(runSize), PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED)
        throw Failed{"mmap vcpu", errno};
    kvm_sregs sregs{};
    int rcS = ::ioctl(vcpu, KVM_GET_SREGS, &sregs);
    kvm_regs regs{};
    regs.rflags = 2;
    sregs.cs.base = 0;
    sregs.cs.selector = 0;
    int rcR = rcS < 0 ? -1 : ::ioctl(vcpu, KVM_SET_SREGS, &sregs);
    if (rcR >= 0)
        rcR = ::ioctl(vcpu, KVM_SET_REGS, &regs);
    int err = errno;
    auto started = std::chrono::steady_clock::now();
    int rc = rcR < 0 ? -1 : ::ioctl(vcpu, KVM_RUN, 0);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (rc < 0)
        err = errno;
    unsigned reason = static_cast<kvm_run *>(run)->exit_reason;
    ::munmap(run, size_t(runSize));
    if (rcR < 0)
        throw Failed{"KVM_SET_REGS", err};
    if (rc < 0)
        throw Failed{"KVM_RUN", err};
    if (reason != KVM_EXIT_HLT)
        throw Failed{"KVM_RUN (exit reason " + std::to_string(reason) + ", not hlt)", EINVAL};
    return ms;
}

double trial(int kvm)
{
    int version = ioctlOrThrow(kvm, KVM_GET_API_VERSION, "KVM_GET_API_VERSION");
    if (version != KVM_API_VERSION)
        throw Failed{"KVM_GET_API_VERSION (" + std::to_string(version) + ")", EINVAL};
    Fd vm(ioctlOrThrow(kvm, KVM_CREATE_VM, "KVM_CREATE_VM"));
    Fd vcpu(ioctlOrThrow(vm.get(), KVM_CREATE_VCPU, "KVM_CREATE_VCPU"));
    copyArchCapabilities(kvm, vcpu.get());
    return runLoop(kvm, vm.get(), vcpu.get());
}

} // namespace

KvmProbe probeKvm(const std::string &device)
{
    KvmProbe p;
    struct stat st {};
    p.device = ::stat(device.c_str(), &st) == 0;
    if (!p.device) {
        p.step = "stat";
        p.reason = "There is no " + device + ": QEMU emulates the CPU (TCG).";
        return p;
    }
    Fd kvm(::open(device.c_str(), O_RDWR | O_CLOEXEC));
    if (!kvm) {
        p.openErrno = errno;
        p.step = "open";
        p.reason = "open " + device + ": " + errnoText(p.openErrno) + ", so QEMU emulates the CPU (TCG).";
        return p;
    }
    double ms = 0;
    try {
        ms = trial(kvm.get());
    } catch (const Failed &f) {
        p.step = f.step;
        p.reason = device + " opens, but " + f.step + " failed (" + errnoText(f.err)
            + "), as QEMU would find when it starts a vCPU (a nested hypervisor that does not pass "
              "hardware virtualization through), so QEMU emulates the CPU (TCG).";
        return p;
    }
    p.trialMs = ms;
    // The figure itself is in trialMs: the sentence stays the same from one probe to
    // the next, so the window and `hoodctl info` say the same words.
    const std::string ran = device + " ran a trial guest of " + std::to_string(2 * kLoops + 2) + " instructions";
    if (ms > kSlowMs) {
        p.step = "speed";
        char limit[16];
        std::snprintf(limit, sizeof limit, "%.0f", kSlowMs);
        p.reason = ran + " in more than " + limit + " ms, slower than QEMU's own emulation: this KVM is emulated "
                         "itself (a nested hypervisor without VT-x passthrough), so QEMU emulates the CPU (TCG).";
        return p;
    }
    p.usable = true;
    p.reason = ran + " at hardware speed, so QEMU runs VMs with hardware assistance (KVM).";
    return p;
}

} // namespace hood
