// hoodctl network create|ls|inspect|rm and hoodctl port: thin over core/net.
// A network is a name, a subnet and a bridge (core/net/networks.h); its bridge is
// made by the first container that joins it and removed with the last.
#include "cli.h"
#include "table.h"

#include "error.h"
#include "net/attachment.h"
#include "net/networks.h"
#include "net/nft.h"
#include "runtime/runtime.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace hoodctl {

using hood::Error;
namespace net = hood::net;
using json = nlohmann::json;

namespace {

json networkJson(const net::NetworkDef &d)
{
    json containers = json::array();
    for (const net::Lease &l : net::leasesOf(d)) {
        json c = {{"id", l.id}, {"hostname", l.hostname}, {"address", net::formatIpv4(l.address)}};
        if (std::optional<net::Attachment> a = net::loadAttachment(l.stateDir)) {
            c["mac"] = a->mac;
            c["hostVeth"] = a->hostVeth;
            json ports = json::array();
            for (const net::PortMapping &p : a->ports)
                ports.push_back(p.text());
            c["ports"] = ports;
        }
        containers.push_back(c);
    }
    return {{"name", d.name}, {"subnet", d.subnet.text()}, {"gateway", net::formatIpv4(d.subnet.gateway())},
            {"bridge", d.bridge}, {"containers", containers}};
}

// The rules of `inet hood` as nft lists them (chain, handle, comment, expr).
json rulesJson()
{
    json rules = json::array();
    std::string text = net::nftListJson();
    if (text.empty())
        return rules;
    for (const json &item : json::parse(text, nullptr, false).value("nftables", json::array())) {
        if (item.contains("rule"))
            rules.push_back(item["rule"]);
    }
    return rules;
}

int networkCreate(Context &ctx, const Words &words)
{
    Options o(words, {"--subnet"}, {});
    if (o.positional().size() != 1)
        throw Error("give one network name (hoodctl network create NAME [--subnet 10.90.0.0/24])");
    std::optional<net::Subnet> subnet;
    if (auto text = o.value("--subnet"); text && !(subnet = net::parseSubnet(*text)))
        throw Error("--subnet " + *text + ": not an IPv4 subnet with its host bits zero (10.90.0.0/24)");
    net::NetworkLock lock(net::networksDir(ctx.root));
    net::NetworkDef d = net::createNetwork(ctx.root, o.positional().front(), subnet);
    std::cout << d.name << " " << d.subnet.text() << " (bridge " << d.bridge << ", made on first use)\n";
    return 0;
}

int networkList(Context &ctx, const Words &words)
{
    Options o(words, {}, {"--json"});
    std::vector<net::NetworkDef> nets = net::listNetworks(ctx.root);
    if (o.has("--json")) {
        json all = json::array();
        for (const net::NetworkDef &d : nets)
            all.push_back(networkJson(d));
        std::cout << all.dump(2) << "\n";
        return 0;
    }
    Table t({"NAME", "SUBNET", "GATEWAY", "BRIDGE", "CONTAINERS"});
    for (const net::NetworkDef &d : nets)
        t.add({d.name, d.subnet.text(), net::formatIpv4(d.subnet.gateway()), d.bridge,
               std::to_string(net::leasesOf(d).size())});
    t.print(std::cout);
    return 0;
}

int networkInspect(Context &ctx, const Words &words)
{
    Options o(words, {}, {"--json"});
    if (o.positional().size() != 1)
        throw Error("give one network name (hoodctl network inspect NAME)");
    std::optional<net::NetworkDef> d = net::findNetwork(ctx.root, o.positional().front());
    if (!d)
        throw Error("network \"" + o.positional().front() + "\" does not exist (hoodctl network ls lists them)");
    json j = networkJson(*d);
    j["rules"] = rulesJson();
    std::cout << j.dump(2) << "\n";
    return 0;
}

int networkRemove(Context &ctx, const Words &words)
{
    Options o(words, {}, {});
    if (o.positional().empty())
        throw Error("give the network's name (hoodctl network rm NAME)");
    net::NetworkLock lock(net::networksDir(ctx.root));
    for (const std::string &name : o.positional()) {
        net::removeNetwork(ctx.root, name);
        std::cout << name << "\n";
    }
    return 0;
}

} // namespace

int cmdNetwork(Context &ctx, const Words &words)
{
    const std::string verb = words.empty() ? "" : words.front();
    const Words rest(words.begin() + (words.empty() ? 0 : 1), words.end());
    if (verb == "create")
        return networkCreate(ctx, rest);
    if (verb == "ls" || verb == "list")
        return networkList(ctx, rest);
    if (verb == "inspect")
        return networkInspect(ctx, rest);
    if (verb == "rm" || verb == "remove")
        return networkRemove(ctx, rest);
    throw Error("hoodctl network " + verb + ": give create, ls, inspect or rm");
}

int cmdPort(Context &ctx, const Words &words)
{
    Options o(words, {}, {"--json"});
    if (o.positional().empty())
        throw Error("give a container ID (hoodctl port ID)");
    const std::string id = o.positional().front();
    ctx.runtime.info(id); // "does not exist" as every verb says it
    std::optional<net::Attachment> a = net::loadAttachment(ctx.runtime.containerDir(id));
    if (o.has("--json")) {
        std::cout << (a ? net::attachmentToJson(*a) : "{}\n");
        return 0;
    }
    for (const net::PortMapping &p : a ? a->ports : std::vector<net::PortMapping>())
        std::cout << p.containerPort << "/" << p.protocol << " -> " << (p.hostIp.empty() ? "0.0.0.0" : p.hostIp)
                  << ":" << p.hostPort << "\n";
    return 0;
}

} // namespace hoodctl
