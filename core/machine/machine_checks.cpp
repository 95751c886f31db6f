// machineChecks: the verdicts of `hoodctl info` and the GUI's preflight banner,
// from facts alone. The cgroups check says what Runtime::prepare() will do:
// limits as root, or rootless in a delegated v2 subtree, or refused (the same
// CgroupDelegation decides both).
#include "machine.h"

#include <charconv>
#include <cstring>

namespace hood {

namespace {

using Level = CheckLevel;

std::string uidText(unsigned uid)
{
    return "uid " + std::to_string(uid);
}

MachineCheck privileges(const MachineFacts &f)
{
    if (f.uid == 0)
        return {"privileges", "Privileges", Level::Ok, "root",
                "Hood runs as root, so it can make every namespace and write cgroup limits.", {}};
    return {"privileges", "Privileges", Level::Limited, "rootless (" + uidText(f.uid) + ")",
            "Without root every container gets a user namespace mapping your uid to root inside; "
            "cgroup limits work only where a cgroup v2 subtree is delegated to you.",
            "For every feature run Hood with sudo, or inside a VM where you are root."};
}

void describeMode(CgroupMode mode, MachineCheck &it)
{
    switch (mode) {
    case CgroupMode::V2:
        it.verdict = "v2 (unified)";
        it.reason = "/sys/fs/cgroup is a cgroup2 mount: one tree with every controller.";
        break;
    case CgroupMode::Hybrid:
        it.verdict = "hybrid (limits through v1)";
        it.reason = "The controllers are on v1 hierarchies under /sys/fs/cgroup/<controller>; "
                    "/sys/fs/cgroup/unified is a v2 tree without controllers.";
        it.fix = "Nothing needed. To switch to pure v2, boot with systemd.unified_cgroup_hierarchy=1.";
        break;
    case CgroupMode::V1:
        it.verdict = "v1 (legacy)";
        it.reason = "Every controller has its own hierarchy under /sys/fs/cgroup.";
        it.fix = "Nothing needed. Modern desktops use v2: boot with systemd.unified_cgroup_hierarchy=1.";
        break;
    }
}

// Rootless: what prepare() decides with the same delegation.
void judgeDelegation(const MachineFacts &f, MachineCheck &it)
{
    if (*f.cgroupMode != CgroupMode::V2) {
        it.level = Level::Limited;
        it.reason += " Limits need root here: " + f.delegation.why + ".";
        it.fix = "Limits need root on cgroup v1: run Hood with sudo to try them.";
        return;
    }
    if (!f.delegation.delegated()) {
        it.level = Level::Limited;
        it.verdict = "v2 (not delegated)";
        it.reason = "Limits need root here: " + f.delegation.why + ".";
        it.fix = "Run Hood with sudo, or from a desktop session, where systemd delegates "
                 "user@" + std::to_string(f.uid) + ".service to you.";
        return;
    }
    Resources all;
    all.memoryLimit = 1;
    all.cpuQuota = 1;
    all.pidsLimit = 1;
    std::vector<std::string> missing = missingControllers(f.delegation, all);
    it.verdict = "v2 (delegated)";
    it.reason = f.delegation.why + ": Hood makes rootless containers' cgroups there.";
    if (missing.empty())
        return;
    std::string list;
    for (const std::string &c : missing)
        list += (list.empty() ? "" : " ") + c;
    it.level = Level::Limited;
    it.reason += " Not delegated: " + list + ", so those limits need root.";
    it.fix = "systemctl edit user@.service, and under [Service] add Delegate=cpu memory pids; "
             "then log in again.";
}

MachineCheck cgroups(const MachineFacts &f)
{
    MachineCheck it{"cgroups", "cgroups", Level::Ok, {}, {}, {}};
    if (!f.cgroupMode) {
        it.level = Level::Missing;
        it.verdict = "unknown";
        it.reason = f.cgroupError;
        it.fix = "Mount cgroup2 on /sys/fs/cgroup (systemd does this at boot).";
        return it;
    }
    describeMode(*f.cgroupMode, it);
    if (f.uid != 0)
        judgeDelegation(f, it);
    return it;
}

MachineCheck userns(const MachineFacts &f)
{
    MachineCheck it{"userns", "User namespaces", Level::Ok, "available", {}, {}};
    if (f.maxUserNamespaces && *f.maxUserNamespaces == 0) {
        it.level = Level::Missing;
        it.verdict = "disabled";
        it.reason = "/proc/sys/user/max_user_namespaces is 0: no process may create one.";
        it.fix = "sudo sysctl -w user.max_user_namespaces=15000";
        return it;
    }
    if (f.unprivilegedUsernsClone && *f.unprivilegedUsernsClone == 0) {
        it.level = f.uid == 0 ? Level::Ok : Level::Missing;
        it.verdict = f.uid == 0 ? "root only" : "root only: rootless mode cannot work";
        it.reason = "/proc/sys/kernel/unprivileged_userns_clone is 0 (a Debian switch): only root may "
                    "create user namespaces.";
        it.fix = "sudo sysctl -w kernel.unprivileged_userns_clone=1";
        return it;
    }
    if (f.apparmorRestrictsUserns && *f.apparmorRestrictsUserns == 1 && f.uid != 0) {
        it.level = Level::Limited;
        it.verdict = "restricted by AppArmor";
        it.reason = "kernel.apparmor_restrict_unprivileged_userns is 1: an unconfined program gets a "
                    "user namespace without capabilities.";
        it.fix = "Give hoodctl an AppArmor profile with \"userns,\", or run Hood with sudo.";
        return it;
    }
    it.reason = f.maxUserNamespaces ? "/proc/sys/user/max_user_namespaces allows "
                                          + std::to_string(*f.maxUserNamespaces) + " per user."
                                    : "The kernel has no limit file; user namespaces are assumed to work.";
    return it;
}

MachineCheck overlay(const MachineFacts &f)
{
    MachineCheck it{"overlay", "Overlay in a user namespace", Level::Ok, "available", {}, {}};
    const auto [major, minor] = kernelVersion(f.kernelRelease);
    if (!f.overlayFilesystem && f.overlayModule) {
        it.verdict = "available (module loads on first use)";
        it.reason = "overlayfs is a module here; the kernel loads it at the first overlay mount.";
    } else if (!f.overlayFilesystem) {
        it.level = Level::Missing;
        it.verdict = "no overlayfs";
        it.reason = "\"overlay\" is not in /proc/filesystems: the module is not loaded.";
        it.fix = "sudo modprobe overlay";
        return it;
    }
    if (major > 5 || (major == 5 && minor >= 11)) {
        it.reason += (it.reason.empty() ? "" : " ") + std::string("Linux ") + f.kernelRelease
                     + " ≥ 5.11 lets a user namespace's root mount overlayfs, so rootless "
                       "containers get a writable layer over the image.";
        return it;
    }
    it.level = f.uid == 0 ? Level::Ok : Level::Limited;
    it.verdict = f.uid == 0 ? "root only" : "not in a user namespace";
    it.reason = "Linux " + f.kernelRelease
                + " is older than 5.11, which first allowed overlayfs inside a user namespace.";
    it.fix = "Run Hood as root, or use a kernel from 5.11 on.";
    return it;
}

MachineCheck qemu(const MachineFacts &f)
{
    MachineCheck it{"qemu", "QEMU", Level::Ok, {}, {}, {}};
    if (!f.qemuSystem.empty() && !f.qemuUser.empty()) {
        it.verdict = "present";
        it.reason = f.qemuSystem + " boots the VM lessons; " + f.qemuUser + " shows binary translation.";
        return it;
    }
    it.level = Level::Limited;
    it.verdict = f.qemuSystem.empty() && f.qemuUser.empty() ? "missing" : "partly there";
    it.reason = std::string("The lessons that compare containers with virtual machines need "
                            "qemu-system-x86_64 and qemu-x86_64; ")
                + (f.qemuSystem.empty() ? "qemu-system-x86_64" : "qemu-x86_64") + " not found on PATH.";
    it.fix = "sudo apt install qemu-system-x86 qemu-user";
    return it;
}

MachineCheck kvm(const MachineFacts &f)
{
    MachineCheck it{"kvm", "KVM", Level::Ok, "usable", {}, {}};
    if (f.kvmDevice && f.kvmErrno == 0 && f.kvmTrialProblem.empty()) {
        it.reason = "/dev/kvm opens read-write and runs a trial guest, so QEMU runs the VM lessons "
                    "at native speed.";
        return it;
    }
    it.level = Level::Limited;
    if (f.kvmDevice && f.kvmErrno == 0) {
        it.verdict = "opens, does not work";
        it.reason = f.kvmTrialProblem;
        it.fix = "Run Hood on hardware with VT-x or AMD-V enabled in the firmware, or on a "
                 "hypervisor that passes it through (nested virtualization).";
        return it;
    }
    if (!f.kvmDevice) {
        it.verdict = "no /dev/kvm";
        it.reason = "There is no /dev/kvm: QEMU emulates the CPU (TCG), and the VM lessons run "
                    "many times slower.";
        it.fix = "Enable virtualization in the firmware, then sudo modprobe kvm_intel (or kvm_amd).";
        return it;
    }
    it.verdict = "not usable by " + uidText(f.uid);
    it.reason = std::string("open /dev/kvm: ") + std::strerror(f.kvmErrno)
                + ": QEMU falls back to emulating the CPU (TCG), many times slower.";
    it.fix = "sudo usermod -aG kvm $USER, then log in again.";
    return it;
}

MachineCheck nftables(const MachineFacts &f)
{
    MachineCheck it{"nftables", "nftables", Level::Ok, "present", {}, {}};
    if (!f.libnftables.empty()) {
        it.reason = f.libnftables + " is there for bridge networking's NAT rules"
                    + (f.nft.empty() ? std::string(".") : "; " + f.nft + " shows them.");
        if (f.nft.empty())
            it.fix = "To read the rules yourself: sudo apt install nftables";
        return it;
    }
    it.level = Level::Limited;
    it.verdict = f.nft.empty() ? "missing" : "no library";
    it.reason = "libnftables.so.1 was not found: bridge networking (NAT to the outside) needs it; "
                "containers keep their loopback-only network.";
    it.fix = "sudo apt install libnftables1 nftables";
    return it;
}

MachineCheck kernel(const MachineFacts &f)
{
    MachineCheck it{"kernel", "Kernel", Level::Ok, "Linux " + f.kernelRelease, {}, {}};
    const auto [major, minor] = kernelVersion(f.kernelRelease);
    if (major == 0) {
        it.level = Level::Missing;
        it.verdict = "unknown";
        it.reason = "The kernel release could not be read from /proc/sys/kernel/osrelease or uname(2).";
        it.fix = "Mount /proc (mount -t proc proc /proc).";
        return it;
    }
    if (major > 5 || (major == 5 && minor >= 11)) {
        it.reason = "Linux " + f.kernelRelease + " has all Hood uses: clone3 into a cgroup (5.7) "
                    "and overlayfs in a user namespace (5.11).";
        return it;
    }
    it.level = Level::Limited;
    it.reason = "Linux " + f.kernelRelease + " is older than 5.11: "
                + (major == 5 && minor >= 7 ? std::string("no overlayfs in a user namespace.")
                                            : std::string("no clone3 into a cgroup (5.7) and no "
                                                          "overlayfs in a user namespace (5.11)."));
    it.fix = "Use a kernel from 5.11 on (Debian 12 has 6.1).";
    return it;
}

MachineCheck stateRoot(const MachineFacts &f)
{
    MachineCheck it{"stateroot", "State root", Level::Ok, f.stateRoot, {}, {}};
    if (f.stateRootProblem.empty()) {
        it.reason = "Each container's state, journal and log go to " + f.stateRoot
                    + " (--root or HOOD_ROOT choose another).";
        return it;
    }
    it.level = Level::Missing;
    it.reason = f.stateRootProblem + ": no container can be made.";
    it.fix = "Give another state root with --root DIR or HOOD_ROOT=DIR, or run Hood with sudo.";
    return it;
}

MachineCheck store(const MachineFacts &f)
{
    MachineCheck it{"store", "Image store", Level::Ok, "busybox", {}, {}};
    if (f.storeProblem.empty()) {
        it.reason = "The built-in busybox image is at " + f.store + ".";
        return it;
    }
    it.level = Level::Missing;
    it.verdict = "no busybox image";
    it.reason = f.storeProblem + ".";
    it.fix = "Build Hood (cmake --build build), or point HOOD_IMAGES_DIR at a directory with busybox/rootfs.";
    return it;
}

} // namespace

const char *checkLevelName(CheckLevel level)
{
    switch (level) {
    case Level::Ok: return "ok";
    case Level::Limited: return "limited";
    case Level::Missing: return "missing";
    }
    return "?";
}

std::pair<int, int> kernelVersion(std::string_view release)
{
    int major = 0, minor = 0;
    const char *end = release.data() + release.size();
    auto [dot, e1] = std::from_chars(release.data(), end, major);
    if (e1 != std::errc() || dot == end || *dot != '.')
        return {0, 0};
    if (std::from_chars(dot + 1, end, minor).ec != std::errc())
        return {0, 0};
    return {major, minor};
}

std::vector<MachineCheck> machineChecks(const MachineFacts &f)
{
    return {privileges(f), cgroups(f), userns(f), overlay(f), qemu(f),
            kvm(f),        nftables(f), kernel(f), stateRoot(f), store(f)};
}

nlohmann::json machineJson(const MachineFacts &f, const std::vector<MachineCheck> &checks)
{
    nlohmann::json list = nlohmann::json::array();
    for (const MachineCheck &c : checks)
        list.push_back({{"key", c.key},
                        {"title", c.title},
                        {"level", checkLevelName(c.level)},
                        {"verdict", c.verdict},
                        {"reason", c.reason},
                        {"fix", c.fix}});
    nlohmann::json delegation = {{"base", f.delegation.base},
                                 {"controllers", f.delegation.controllers},
                                 {"why", f.delegation.why}};
    return {{"checks", list},
            {"facts",
             {{"uid", f.uid},
              {"kernel", f.kernelRelease},
              {"cgroupMode", f.cgroupMode ? nlohmann::json(cgroupModeName(*f.cgroupMode)) : nlohmann::json()},
              {"cgroupError", f.cgroupError},
              {"cgroupDelegation", delegation},
              {"stateRoot", f.stateRoot},
              {"store", f.store},
              {"qemuSystem", f.qemuSystem},
              {"qemuUser", f.qemuUser},
              {"kvm", f.kvmDevice && f.kvmErrno == 0 && f.kvmTrialProblem.empty()},
              {"kvmProblem", f.kvmTrialProblem},
              {"nft", f.nft},
              {"libnftables", f.libnftables}}}};
}

} // namespace hood
