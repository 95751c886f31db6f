// Checks on a Spec's values, whether it came from config.json or from hoodctl's
// flags. Each rule is one the kernel or the OCI spec would enforce later, checked
// here so that the user reads which field is wrong instead of a bare EINVAL.
#include "spec.h"
#include "spec_rules.h"

#include <sys/capability.h>

#include <algorithm>
#include <cstdint>

namespace hood {

namespace {

constexpr size_t kHostNameMax = 64; // HOST_NAME_MAX; sethostname(2) refuses longer names

std::string item(std::string_view path, size_t index)
{
    return std::string(path) + "[" + std::to_string(index) + "]";
}

bool isAbsolute(const std::string &path)
{
    return !path.empty() && path.front() == '/';
}

// libcap also accepts numbers and lower case; the OCI spec (and runc) only "CAP_" names.
bool isCapability(const std::string &name)
{
    auto upper = [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; };
    cap_value_t value;
    return name.size() > 4 && name.starts_with("CAP_") && std::all_of(name.begin(), name.end(), upper)
        && cap_from_name(name.c_str(), &value) == 0;
}

// RFC 1123 host names: letters, digits, '-' and '.', starting with a letter or digit.
bool isHostName(const std::string &name)
{
    // ASCII by hand: isalnum() depends on the locale, and a parser must not.
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
    auto valid = [&](char c) { return alnum(c) || c == '-' || c == '.'; };
    return alnum(name.front()) && std::all_of(name.begin(), name.end(), valid);
}

class Validator {
public:
    explicit Validator(std::string_view source) : m_source(source) {}

    void spec(const Spec &spec);
    void resources(const Resources &r);

private:
    [[noreturn]] void fail(const std::string &path, std::string_view what) const
    {
        rules::fail(m_source, path, what);
    }

    void process(const Process &p);
    void rlimits(const std::vector<Rlimit> &rlimits);
    void capabilities(const Capabilities &caps);
    void hostname(const Spec &spec);
    void namespaces(const std::vector<NamespaceSetting> &namespaces);
    void idMappings(const std::vector<IdMapping> &mappings, std::string_view path, const Spec &spec);
    void absolutePaths(const std::vector<std::string> &paths, std::string_view path);
    void hooks(const Hooks &h);

