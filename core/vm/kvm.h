// Whether KVM really works here, not only whether /dev/kvm opens. A device that
// opens can still refuse what QEMU asks of it: under some nested hypervisors
// QEMU aborts with "failed to set MSR 0x10a" (IA32_ARCH_CAPABILITIES) when the
// vCPU starts. So the probe goes as far as QEMU does: a VM, a vCPU, the feature
// MSRs QEMU copies into the vCPU, and a few thousand guest instructions run for
// real and timed: here a nested hypervisor runs them 1000 times slower than
// hardware, and QEMU's guest never leaves its BIOS.
#pragma once

#include <string>

namespace hood {

struct KvmProbe {
    bool device = false;  // the device node exists
    int openErrno = 0;    // opening it read-write; 0: it opened
    bool usable = false;  // every step worked, fast enough to be hardware
    double trialMs = 0;   // how long the trial guest ran
    std::string step;     // the step that failed: "open", "KVM_CREATE_VM", ...
    std::string reason;   // one sentence: why KVM is or is not usable
};

// Never throws. Creates a VM of one page and one vCPU and destroys it again.
KvmProbe probeKvm(const std::string &device = "/dev/kvm");

} // namespace hood
