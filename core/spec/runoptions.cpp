#include "runoptions.h"

#include "error.h"
#include "spec_rules.h"
#include "units.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unistd.h>

namespace hood {

namespace {

constexpr std::string_view kDefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string_view envKey(std::string_view entry)
{
    return entry.substr(0, entry.find('='));
}

// moby's ReplaceOrAppendEnvValues: an entry of `over` replaces the one of `base` with
// the same key, or is appended.
void replaceOrAppend(std::vector<std::string> &base, const std::vector<std::string> &over)
{
    for (const std::string &entry : over) {
        auto same = std::find_if(base.begin(), base.end(),
                                 [&](const std::string &b) { return envKey(b) == envKey(entry); });
        if (same != base.end())
            *same = entry;
        else
            base.push_back(entry);
    }
}

// moby's merge(): the user's Env, then each image Env entry whose key the user did not set.
std::vector<std::string> mergedEnv(const std::vector<std::string> &user, const std::vector<std::string> &image)
{
    std::vector<std::string> env = user;
    for (const std::string &entry : image) {
        if (std::none_of(user.begin(), user.end(), [&](const std::string &u) { return envKey(u) == envKey(entry); }))
            env.push_back(entry);
    }
    return env;
}

uint32_t numericId(const std::string &text, const std::string &user)
{
    char *end = nullptr;
    const unsigned long v = std::strtoul(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || v > UINT32_MAX)
        throw Error("image config: User \"" + user
                    + "\": only numeric uid[:gid] is supported (names need the image's /etc/passwd)");
    return static_cast<uint32_t>(v);
}

void applyImageUser(Process &p, const std::string &user)
{
    if (user.empty())
        return;
    const size_t colon = user.find(':');
    p.uid = numericId(user.substr(0, colon), user);
    p.gid = colon == std::string::npos ? p.uid : numericId(user.substr(colon + 1), user);
}

void applyNamespaces(Spec &spec, const RunOptions &o)
{
    spec.namespaces.clear();
    for (NsKind kind : o.namespaces.value_or(defaultNamespaces()))
        spec.setNamespace(kind, true);
    if (o.rootless)
        spec.setNamespace(NsKind::User, true);
    // docker --network host: the host's own stack, no namespace of its own.
    if (o.network.mode == net::Mode::Host)
        spec.setNamespace(NsKind::Network, false);
}

// Docker's: the first 12 characters of the ID. Without a UTS namespace the host's
// name is the container's, so there is none to set.
std::string hostnameFor(const Spec &spec, const RunOptions &o)
{
    if (!o.hostname.empty())
        return o.hostname; // without a UTS namespace, validateSpec says what is missing
    return spec.hasNamespace(NsKind::Uts) ? o.id.substr(0, 12) : std::string();
}

[[noreturn]] void failFlag(const std::string &flag, const std::string &value, std::string_view rule)
{
    throw Error(flag + " " + value + ": " + std::string(rule));
}

void applyLimits(Resources &r, const RunOptions &o)
{
    if (o.memory) {
        if (*o.memory < rules::kMinMemoryLimit)
            failFlag("--memory", formatBytesFlag(*o.memory), rules::kMemoryFlag);
        r.memoryLimit = *o.memory;
    }
    if (o.cpus) {
        const long online = sysconf(_SC_NPROCESSORS_ONLN);
        if (!(*o.cpus >= 0.01 && *o.cpus <= static_cast<double>(online)))
            failFlag("--cpus", formatCpus(*o.cpus),
                     "must be between 0.01 and " + std::to_string(online) + " (the CPUs this machine has)");
        r.cpuPeriod = kCpuPeriodMicros;
        r.cpuQuota = std::llround(*o.cpus * static_cast<double>(kCpuPeriodMicros));
    }
    if (o.pids) {
        if (*o.pids < 1 && *o.pids != -1)
            failFlag("--pids", std::to_string(*o.pids), rules::kPidsFlag);
        r.pidsLimit = *o.pids;
    }
}

// Docker's profiles resolve against the bounding set: with CAP_SYS_ADMIN given,
// mount and unshare are allowed again (moby profiles/seccomp setupSeccomp).
std::optional<Seccomp> seccompFor(const RunOptions &o, const std::vector<std::string> &caps)
{
    switch (o.seccomp) {
    case RunOptions::Seccomp::Unconfined: return std::nullopt;
    case RunOptions::Seccomp::Profile:
        return seccompFromDockerProfile(o.seccompProfile, hostSeccompTarget(caps),
                                        "seccomp profile " + o.seccompSource);
    case RunOptions::Seccomp::Default: break;
    }
    return dockerDefaultSeccomp(hostSeccompTarget(caps));
}

} // namespace

const std::vector<NsKind> &defaultNamespaces()
{
    static const std::vector<NsKind> kinds = {NsKind::Pid, NsKind::Mount,   NsKind::Uts,
                                              NsKind::Ipc, NsKind::Network, NsKind::Cgroup};
    return kinds;
}

void mergeImageConfig(Process &p, const RunOptions &o, const ImageConfig &image, const std::string &hostname)
{
    std::vector<std::string> entrypoint, cmd;
    if (o.entrypoint && !o.entrypoint->empty()) {
        entrypoint = *o.entrypoint; // docker: a new entrypoint drops the image's Cmd
        cmd = o.command;
    } else {
        entrypoint = o.entrypoint ? std::vector<std::string>() : image.entrypoint;
        cmd = o.command.empty() ? image.cmd : o.command;
    }
    p.args = entrypoint;
    p.args.insert(p.args.end(), cmd.begin(), cmd.end());
    if (p.args.empty())
        p.args = {"sh"}; // Hood's built-in image has no Cmd: its shell
    p.env = {std::string(kDefaultPath), "HOSTNAME=" + hostname};
    if (p.terminal)
        p.env.push_back("TERM=xterm");
    replaceOrAppend(p.env, mergedEnv(o.env, image.env));
    p.cwd = !o.cwd.empty() ? o.cwd : !image.workingDir.empty() ? image.workingDir : "/";
    applyImageUser(p, image.user);
}

Spec specFromRunOptions(const RunOptions &o, const ImageConfig &image)
{
    Spec spec = defaultSpec();
    applyNamespaces(spec, o);
    spec.hostname = hostnameFor(spec, o);
    applyLimits(spec.resources, o);
    Process &p = spec.process;
    p.terminal = o.terminal;
    mergeImageConfig(p, o, image, spec.hostname);
    const std::vector<std::string> &caps = dockerDefaultCapabilities();
    p.capabilities = Capabilities {caps, caps, {}, caps, {}};
    // Hood's default is stricter than docker run's: a setuid binary inside cannot
    // gain what the container was not given.
    p.noNewPrivileges = o.noNewPrivileges;
    spec.seccomp = seccompFor(o, caps);
    // Docker's list is runc's and two more (moby daemon/pkg/oci/defaults.go):
    // /proc/interrupts and powercap leak what other tenants do (GHSA-6fw5-f8r9-fgfm,
    // GHSA-jq35-85cj-fj4p).
    for (const char *path : {"/proc/interrupts", "/sys/devices/virtual/powercap"}) {
        if (std::find(spec.maskedPaths.begin(), spec.maskedPaths.end(), path) == spec.maskedPaths.end())
            spec.maskedPaths.push_back(path);
    }
    spec.root = {o.rootfs, false};
    Spec checked = spec;
    if (checked.root.path.empty())
        checked.root.path = "rootfs"; // a spec to show: any path passes
    validateSpec(checked, o.source);
    return spec;
}

std::optional<double> cpusOf(const Resources &r)
{
    if (!r.cpuQuota || !r.cpuPeriod || *r.cpuQuota <= 0 || *r.cpuPeriod == 0)
        return std::nullopt;
    return static_cast<double>(*r.cpuQuota) / static_cast<double>(*r.cpuPeriod);
}

} // namespace hood
