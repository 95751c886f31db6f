// The container spec: the subset of the OCI runtime-spec (config.json) that Hood
// implements. Parsing and validation are pure functions of bytes, so they are
// tested on fixture files; the runtime only ever sees a validated Spec.
#pragma once

#include "namespaces.h"
#include "seccomp.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hood {

struct Rlimit {
    std::string type; // "RLIMIT_NOFILE", ...
    uint64_t hard = 0;
    uint64_t soft = 0;
    bool operator==(const Rlimit &) const = default;
};

struct Capabilities {
    // Names as in the OCI spec: "CAP_CHOWN", ...
    std::vector<std::string> bounding, effective, inheritable, permitted, ambient;
    bool operator==(const Capabilities &) const = default;
};

struct Process {
    bool terminal = false;
    std::vector<std::string> args;
    std::vector<std::string> env;
    std::string cwd = "/";
    uint32_t uid = 0;
    uint32_t gid = 0;
    std::vector<uint32_t> additionalGids;
    std::vector<Rlimit> rlimits;
    bool noNewPrivileges = false;
    std::optional<int> oomScoreAdj;   // /proc/self/oom_score_adj, -1000..1000
    // Absent in config.json: the process keeps the capabilities it has.
    std::optional<Capabilities> capabilities;
    bool operator==(const Process &) const = default;
};

struct Root {
    std::string path; // as written in config.json; relative to the bundle when not absolute
    bool readonly = false;
    bool operator==(const Root &) const = default;
};

struct Mount {
    std::string destination;
    std::string type;
    std::string source;
    std::vector<std::string> options;
    bool operator==(const Mount &) const = default;
};

struct NamespaceSetting {
    NsKind kind;
    std::string path; // empty: a new namespace; otherwise join the one at this path
    bool operator==(const NamespaceSetting &) const = default;
};

struct IdMapping {
    uint32_t containerID = 0;
    uint32_t hostID = 0;
    uint32_t size = 0;
    bool operator==(const IdMapping &) const = default;
};

// One entry of config.json's hooks: a program run by the runtime at a point of the
// container's life, with the container's state JSON on its stdin.
struct Hook {
    std::string path;               // absolute
    std::vector<std::string> args;  // argv, args[0] included; empty: {path}
    std::vector<std::string> env;   // empty: an empty environment (startContainer: the process's)
    std::optional<int> timeout;     // seconds; nullopt: no limit
    bool operator==(const Hook &) const = default;
};

// The points the runtime spec names, in the order they come:
//   prestart, createRuntime  by the runtime, in its namespaces, after the container's
//                            mounts are made and before its root is switched
//   createContainer          in the container's namespaces, at the same point
//   startContainer           in the container, after `start`, before the user's command
//   poststart                by the runtime, once the user's command runs
//   poststop                 by the runtime, when the container is deleted
struct Hooks {
    std::vector<Hook> prestart, createRuntime, createContainer, startContainer, poststart, poststop;
    bool empty() const
    {
        return prestart.empty() && createRuntime.empty() && createContainer.empty()
            && startContainer.empty() && poststart.empty() && poststop.empty();
    }
    // Each point's config.json name and list, in the order above.
    std::vector<std::pair<const char *, const std::vector<Hook> *>> points() const
    {
        return {{"prestart", &prestart},   {"createRuntime", &createRuntime},
                {"createContainer", &createContainer}, {"startContainer", &startContainer},
                {"poststart", &poststart}, {"poststop", &poststop}};
    }
    bool operator==(const Hooks &) const = default;
};

// linux.resources.devices: one rule of the device cgroup, applied in order.
struct DeviceRule {
    bool allow = false;
    char type = 'a';           // 'a' (all), 'b' (block), 'c' (char)
    int64_t major = -1;        // -1: any
    int64_t minor = -1;        // -1: any
    std::string access = "rwm";
    bool operator==(const DeviceRule &) const = default;
};

