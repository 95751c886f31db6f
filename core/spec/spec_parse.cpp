// config.json -> Spec. A pure function of bytes: no file access, so every accepted
// and rejected input is a fixture row in tests/core/tst_spec.cpp.
//
// Each JSON object is read against a table of the keys Hood knows. A key outside
// the table is ignored with a warning rather than rejected, so bundles written by
// runc, podman or newer tools still run; OCI fields that Hood does not implement get
// a warning of their own, so a user can tell them from a typo.
#include "spec.h"
#include "spec_rules.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sys/capability.h>
#include <functional>
#include <initializer_list>
#include <limits>
#include <type_traits>

namespace hood {

namespace {

// Ordered, so that warnings come in the order of the file.
using Json = nlohmann::ordered_json;
using Read = std::function<void(const Json &, const std::string &path)>;

struct Field {
    std::string_view key;
    Read read;
};

std::string member(const std::string &path, std::string_view key)
{
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

class Reader {
public:
    Reader(std::string_view source, std::vector<std::string> &warnings)
        : m_source(source), m_warnings(warnings) {}

    void spec(const Json &j, Spec &spec);
    void resourcesOnly(const Json &j, Resources &r) { resources(j, "linux.resources", r); }

private:
    [[noreturn]] void fail(const std::string &path, std::string_view what) const
    {
        rules::fail(m_source, path, what);
    }

    void object(const Json &j, const std::string &path, std::initializer_list<Field> fields,
                std::initializer_list<std::string_view> unimplemented = {});
    void require(const Json &j, const std::string &path,
                 std::initializer_list<std::string_view> keys) const;

    // Readers that store a value of the matching type into `out`.
    Read into(bool &out);
    Read into(std::string &out);
    Read into(std::vector<std::string> &out);
    template <class T> Read into(T &out, std::string_view rule);
    template <class T> Read into(std::optional<T> &out, std::string_view rule);
    template <class T>
    Read list(std::vector<T> &out, void (Reader::*item)(const Json &, const std::string &, T &));

    void process(const Json &j, const std::string &path, Process &p);
    void user(const Json &j, const std::string &path, Process &p);
    void capabilities(const Json &j, const std::string &path, Capabilities &caps);
    void rlimit(const Json &j, const std::string &path, Rlimit &r);
    void root(const Json &j, const std::string &path, Root &r);
    void mount(const Json &j, const std::string &path, Mount &m);
    void linux(const Json &j, const std::string &path, Spec &spec);
    void namespaceSetting(const Json &j, const std::string &path, NamespaceSetting &ns);
    void idMapping(const Json &j, const std::string &path, IdMapping &m);
    void resources(const Json &j, const std::string &path, Resources &r);
    void deviceRule(const Json &j, const std::string &path, DeviceRule &d);
    void hooks(const Json &j, const std::string &path, Hooks &h);
    void hook(const Json &j, const std::string &path, Hook &h);

    std::string_view m_source;
    std::vector<std::string> &m_warnings;
};

void Reader::object(const Json &j, const std::string &path, std::initializer_list<Field> fields,
                    std::initializer_list<std::string_view> unimplemented)
{
    if (!j.is_object())
        fail(path, path.empty() ? "must be a JSON object" : "must be an object");
    for (const auto &[key, value] : j.items()) {
        const std::string at = member(path, key);
        auto field = std::find_if(fields.begin(), fields.end(),
                                  [&key = key](const Field &f) { return f.key == key; });
        if (field != fields.end()) {
            // Go's encoding/json reads null as "not set"; so does Hood.
            if (!value.is_null())
                field->read(value, at);
        } else if (std::find(unimplemented.begin(), unimplemented.end(), key) != unimplemented.end()) {
            m_warnings.push_back(std::string(m_source) + ": " + at
                                 + " ignored (an OCI field Hood does not implement)");
        } else {
            m_warnings.push_back(std::string(m_source) + ": unknown field " + at + " ignored");
        }
    }
}

void Reader::require(const Json &j, const std::string &path,
                     std::initializer_list<std::string_view> keys) const
{
    for (std::string_view key : keys) {
        auto it = j.find(key);
        if (it == j.end() || it->is_null())
            fail(member(path, key), "required field missing");
    }
}

Read Reader::into(bool &out)
{
    return [this, &out](const Json &v, const std::string &at) {
        if (!v.is_boolean())
            fail(at, "must be true or false");
        out = v.get<bool>();
    };
}

Read Reader::into(std::string &out)
{
    return [this, &out](const Json &v, const std::string &at) {
        if (!v.is_string())
            fail(at, "must be a string");
        out = v.get<std::string>();
    };
}

Read Reader::into(std::vector<std::string> &out)
{
    return [this, &out](const Json &v, const std::string &at) {
        if (!v.is_array() || !std::all_of(v.begin(), v.end(), [](const Json &s) { return s.is_string(); }))
            fail(at, "must be an array of strings");
        out = v.get<std::vector<std::string>>();
    };
}

// Integers only, and only those T can hold; the rule names the field's range.
template <class T> Read Reader::into(T &out, std::string_view rule)
{
    return [this, &out, rule](const Json &v, const std::string &at) {
        if (v.is_number_unsigned()) {
            const auto u = v.get<uint64_t>();
            if (u <= static_cast<uint64_t>(std::numeric_limits<T>::max())) {
                out = static_cast<T>(u);
                return;
            }
        } else if (v.is_number_integer()) { // a negative one
            if constexpr (std::is_signed_v<T>) {
                const auto s = v.get<int64_t>();
                if (s >= std::numeric_limits<T>::min()) {
                    out = static_cast<T>(s);
                    return;
                }
            }
        }
        fail(at, rule);
    };
}

template <class T> Read Reader::into(std::optional<T> &out, std::string_view rule)
{
    return [this, &out, rule](const Json &v, const std::string &at) { into(out.emplace(), rule)(v, at); };
}

template <class T>
Read Reader::list(std::vector<T> &out, void (Reader::*item)(const Json &, const std::string &, T &))
{
    return [this, &out, item](const Json &v, const std::string &at) {
        if (!v.is_array())
            fail(at, "must be an array of objects");
        out.clear();
        for (size_t i = 0; i < v.size(); ++i)
            (this->*item)(v[i], at + "[" + std::to_string(i) + "]", out.emplace_back());
    };
}

void Reader::spec(const Json &j, Spec &spec)
{
    object(j, "", {
        {"ociVersion", into(spec.ociVersion)},
        {"process", [&](const Json &v, const std::string &at) { process(v, at, spec.process); }},
        {"root", [&](const Json &v, const std::string &at) { root(v, at, spec.root); }},
        {"hostname", into(spec.hostname)},
        {"mounts", list(spec.mounts, &Reader::mount)},
        {"linux", [&](const Json &v, const std::string &at) { linux(v, at, spec); }},
        {"hooks", [&](const Json &v, const std::string &at) { hooks(v, at, spec.hooks); }},
    }, {"annotations", "domainname", "solaris", "windows", "vm", "zos"});
}

void Reader::hooks(const Json &j, const std::string &path, Hooks &h)
{
    object(j, path, {
        {"prestart", list(h.prestart, &Reader::hook)},
        {"createRuntime", list(h.createRuntime, &Reader::hook)},
        {"createContainer", list(h.createContainer, &Reader::hook)},
        {"startContainer", list(h.startContainer, &Reader::hook)},
        {"poststart", list(h.poststart, &Reader::hook)},
        {"poststop", list(h.poststop, &Reader::hook)},
    });
}

void Reader::hook(const Json &j, const std::string &path, Hook &h)
{
    object(j, path, {
        {"path", into(h.path)},
        {"args", into(h.args)},
        {"env", into(h.env)},
        {"timeout", into(h.timeout, rules::kHookTimeout)},
    });
    require(j, path, {"path"});
}

void Reader::process(const Json &j, const std::string &path, Process &p)
{
    object(j, path, {
        {"terminal", into(p.terminal)},
        {"user", [&](const Json &v, const std::string &at) { user(v, at, p); }},
        {"args", into(p.args)},
        {"env", into(p.env)},
        {"cwd", into(p.cwd)},
        {"capabilities", [&](const Json &v, const std::string &at) {
             capabilities(v, at, p.capabilities.emplace());
         }},
        {"rlimits", list(p.rlimits, &Reader::rlimit)},
        {"noNewPrivileges", into(p.noNewPrivileges)},
        {"oomScoreAdj", into(p.oomScoreAdj, rules::kOomScoreAdj)},
    }, {"consoleSize", "commandLine", "apparmorProfile", "selinuxLabel",
        "scheduler", "ioPriority", "execCPUAffinity"});
}

void Reader::user(const Json &j, const std::string &path, Process &p)
{
    object(j, path, {
        {"uid", into(p.uid, rules::kId)},
        {"gid", into(p.gid, rules::kId)},
        {"additionalGids", [&](const Json &v, const std::string &at) {
             if (!v.is_array())
                 fail(at, "must be an array of group IDs");
             p.additionalGids.resize(v.size());
             for (size_t i = 0; i < v.size(); ++i)
                 into(p.additionalGids[i], rules::kId)(v[i], at + "[" + std::to_string(i) + "]");
         }},
    }, {"umask", "username"});
}

void Reader::capabilities(const Json &j, const std::string &path, Capabilities &caps)
{
    object(j, path, {
        {"bounding", into(caps.bounding)},
        {"effective", into(caps.effective)},
        {"inheritable", into(caps.inheritable)},
        {"permitted", into(caps.permitted)},
        {"ambient", into(caps.ambient)},
    });
}

void Reader::rlimit(const Json &j, const std::string &path, Rlimit &r)
{
    object(j, path, {
        {"type", into(r.type)},
        {"hard", into(r.hard, rules::kRlimitValue)},
        {"soft", into(r.soft, rules::kRlimitValue)},
    });
    require(j, path, {"type", "hard", "soft"});
}

void Reader::root(const Json &j, const std::string &path, Root &r)
{
    object(j, path, {{"path", into(r.path)}, {"readonly", into(r.readonly)}});
}

void Reader::mount(const Json &j, const std::string &path, Mount &m)
{
    object(j, path, {
        {"destination", into(m.destination)},
        {"type", into(m.type)},
        {"source", into(m.source)},
        {"options", into(m.options)},
    }, {"uidMappings", "gidMappings"});
}

void Reader::linux(const Json &j, const std::string &path, Spec &spec)
{
    object(j, path, {
        {"namespaces", list(spec.namespaces, &Reader::namespaceSetting)},
        {"uidMappings", list(spec.uidMappings, &Reader::idMapping)},
        {"gidMappings", list(spec.gidMappings, &Reader::idMapping)},
        {"resources", [&](const Json &v, const std::string &at) { resources(v, at, spec.resources); }},
        {"cgroupsPath", into(spec.cgroupsPath)},
        {"maskedPaths", into(spec.maskedPaths)},
        {"readonlyPaths", into(spec.readonlyPaths)},
        {"seccomp", [&](const Json &v, const std::string &at) {
             spec.seccomp = seccompFromJson(v, m_source, at, m_warnings);
         }},
        {"sysctl", [&](const Json &v, const std::string &at) {
             if (!v.is_object())
                 fail(at, "must be an object of strings (\"net.ipv4.ip_forward\": \"1\")");
             for (const auto &[key, value] : v.items()) {
                 if (!value.is_string())
                     fail(at + "." + key, "must be a string");
                 spec.sysctl.emplace_back(key, value.get<std::string>());
             }
         }},
    }, {"devices", "rootfsPropagation", "mountLabel", "intelRdt",
        "personality", "timeOffsets", "memoryPolicy", "netDevices"});
}

void Reader::namespaceSetting(const Json &j, const std::string &path, NamespaceSetting &ns)
{
    static const std::string kRule = [] {
        std::string rule = "must be one of ";
        for (const NsInfo &info : kNamespaces)
            rule.append(info.ociName).append(", ");
        rule.resize(rule.size() - 2);
        return rule;
    }();
    object(j, path, {
        {"type", [&](const Json &v, const std::string &at) {
             const NsInfo *info = v.is_string() ? findNamespace(v.get<std::string>()) : nullptr;
             // findNamespace also takes "mnt" and "net"; config.json has only the OCI names.
             if (!info || info->ociName != v.get<std::string>())
                 fail(at, kRule);
             ns.kind = info->kind;
         }},
        {"path", into(ns.path)},
    });
    if (!j.contains("type"))
        fail(member(path, "type"), kRule);
}

void Reader::idMapping(const Json &j, const std::string &path, IdMapping &m)
{
    object(j, path, {
        {"containerID", into(m.containerID, rules::kId)},
        {"hostID", into(m.hostID, rules::kId)},
        {"size", into(m.size, rules::kId)},
    });
    require(j, path, {"containerID", "hostID", "size"});
}

void Reader::resources(const Json &j, const std::string &path, Resources &r)
{
    object(j, path, {
        {"memory", [&](const Json &v, const std::string &at) {
             object(v, at, {{"limit", into(r.memoryLimit, rules::kMemoryLimit)}},
                    {"reservation", "swap", "kernel", "kernelTCP", "swappiness",
                     "disableOOMKiller", "useHierarchy", "checkBeforeUpdate"});
         }},
        {"cpu", [&](const Json &v, const std::string &at) {
             object(v, at, {
                 {"quota", into(r.cpuQuota, rules::kCpuQuota)},
                 {"period", into(r.cpuPeriod, rules::kCpuPeriod)},
                 {"shares", into(r.cpuShares, rules::kCpuShares)},
             }, {"realtimeRuntime", "realtimePeriod", "cpus", "mems", "idle", "burst"});
             // Docker 20.10 sends 0 for "not set" (runc reads it so too).
             for (auto *field : {&r.cpuShares, &r.cpuPeriod})
                 if (*field && **field == 0)
                     field->reset();
         }},
        {"pids", [&](const Json &v, const std::string &at) {
             object(v, at, {{"limit", into(r.pidsLimit, rules::kPidsLimit)}});
         }},
        {"devices", list(r.devices, &Reader::deviceRule)},
    }, {"blockIO", "hugepageLimits", "network", "rdma", "unified"});
}

void Reader::deviceRule(const Json &j, const std::string &path, DeviceRule &d)
{
    std::string type = "a";
    object(j, path, {
        {"allow", into(d.allow)},
        {"type", into(type)},
        {"major", into(d.major, rules::kDeviceNumber)},
        {"minor", into(d.minor, rules::kDeviceNumber)},
        {"access", into(d.access)},
    });
    require(j, path, {"allow"});
    if (type != "a" && type != "b" && type != "c")
        fail(member(path, "type"), "must be a (all), b (block) or c (char)");
    d.type = type[0];
    if (d.access.empty() || d.access.find_first_not_of("rwm") != std::string::npos)
        fail(member(path, "access"), "must be letters of rwm (read, write, mknod)");
}

// A well-formed name this kernel (or libcap) does not know, such as CAP_BPF on an
// older kernel: warned and left out, as runc does, since podman and Docker send
// the names of their own release whatever the host runs.
void dropUnknownCapabilities(Spec &spec, std::string_view source, std::vector<std::string> &warnings)
{
    if (!spec.process.capabilities)
        return;
    static const long lastCap = [] {
        std::ifstream in("/proc/sys/kernel/cap_last_cap");
        long n = -1;
        in >> n;
        return n;
    }();
    auto wellFormed = [](const std::string &n) {
        return n.size() > 4 && n.starts_with("CAP_")
            && std::all_of(n.begin(), n.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '_'; });
    };
    Capabilities &c = *spec.process.capabilities;
    for (std::vector<std::string> *set : {&c.bounding, &c.effective, &c.inheritable, &c.permitted, &c.ambient}) {
        std::erase_if(*set, [&](const std::string &name) {
            cap_value_t value;
            bool known = cap_from_name(name.c_str(), &value) == 0 && (lastCap < 0 || value <= lastCap);
            if (known || !wellFormed(name))
                return false; // a malformed name is the validator's to refuse
            std::string w = std::string(source) + ": capability " + name + " is not known to this kernel; left out";
            if (std::find(warnings.begin(), warnings.end(), w) == warnings.end())
                warnings.push_back(w);
            return true;
        });
    }
}

// nlohmann reports where it stopped as a byte count; people think in lines and columns.
std::string position(std::string_view text, size_t byte)
{
    const std::string_view before = text.substr(0, byte > 0 ? byte - 1 : 0);
    const size_t line = 1 + std::count(before.begin(), before.end(), '\n');
    const size_t lastNewline = before.rfind('\n'); // npos + 1 == 0: the first line
    const size_t column = before.size() - (lastNewline + 1) + 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// "...syntax error while parsing value - invalid literal; last read: 'tru}'" ->
// "invalid literal". The echoed input can hold invalid UTF-8, so it is dropped.
std::string syntaxProblem(const std::string &what)
{
    const size_t dash = what.find(" - ");
    std::string problem = dash == std::string::npos ? what : what.substr(dash + 3);
    const size_t lastRead = problem.find("; last read: '");
    if (lastRead != std::string::npos) {
        const size_t expected = problem.rfind("'; expected ");
        problem = problem.substr(0, lastRead)
                + (expected > lastRead && expected != std::string::npos ? problem.substr(expected + 1) : "");
    }
    return problem;
}

// Valid JSON that no double holds, like 1e999. nlohmann names the number but not
// where it is, so it is looked up in the text.
std::string numberOutOfRange(std::string_view text, const std::string &what)
{
    const size_t open = what.find(" '");
    const std::string number = open == std::string::npos ? "" : what.substr(open + 2, what.size() - open - 3);
    const size_t at = number.empty() ? std::string_view::npos : text.find(number);
    if (at == std::string_view::npos)
        return "a number is out of range";
    return "number at " + position(text, at + 1) + " is out of range: " + number;
}

} // namespace

namespace {
Json parseJson(std::string_view json, std::string_view source)
{
    try {
        return Json::parse(json);
    } catch (const nlohmann::json::parse_error &e) {
        throw Error(std::string(source) + ": syntax error at " + position(json, e.byte) + ": "
                    + syntaxProblem(e.what()));
    } catch (const nlohmann::json::out_of_range &e) {
        throw Error(std::string(source) + ": " + numberOutOfRange(json, e.what()));
    }
}
} // namespace

Resources parseResources(std::string_view json, std::string_view source, std::vector<std::string> &warnings)
{
    Resources r;
    Reader(source, warnings).resourcesOnly(parseJson(json, source), r);
    // containerd's shim sends every field, 0 for the ones not changed (runc's
    // update reads 0 so); in a config.json, 0 stays an error.
    if (r.memoryLimit == 0)
        r.memoryLimit.reset();
    if (r.pidsLimit == 0)
        r.pidsLimit.reset();
    if (r.cpuQuota == 0)
        r.cpuQuota.reset();
    validateResources(r, source);
    return r;
}

ParsedSpec parseSpec(std::string_view json, std::string_view source)
{
    Json j = parseJson(json, source);
    ParsedSpec parsed;
    Reader(source, parsed.warnings).spec(j, parsed.spec);
    dropUnknownCapabilities(parsed.spec, source, parsed.warnings);
    validateSpec(parsed.spec, source);
    return parsed;
}

} // namespace hood
