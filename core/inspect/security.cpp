#include "inspect/security.h"

#include "inspect/procfs.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <set>

namespace hood::inspect {

// One line each, from capabilities(7), said as what a container process could do.
const std::vector<CapabilityInfo> &capabilityTable()
{
    static const std::vector<CapabilityInfo> table = {
        {0, "CAP_CHOWN", "change the owner of any file"},
        {1, "CAP_DAC_OVERRIDE", "read, write and run files whatever their permission bits say"},
        {2, "CAP_DAC_READ_SEARCH", "read any file and list any directory; open files by handle"},
        {3, "CAP_FOWNER", "act as the owner of any file (chmod, utimes, ...)"},
        {4, "CAP_FSETID", "keep setuid/setgid bits when a file is changed"},
        {5, "CAP_KILL", "send signals to processes of other users"},
        {6, "CAP_SETGID", "change its group ids to any group"},
        {7, "CAP_SETUID", "change its user ids to any user"},
        {8, "CAP_SETPCAP", "drop capabilities from the bounding set, grant inheritable ones"},
        {9, "CAP_LINUX_IMMUTABLE", "set the immutable and append-only file flags"},
        {10, "CAP_NET_BIND_SERVICE", "listen on ports below 1024"},
        {11, "CAP_NET_BROADCAST", "broadcast and listen to multicast"},
        {12, "CAP_NET_ADMIN", "configure interfaces, routes and firewall rules"},
        {13, "CAP_NET_RAW", "open raw sockets (ping, forged packets)"},
        {14, "CAP_IPC_LOCK", "lock memory so it cannot be swapped"},
        {15, "CAP_IPC_OWNER", "bypass permission checks on System V IPC objects"},
        {16, "CAP_SYS_MODULE", "load and unload kernel modules: code in the host's kernel"},
        {17, "CAP_SYS_RAWIO", "raw I/O ports and /dev/mem: the hardware itself"},
        {18, "CAP_SYS_CHROOT", "call chroot(2)"},
        {19, "CAP_SYS_PTRACE", "trace and read the memory of any process it can see"},
        {20, "CAP_SYS_PACCT", "turn process accounting on or off"},
        {21, "CAP_SYS_ADMIN", "mount, make namespaces, and much else: nearly root"},
        {22, "CAP_SYS_BOOT", "reboot the machine, load a new kernel"},
        {23, "CAP_SYS_NICE", "raise priorities, change other processes' scheduling"},
        {24, "CAP_SYS_RESOURCE", "exceed resource limits and quotas"},
        {25, "CAP_SYS_TIME", "set the system clock (not namespaced)"},
        {26, "CAP_SYS_TTY_CONFIG", "virtually hang up terminals"},
        {27, "CAP_MKNOD", "create device files (the cgroup's device rules still apply)"},
        {28, "CAP_LEASE", "take leases on files it does not own"},
        {29, "CAP_AUDIT_WRITE", "write records to the kernel's audit log"},
        {30, "CAP_AUDIT_CONTROL", "configure the audit subsystem"},
        {31, "CAP_SETFCAP", "set file capabilities"},
        {32, "CAP_MAC_OVERRIDE", "override mandatory access control (Smack)"},
        {33, "CAP_MAC_ADMIN", "configure mandatory access control"},
        {34, "CAP_SYSLOG", "read and clear the kernel's log"},
        {35, "CAP_WAKE_ALARM", "set alarms that wake the machine"},
        {36, "CAP_BLOCK_SUSPEND", "keep the machine from suspending"},
        {37, "CAP_AUDIT_READ", "read the audit log through netlink"},
        {38, "CAP_PERFMON", "use perf events: watch the kernel and other processes"},
        {39, "CAP_BPF", "load BPF programs and maps into the kernel"},
        {40, "CAP_CHECKPOINT_RESTORE", "checkpoint and restore processes (set pids, read maps)"},
    };
    return table;
}

std::vector<CapabilityInfo> decodeCapabilities(uint64_t mask)
{
    // Built once (thread-safe static init): the Security page decodes on a worker thread.
    static const std::vector<std::string> unknownNames = [] {
        std::vector<std::string> names;
        for (int bit = 0; bit < 64; ++bit)
            names.push_back("CAP_" + std::to_string(bit));
        return names;
    }();
    std::vector<CapabilityInfo> out;
    const auto &table = capabilityTable();
    for (int bit = 0; bit < 64; ++bit) {
        if (!(mask & (uint64_t(1) << bit)))
            continue;
        if (size_t(bit) < table.size()) {
            out.push_back(table[size_t(bit)]);
            continue;
        }
        out.push_back({bit, unknownNames[size_t(bit)], "a capability newer than this table"});
    }
    return out;
}

namespace {

// Docker's masked and read-only paths (moby oci/defaults.go), each with what
// hiding it, or making it read-only, keeps a container from doing.
const std::vector<PathInfo> kMasked = {
    {"/proc/acpi", "changing the host's ACPI (power, fans) settings"},
    {"/proc/asound", "reading the host's sound cards and what they play"},
    {"/proc/kcore", "reading the host's physical memory as an ELF core file"},
    {"/proc/keys", "listing the kernel's keyrings, which are not namespaced"},
    {"/proc/latency_stats", "timing the host kernel's internals (a side channel)"},
    {"/proc/timer_list", "seeing every timer of the host, with other processes' details"},
    {"/proc/timer_stats", "seeing which host processes set timers"},
    {"/proc/sched_debug", "seeing every task on the host and its scheduling state"},
    {"/proc/scsi", "rescanning or removing the host's SCSI devices"},
    {"/sys/firmware", "reading the firmware's tables (ACPI, EFI variables)"},
    {"/sys/devices/virtual/powercap", "reading the CPUs' energy counters (the PLATYPUS side channel)"},
};
const std::vector<PathInfo> kReadonly = {
    {"/proc/bus", "reconfiguring the host's PCI and USB devices"},
    {"/proc/fs", "changing file system settings of the whole machine"},
    {"/proc/irq", "moving the host's interrupts between CPUs"},
    {"/proc/sys", "changing kernel settings that are not namespaced (sysctl)"},
    {"/proc/sysrq-trigger", "rebooting or crashing the host with a magic SysRq key"},
};

// Why Docker's profile blocks each (its comments and moby's docs/security/seccomp.md).
const std::vector<PathInfo> kSyscalls = {
    {"add_key", "add keys to the kernel's keyrings, which are not namespaced"},
    {"bpf", "load programs into the kernel"},
    {"clone3", "make namespaces without the argument check clone(2) gets (answered ENOSYS)"},
    {"delete_module", "unload a module from the host's kernel"},
    {"finit_module", "load a module into the host's kernel"},
    {"init_module", "load a module into the host's kernel"},
    {"iopl", "reach the hardware's I/O ports"},
    {"ioperm", "reach the hardware's I/O ports"},
    {"kexec_load", "boot another kernel in place of the host's"},
    {"keyctl", "read and change the kernel's keyrings, which are not namespaced"},
    {"mount", "mount file systems (and so uncover what the container hides)"},
    {"move_mount", "move mounts around, the new mount API's mount"},
    {"open_by_handle_at", "open host files by inode handle (the 2014 shocker escape)"},
    {"perf_event_open", "watch the whole machine's CPUs and kernel"},
    {"pivot_root", "change the root file system again"},
    {"ptrace", "trace and change other processes"},
    {"reboot", "reboot the machine"},
    {"request_key", "ask the kernel's keyrings for keys"},
    {"setns", "enter other namespaces"},
    {"swapon", "add swap space to the machine"},
    {"umount2", "unmount what hides the host's files"},
    {"unshare", "make new namespaces, a user namespace where it is root again"},
    {"userfaultfd", "stall the kernel on a page fault (a race helper in exploits)"},
    {"personality", "switch to an execution domain with an unsafe address layout"},
};

std::string_view reasonIn(const std::vector<PathInfo> &table, std::string_view path, std::string_view otherwise)
{
    for (const PathInfo &p : table) {
        if (p.path == path)
            return p.prevents;
    }
    return otherwise;
}

// "CapEff:\t000001ffffffffff" -> "000001ffffffffff"; nullopt when the field is absent.
std::optional<std::string_view> fieldText(std::string_view status, std::string_view name)
{
    for (std::string_view line : splitFields(status, "\n")) {
        if (line.size() <= name.size() || line.substr(0, name.size()) != name || line[name.size()] != ':')
            continue;
        std::string_view v = line.substr(name.size() + 1);
        v.remove_prefix(std::min(v.find_first_not_of(" \t"), v.size()));
        return v;
    }
    return std::nullopt;
}

// The field as a number in `base`: the capability masks are hex, the rest decimal.
template <typename T> std::optional<T> numberField(std::string_view status, std::string_view name, int base)
{
    const std::optional<std::string_view> v = fieldText(status, name);
    T value {};
    if (!v)
        return std::nullopt;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), value, base);
    if (ec != std::errc() || end == v->data())
        return std::nullopt;
    return value;
}

} // namespace