    std::string_view m_source;
};

void Validator::spec(const Spec &spec)
{
    process(spec.process);
    if (spec.root.path.empty())
        fail("root.path", "must not be empty");
    hostname(spec);
    for (size_t i = 0; i < spec.mounts.size(); ++i) {
        if (!isAbsolute(spec.mounts[i].destination))
            fail(item("mounts", i) + ".destination", "must be an absolute path");
    }
    namespaces(spec.namespaces);
    idMappings(spec.uidMappings, "linux.uidMappings", spec);
    idMappings(spec.gidMappings, "linux.gidMappings", spec);
    resources(spec.resources);
    absolutePaths(spec.maskedPaths, "linux.maskedPaths");
    absolutePaths(spec.readonlyPaths, "linux.readonlyPaths");
    hooks(spec.hooks);
}

void Validator::hooks(const Hooks &h)
{
    for (const auto &[name, list] : h.points()) {
        for (size_t i = 0; i < list->size(); ++i) {
            const Hook &hook = (*list)[i];
            const std::string path = item("hooks." + std::string(name), i);
            if (!isAbsolute(hook.path))
                fail(path + ".path", "must be an absolute path");
            if (hook.timeout && *hook.timeout <= 0)
                fail(path + ".timeout", rules::kHookTimeout);
        }
    }
}

void Validator::process(const Process &p)
{
    if (p.args.empty())
        fail("process.args", "must not be empty");
    if (p.args.front().empty())
        fail("process.args[0]", "must not be empty");
    for (size_t i = 0; i < p.env.size(); ++i) {
        const size_t equals = p.env[i].find('=');
        if (equals == 0 || equals == std::string::npos)
            fail(item("process.env", i), "must be NAME=VALUE");
    }
    if (!isAbsolute(p.cwd))
        fail("process.cwd", "must be an absolute path");
    rlimits(p.rlimits);
    if (p.oomScoreAdj && (*p.oomScoreAdj < -1000 || *p.oomScoreAdj > 1000))
        fail("process.oomScoreAdj", rules::kOomScoreAdj);
    if (p.capabilities)
        capabilities(*p.capabilities);
}

void Validator::rlimits(const std::vector<Rlimit> &rlimits)
{
    for (size_t i = 0; i < rlimits.size(); ++i) {
        const Rlimit &r = rlimits[i];
        const std::string path = item("process.rlimits", i);
        if (!rlimitResource(r.type))
            fail(path + ".type", "\"" + r.type + "\" is not a resource limit (see getrlimit(2))");
        auto sameType = [&](const Rlimit &other) { return other.type == r.type; };
        if (std::any_of(rlimits.begin(), rlimits.begin() + i, sameType))
            fail(path + ".type", r.type + " is listed twice");
        if (r.soft > r.hard)
            fail(path + ".soft", "must not exceed hard (" + std::to_string(r.hard) + ")");
    }
}

void Validator::capabilities(const Capabilities &caps)
{
    const std::pair<std::string_view, const std::vector<std::string> *> sets[] = {
        {"bounding", &caps.bounding},   {"effective", &caps.effective}, {"inheritable", &caps.inheritable},
        {"permitted", &caps.permitted}, {"ambient", &caps.ambient},
    };
    for (const auto &[name, set] : sets) {
        for (size_t i = 0; i < set->size(); ++i) {
            if (!isCapability((*set)[i]))
                fail(item("process.capabilities." + std::string(name), i),
                     "unknown capability \"" + (*set)[i] + "\" (names look like CAP_CHOWN)");
        }
    }
}

void Validator::hostname(const Spec &spec)
{
    if (spec.hostname.empty())
        return;
    // Without its own UTS namespace the container would rename the host (runc refuses too).
    if (!spec.hasNamespace(NsKind::Uts))
        fail("hostname", "needs a uts namespace (add {\"type\": \"uts\"} to linux.namespaces)");
    if (spec.hostname.size() > kHostNameMax)
        fail("hostname", "must be at most 64 characters");
    if (!isHostName(spec.hostname))
        fail("hostname",
             "may contain only letters, digits, '-' and '.', and must start with a letter or digit");
}

void Validator::namespaces(const std::vector<NamespaceSetting> &namespaces)
{
    for (size_t i = 0; i < namespaces.size(); ++i) {
        const NamespaceSetting &ns = namespaces[i];
        const std::string path = item("linux.namespaces", i);
        if (std::any_of(namespaces.begin(), namespaces.begin() + i,
                        [&](const NamespaceSetting &o) { return o.kind == ns.kind; }))
            fail(path + ".type", std::string(nsInfo(ns.kind).ociName) + " is listed twice");
        if (!ns.path.empty() && !isAbsolute(ns.path))
            fail(path + ".path", "must be an absolute path");
    }
}

void Validator::idMappings(const std::vector<IdMapping> &mappings, std::string_view path, const Spec &spec)
{
    if (!mappings.empty() && !spec.hasNamespace(NsKind::User))
        fail(std::string(path), "needs a user namespace (add {\"type\": \"user\"} to linux.namespaces)");
    constexpr uint64_t kIdCount = uint64_t(1) << 32;
    for (size_t i = 0; i < mappings.size(); ++i) {
        const IdMapping &m = mappings[i];
        if (m.size == 0)
            fail(item(path, i) + ".size", "must be greater than 0");
        if (uint64_t(m.containerID) + m.size > kIdCount || uint64_t(m.hostID) + m.size > kIdCount)
            fail(item(path, i) + ".size", "the range goes past ID 4294967295");
    }
}

void Validator::resources(const Resources &r)
{
    const std::string path = "linux.resources";
    if (r.memoryLimit && *r.memoryLimit <= 0)
        fail(path + ".memory.limit", rules::kMemoryLimit);
    if (r.memoryLimit && *r.memoryLimit < rules::kMinMemoryLimit)
        fail(path + ".memory.limit", "must be at least 1 MiB (1048576 bytes)");
    // The kernel's CFS bandwidth bounds (kernel/sched/core.c): quota >= 1 ms, period 1 ms .. 1 s.
    if (r.cpuQuota && *r.cpuQuota != -1 && *r.cpuQuota < 1000)
        fail(path + ".cpu.quota", rules::kCpuQuota);
    if (r.cpuPeriod && (*r.cpuPeriod < 1000 || *r.cpuPeriod > 1000000))
        fail(path + ".cpu.period", rules::kCpuPeriod);
    // cgroup v1 cpu.shares range (MIN_SHARES, MAX_SHARES).
    if (r.cpuShares && (*r.cpuShares < 2 || *r.cpuShares > 262144))
        fail(path + ".cpu.shares", rules::kCpuShares);
    if (r.pidsLimit && *r.pidsLimit != -1 && *r.pidsLimit <= 0)
        fail(path + ".pids.limit", rules::kPidsLimit);
}

void Validator::absolutePaths(const std::vector<std::string> &paths, std::string_view path)
{
    for (size_t i = 0; i < paths.size(); ++i) {
        if (!isAbsolute(paths[i]))
            fail(item(path, i), "must be an absolute path");
    }
}

} // namespace

void validateSpec(const Spec &spec, std::string_view source)
{
    Validator(source).spec(spec);
}

void validateResources(const Resources &resources, std::string_view source)
{
    Validator(source).resources(resources);
}

} // namespace hood
