// The Spec's small helpers and the two default sets Hood starts from: runc's
// `runc spec` template and Docker's default capabilities.
#include "spec.h"

#include <algorithm>
#include <array>
#include <sys/resource.h>
#include <utility>

namespace hood {

bool Spec::hasNamespace(NsKind kind) const
{
    return namespaceSetting(kind) != nullptr;
}

const NamespaceSetting *Spec::namespaceSetting(NsKind kind) const
{
    auto it = std::find_if(namespaces.begin(), namespaces.end(),
                           [kind](const NamespaceSetting &ns) { return ns.kind == kind; });
    return it == namespaces.end() ? nullptr : &*it;
}

void Spec::setNamespace(NsKind kind, bool on)
{
    if (!on)
        std::erase_if(namespaces, [kind](const NamespaceSetting &ns) { return ns.kind == kind; });
    else if (!hasNamespace(kind))
        namespaces.push_back({kind, {}});
}

std::optional<int> rlimitResource(std::string_view type)
{
    static constexpr std::array<std::pair<std::string_view, int>, 16> kRlimits = {{
        {"RLIMIT_CPU", RLIMIT_CPU},         {"RLIMIT_FSIZE", RLIMIT_FSIZE},
        {"RLIMIT_DATA", RLIMIT_DATA},       {"RLIMIT_STACK", RLIMIT_STACK},
        {"RLIMIT_CORE", RLIMIT_CORE},       {"RLIMIT_RSS", RLIMIT_RSS},
        {"RLIMIT_NPROC", RLIMIT_NPROC},     {"RLIMIT_NOFILE", RLIMIT_NOFILE},
        {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK}, {"RLIMIT_AS", RLIMIT_AS},
        {"RLIMIT_LOCKS", RLIMIT_LOCKS},     {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
        {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
        {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},   {"RLIMIT_RTTIME", RLIMIT_RTTIME},
    }};
    for (const auto &[name, resource] : kRlimits) {
        if (name == type)
            return resource;
    }
    return std::nullopt;
}

namespace {

// runc 1.1's specconv.Example(), which `runc spec` prints (fixture: runc-spec.json).
std::vector<Mount> runcDefaultMounts()
{
    return {
        {"/proc", "proc", "proc", {}},
        {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
        {"/dev/pts", "devpts", "devpts",
         {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
        {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
        {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}},
        {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}},
        {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}},
    };
}

Capabilities runcDefaultCapabilities()
{
    const std::vector<std::string> caps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
    return {caps, caps, {}, caps, caps};
}

} // namespace

Spec defaultSpec()
{
    Spec spec;
    Process &p = spec.process;
    // runc's template asks for a terminal; Hood runs non-interactively unless -t is given.
    p.terminal = false;
    p.args = {"sh"};
    p.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"};
    p.cwd = "/";
    p.capabilities = runcDefaultCapabilities();
    p.rlimits = {{"RLIMIT_NOFILE", 1024, 1024}};
    p.noNewPrivileges = true;
    spec.root = {"rootfs", true};
    spec.hostname = "hood";
    spec.mounts = runcDefaultMounts();
    for (NsKind kind : {NsKind::Pid, NsKind::Network, NsKind::Ipc, NsKind::Uts, NsKind::Mount})
        spec.namespaces.push_back({kind, {}});
    spec.maskedPaths = {"/proc/acpi",          "/proc/asound",     "/proc/kcore",
                        "/proc/keys",          "/proc/latency_stats", "/proc/timer_list",
                        "/proc/timer_stats",   "/proc/sched_debug", "/sys/firmware",
                        "/proc/scsi"};
    spec.readonlyPaths = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
    return spec;
}

const std::vector<std::string> &dockerDefaultCapabilities()
{
    // moby/moby oci/caps/defaults.go, DefaultCapabilities(), in its order.
    static const std::vector<std::string> caps = {
        "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FSETID",     "CAP_FOWNER",
        "CAP_MKNOD",  "CAP_NET_RAW",      "CAP_SETGID",     "CAP_SETUID",
        "CAP_SETFCAP", "CAP_SETPCAP",     "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
        "CAP_KILL",   "CAP_AUDIT_WRITE",
    };
    return caps;
}

const std::vector<DeviceRule> &defaultAllowedDevices()
{
    static const std::vector<DeviceRule> kRules = {
        {true, 'c', -1, -1, "m"}, {true, 'b', -1, -1, "m"},
        {true, 'c', 1, 3, "rwm"}, {true, 'c', 1, 8, "rwm"}, {true, 'c', 1, 7, "rwm"}, {true, 'c', 5, 0, "rwm"},
        {true, 'c', 1, 5, "rwm"}, {true, 'c', 1, 9, "rwm"}, {true, 'c', 136, -1, "rwm"}, {true, 'c', 5, 2, "rwm"},
        {true, 'c', 10, 200, "rwm"},
    };
    return kRules;
}

} // namespace hood