std::string_view syscallReason(std::string_view name)
{
    return reasonIn(kSyscalls, name, "a call a container does not need");
}

std::string_view maskedPathReason(std::string_view path)
{
    return reasonIn(kMasked, path, "reading what the host keeps there");
}

std::string_view readonlyPathReason(std::string_view path)
{
    return reasonIn(kReadonly, path, "changing what the host keeps there");
}

ProcSecurity parseProcSecurity(std::string_view status)
{
    ProcSecurity s;
    s.effective = numberField<uint64_t>(status, "CapEff", 16).value_or(0);
    s.permitted = numberField<uint64_t>(status, "CapPrm", 16).value_or(0);
    s.bounding = numberField<uint64_t>(status, "CapBnd", 16).value_or(0);
    s.inheritable = numberField<uint64_t>(status, "CapInh", 16).value_or(0);
    s.ambient = numberField<uint64_t>(status, "CapAmb", 16).value_or(0);
    s.noNewPrivs = numberField<int>(status, "NoNewPrivs", 10);
    s.seccompMode = numberField<int>(status, "Seccomp", 10);
    s.seccompFilters = numberField<int>(status, "Seccomp_filters", 10);
    return s;
}

std::vector<IdMapLine> parseIdMap(std::string_view text)
{
    std::vector<IdMapLine> out;
    for (std::string_view line : splitFields(text, "\n")) {
        std::vector<std::string_view> f = splitFields(line);
        if (f.size() != 3)
            continue;
        IdMapLine m;
        uint32_t *dest[] = {&m.inside, &m.outside, &m.count};
        bool ok = true;
        for (size_t i = 0; i < 3 && ok; ++i) {
            auto [end, ec] = std::from_chars(f[i].data(), f[i].data() + f[i].size(), *dest[i]);
            ok = ec == std::errc() && end == f[i].data() + f[i].size();
        }
        if (ok)
            out.push_back(m);
    }
    return out;
}