// What runc allows after the spec's device rules (specconv's AllowedDevices):
// mknod of any device, and /dev/null, zero, full, random, urandom, tty, ptmx, the
// ptys and /dev/net/tun, so that a "deny all" still leaves a working /dev.
const std::vector<DeviceRule> &defaultAllowedDevices();

struct Resources {
    std::optional<int64_t> memoryLimit;  // bytes
    std::optional<int64_t> cpuQuota;     // microseconds per period; -1 = no limit
    std::optional<uint64_t> cpuPeriod;   // microseconds
    std::optional<uint64_t> cpuShares;   // relative weight (v1 shares, 2..262144)
    std::optional<int64_t> pidsLimit;    // -1 = no limit
    // The device cgroup's rules (v1 devices controller); not a limit: empty() ignores them.
    std::vector<DeviceRule> devices;
    bool empty() const
    {
        return !memoryLimit && !cpuQuota && !cpuPeriod && !cpuShares && !pidsLimit;
    }
    bool operator==(const Resources &) const = default;
};

struct Spec {
    std::string ociVersion = "1.0.2";
    Process process;
    Root root;
    std::string hostname;
    std::vector<Mount> mounts;
    std::vector<NamespaceSetting> namespaces; // a kind listed is unshared (or joined)
    std::vector<IdMapping> uidMappings;
    std::vector<IdMapping> gidMappings;
    Resources resources;
    std::string cgroupsPath;
    // linux.sysctl: "net.ipv4.ip_forward" -> "1", written under the container's /proc/sys.
    std::vector<std::pair<std::string, std::string>> sysctl;
    std::vector<std::string> maskedPaths;
    std::vector<std::string> readonlyPaths;
    // linux.seccomp: absent, no filter (as runc); hoodctl run puts Docker's default here.
    std::optional<Seccomp> seccomp;
    Hooks hooks;

    bool hasNamespace(NsKind kind) const;
    const NamespaceSetting *namespaceSetting(NsKind kind) const;
    // on: appends a new namespace of that kind unless one is listed already (a joined
    // one keeps its path); off: removes it.
    void setNamespace(NsKind kind, bool on);
    bool operator==(const Spec &) const = default;
};

struct ParsedSpec {
    Spec spec;
    std::vector<std::string> warnings; // "config.json: unknown field linux.foo ignored"
};

// Parses and validates config.json text. `source` names the file in messages.
// Throws hood::Error with one sentence naming the field, e.g.
//   "config.json: linux.resources.memory.limit: must be a positive number of bytes"
//   "config.json: syntax error at line 3, column 7: ..."
ParsedSpec parseSpec(std::string_view json, std::string_view source = "config.json");

// `update --resources`: a linux.resources object alone (as runc and containerd's
// shim send it); messages name the fields as linux.resources.memory.limit.
Resources parseResources(std::string_view json, std::string_view source, std::vector<std::string> &warnings);
void validateResources(const Resources &resources, std::string_view source);

// Validates a spec built in code (hoodctl run's flags); same messages as parseSpec.
void validateSpec(const Spec &spec, std::string_view source = "config.json");

// config.json text for a spec (2-space indented), readable by parseSpec and by runc.
std::string specToJson(const Spec &spec);

// What `runc spec` writes: sh as the process, rootfs "rootfs", the default mounts
// (/proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys, /sys/fs/cgroup), pid, network,
// ipc, uts and mount namespaces, masked and read-only paths, runc's capabilities.
Spec defaultSpec();

// The resource number of an OCI rlimit type ("RLIMIT_NOFILE" -> RLIMIT_NOFILE), for
// setrlimit(2); nullopt for a name that is not a Linux resource limit.
std::optional<int> rlimitResource(std::string_view type);

// Docker's default capability set (moby's oci/caps/defaults.go), for hoodctl run.
const std::vector<std::string> &dockerDefaultCapabilities();

} // namespace hood
