// Spec -> config.json, in the key order `runc spec` uses, so the file reads like
// the ones users already know. parseSpec(specToJson(s)).spec == s (tested).
#include "spec.h"

#include <nlohmann/json.hpp>

namespace hood {

namespace {

using Json = nlohmann::ordered_json;

Json capabilitiesJson(const Capabilities &caps)
{
    // Every set is written, even an empty one: an empty set means "none", not "unchanged".
    return {{"bounding", caps.bounding},   {"effective", caps.effective}, {"inheritable", caps.inheritable},
            {"permitted", caps.permitted}, {"ambient", caps.ambient}};
}

Json processJson(const Process &p)
{
    Json user = {{"uid", p.uid}, {"gid", p.gid}};
    if (!p.additionalGids.empty())
        user["additionalGids"] = p.additionalGids;
    Json j = {{"terminal", p.terminal}, {"user", user}, {"args", p.args}, {"env", p.env}, {"cwd", p.cwd}};
    if (p.capabilities)
        j["capabilities"] = capabilitiesJson(*p.capabilities);
    if (!p.rlimits.empty()) {
        Json &rlimits = j["rlimits"] = Json::array();
        for (const Rlimit &r : p.rlimits)
            rlimits.push_back({{"type", r.type}, {"hard", r.hard}, {"soft", r.soft}});
    }
    j["noNewPrivileges"] = p.noNewPrivileges;
    if (p.oomScoreAdj)
        j["oomScoreAdj"] = *p.oomScoreAdj;
    return j;
}

Json mountsJson(const std::vector<Mount> &mounts)
{
    Json j = Json::array();
    for (const Mount &m : mounts) {
        Json mount = {{"destination", m.destination}, {"type", m.type}, {"source", m.source}};
        if (!m.options.empty())
            mount["options"] = m.options;
        j.push_back(std::move(mount));
    }
    return j;
}

Json idMappingsJson(const std::vector<IdMapping> &mappings)
{
    Json j = Json::array();
    for (const IdMapping &m : mappings)
        j.push_back({{"containerID", m.containerID}, {"hostID", m.hostID}, {"size", m.size}});
    return j;
}

Json resourcesJson(const Resources &r)
{
    Json j = Json::object();
    if (r.memoryLimit)
        j["memory"]["limit"] = *r.memoryLimit;
    if (r.cpuShares)
        j["cpu"]["shares"] = *r.cpuShares;
    if (r.cpuQuota)
        j["cpu"]["quota"] = *r.cpuQuota;
    if (r.cpuPeriod)
        j["cpu"]["period"] = *r.cpuPeriod;
    if (r.pidsLimit)
        j["pids"]["limit"] = *r.pidsLimit;
    if (!r.devices.empty()) {
        Json &devices = j["devices"] = Json::array();
        for (const DeviceRule &d : r.devices) {
            Json rule = {{"allow", d.allow}, {"type", std::string(1, d.type)}};
            if (d.major >= 0)
                rule["major"] = d.major;
            if (d.minor >= 0)
                rule["minor"] = d.minor;
            rule["access"] = d.access;
            devices.push_back(std::move(rule));
        }
    }
    return j;
}

Json linuxJson(const Spec &spec)
{
    Json j = Json::object();
    if (!spec.uidMappings.empty())
        j["uidMappings"] = idMappingsJson(spec.uidMappings);
    if (!spec.gidMappings.empty())
        j["gidMappings"] = idMappingsJson(spec.gidMappings);
    if (!spec.resources.empty() || !spec.resources.devices.empty())
        j["resources"] = resourcesJson(spec.resources);
    if (!spec.cgroupsPath.empty())
        j["cgroupsPath"] = spec.cgroupsPath;
    for (const auto &[key, value] : spec.sysctl)
        j["sysctl"][key] = value;
    Json &namespaces = j["namespaces"] = Json::array();
    for (const NamespaceSetting &ns : spec.namespaces) {
        Json entry = {{"type", nsInfo(ns.kind).ociName}};
        if (!ns.path.empty())
            entry["path"] = ns.path;
        namespaces.push_back(std::move(entry));
    }
    if (!spec.maskedPaths.empty())
        j["maskedPaths"] = spec.maskedPaths;
    if (!spec.readonlyPaths.empty())
        j["readonlyPaths"] = spec.readonlyPaths;
    if (spec.seccomp)
        j["seccomp"] = seccompToJson(*spec.seccomp);
    return j;
}

Json hooksJson(const Hooks &h)
{
    Json j = Json::object();
    for (const auto &[name, list] : h.points()) {
        if (list->empty())
            continue;
        Json &out = j[name] = Json::array();
        for (const Hook &hook : *list) {
            Json entry = {{"path", hook.path}};
            if (!hook.args.empty())
                entry["args"] = hook.args;
            if (!hook.env.empty())
                entry["env"] = hook.env;
            if (hook.timeout)
                entry["timeout"] = *hook.timeout;
            out.push_back(std::move(entry));
        }
    }
    return j;
}

} // namespace

std::string specToJson(const Spec &spec)
{
    Json j = {{"ociVersion", spec.ociVersion}, {"process", processJson(spec.process)},
              {"root", {{"path", spec.root.path}, {"readonly", spec.root.readonly}}}};
    if (!spec.hostname.empty())
        j["hostname"] = spec.hostname;
    if (!spec.mounts.empty())
        j["mounts"] = mountsJson(spec.mounts);
    if (!spec.hooks.empty())
        j["hooks"] = hooksJson(spec.hooks);
    j["linux"] = linuxJson(spec);
    // Bytes that are not UTF-8 become U+FFFD, as Go's encoding/json (runc) writes them.
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace hood