bool isIdentityMap(const std::vector<IdMapLine> &map)
{
    return map.size() == 1 && map[0] == IdMapLine {0, 0, 4294967295U};
}

SeccompView viewSeccomp(const std::optional<Seccomp> &seccomp, const std::vector<std::string> &known)
{
    SeccompView v;
    v.knownSyscalls = known.size();
    if (!seccomp)
        return v;
    v.configured = true;
    v.defaultAction = seccomp->defaultAction;
    v.summary = summarizeSeccomp(*seccomp);
    std::set<std::string_view> allowed, refused;
    for (const SeccompSyscall &c : seccomp->syscalls) {
        for (const std::string &n : c.names)
            (c.action == "SCMP_ACT_ALLOW" ? allowed : refused).insert(n);
    }
    const bool allowByDefault = seccomp->defaultAction == "SCMP_ACT_ALLOW";
    for (const std::string &n : known) {
        const bool through = allowed.count(n) || (allowByDefault && !refused.count(n));
        ++(through ? v.allowedHere : v.blocked);
    }
    return v;
}

SecurityView readSecurityView(const std::string &procRoot, pid_t pid, const Spec &spec,
                              const std::vector<std::string> &knownSyscalls)
{
    SecurityView v;
    v.pid = pid;
    v.maskedPaths = spec.maskedPaths;
    v.readonlyPaths = spec.readonlyPaths;
    v.seccomp = viewSeccomp(spec.seccomp, knownSyscalls);
    std::string text;
    if (int err = readFileNoThrow(procPath(procRoot, pid, "status"), text)) {
        v.problem = "read " + procPath(procRoot, pid, "status") + ": " + std::strerror(err);
        return v;
    }
    v.proc = parseProcSecurity(text);
    if (readFileNoThrow(procPath(procRoot, pid, "uid_map"), text) == 0)
        v.uidMap = parseIdMap(text);
    if (readFileNoThrow(procPath(procRoot, pid, "gid_map"), text) == 0)
        v.gidMap = parseIdMap(text);
    return v;
}

} // namespace hood::inspect
