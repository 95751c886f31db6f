#include "inspectjson.h"

namespace hood::inspect {

void to_json(nlohmann::json &j, const NsEntry &entry)
{
    const NsInfo &info = nsInfo(entry.kind);
    j = {{"type", info.procName}, {"state", nsStateName(entry.state)}};
    if (entry.state == NsState::Ok) {
        j["inode"] = entry.id.inode;
        j["device"] = entry.id.device;
        j["sharedWithHost"] = entry.sharedWithHost;
        j["sharedWith"] = entry.sharedWith;
    } else {
        j["error"] = entry.error;
    }
}

void to_json(nlohmann::json &j, const NsView &view)
{
    j = {{"pid", view.pid},
         {"hostReference", view.hostReference},
         {"namespaces", nlohmann::json::array()}};
    for (const NsEntry &entry : view.entries)
        j["namespaces"].push_back(entry);
}

void to_json(nlohmann::json &j, const MountEntry &mount)
{
    j = {{"id", mount.id},
         {"parentId", mount.parentId},
         {"device", std::to_string(mount.devMajor) + ":" + std::to_string(mount.devMinor)},
         {"root", mount.root},
         {"target", mount.target},
         {"source", mount.source},
         {"fstype", mount.fstype},
         {"vfsOptions", mount.vfsOptions},
         {"fsOptions", mount.fsOptions},
         {"propagation", propagationName(mount.propagation)},
         {"optionalFields", mount.optionalFields}};
}

void to_json(nlohmann::json &j, const MountTree &tree)
{
    j = nlohmann::json::array();
    for (const MountEntry &mount : tree.mounts)
        j.push_back(mount);
}

nlohmann::json addedMountsJson(const MountTree &tree, const MountDiff &diff)
{
    nlohmann::json added = nlohmann::json::array();
    for (int index : diff.added)
        added.push_back(tree.mounts.at(static_cast<size_t>(index)));
    return added;
}

void to_json(nlohmann::json &j, const ProcessInfo &process)
{
    j = {{"pid", process.pid},         {"nsPid", process.nsPid},
         {"ppid", process.ppid},       {"name", process.name},
         {"args", process.args},       {"state", std::string(1, process.state)},
         {"threads", process.threads}, {"uid", process.uid},
         {"rssKiB", process.rssKiB}};
}

void to_json(nlohmann::json &j, const ProcessTree &tree)
{
    j = nlohmann::json::array();
    for (const ProcessInfo &process : tree.processes)
        j.push_back(process);
}

void to_json(nlohmann::json &j, const NetLink &link)
{
    j = {{"ifindex", link.ifindex},
         {"name", link.name},
         {"type", link.type()},
         {"up", link.up},
         {"operState", link.operState},
         {"mac", link.mac},
         {"mtu", link.mtu},
         {"linkIndex", link.linkIndex},
         {"masterIndex", link.masterIndex},
         {"rxBytes", link.rxBytes},
         {"txBytes", link.txBytes},
         {"rxPackets", link.rxPackets},
         {"txPackets", link.txPackets}};
    if (link.linkNetnsId)
        j["linkNetnsId"] = *link.linkNetnsId;
}

void to_json(nlohmann::json &j, const NetAddress &address)
{
    j = {{"ifindex", address.ifindex},
         {"family", address.family},
         {"address", address.address},
         {"prefixLen", address.prefixLen},
         {"scope", address.scope}};
}

void to_json(nlohmann::json &j, const NetRoute &route)
{
    j = {{"family", route.family}, {"dst", route.dst},
         {"table", route.table},   {"protocol", route.protocol},
         {"scope", route.scope},   {"type", route.type},
         {"metric", route.metric}, {"nextHops", nlohmann::json::array()}};
    for (const NetNextHop &hop : route.nextHops)
        j["nextHops"].push_back({{"gateway", hop.gateway}, {"ifindex", hop.ifindex}});
    if (!route.prefSrc.empty())
        j["prefSrc"] = route.prefSrc;
}

void to_json(nlohmann::json &j, const NetView &view)
{
    j = {{"links", view.links}, {"addresses", view.addresses}, {"routes", view.routes}};
}

} // namespace hood::inspect
