#include "attachment.h"
#include "slirp.h"

#include "error.h"
#include "sys/fileio.h"

#include <nlohmann/json.hpp>

namespace hood::net {

using json = nlohmann::json;

namespace {
Mode modeFromName(const std::string &name)
{
    for (Mode m : {Mode::None, Mode::Bridge, Mode::Host, Mode::Container, Mode::Slirp4netns}) {
        if (name == modeName(m))
            return m;
    }
    return Mode::None;
}
} // namespace

std::string attachmentToJson(const Attachment &a)
{
    json ports = json::array();
    for (const PortMapping &p : a.ports)
        ports.push_back({{"hostIp", p.hostIp}, {"hostPort", p.hostPort}, {"containerPort", p.containerPort},
                         {"protocol", p.protocol}});
    json j = {{"mode", modeName(a.mode)}, {"ports", ports}};
    if (a.bridged()) {
        j["network"] = a.network;
        j["bridge"] = a.bridge;
        j["hostVeth"] = a.hostVeth;
        j["mac"] = a.mac;
    }
    if (a.bridged() || a.mode == Mode::Slirp4netns) {
        j["address"] = formatIpv4(a.address);
        j["prefix"] = a.prefix;
        j["gateway"] = formatIpv4(a.gateway);
    }
    if (!a.container.empty())
        j["container"] = a.container;
    return j.dump(1) + "\n";
}

Attachment attachmentFromJson(const std::string &text, const std::string &source)
{
    json j = json::parse(text, nullptr, false);
    if (!j.is_object())
        throw Error(source + ": not a network attachment");
    Attachment a;
    a.mode = modeFromName(j.value("mode", "none"));
    a.network = j.value("network", "");
    a.bridge = j.value("bridge", "");
    a.hostVeth = j.value("hostVeth", "");
    a.mac = j.value("mac", "");
    a.address = parseIpv4(j.value("address", "0.0.0.0")).value_or(0);
    a.gateway = parseIpv4(j.value("gateway", "0.0.0.0")).value_or(0);
    a.prefix = j.value("prefix", 0);
    a.container = j.value("container", "");
    for (const json &p : j.value("ports", json::array()))
        a.ports.push_back({p.value("hostIp", ""), p.value("hostPort", uint16_t(0)), p.value("containerPort", uint16_t(0)),
                           p.value("protocol", "tcp")});
    return a;
}

std::optional<Attachment> loadAttachment(const std::string &stateDir)
{
    std::optional<std::string> text = readFileIfExists(stateDir + "/network.json");
    if (!text)
        return std::nullopt;
    return attachmentFromJson(*text, stateDir + "/network.json");
}

std::string describeAttachment(const Attachment &a)
{
    switch (a.mode) {
    case Mode::Bridge:
        return "bridge: eth0 " + formatIpv4(a.address) + "/" + std::to_string(a.prefix) + " (" + a.mac
               + ") on " + a.bridge + " of network " + a.network + " through veth " + a.hostVeth + ", default via "
               + formatIpv4(a.gateway) + ".";
    case Mode::Slirp4netns:
        return "slirp4netns: " + std::string(kSlirpTap) + " " + formatIpv4(a.address) + "/" + std::to_string(a.prefix)
               + ", default via " + formatIpv4(a.gateway) + " and DNS at " + formatIpv4(kSlirpDns)
               + ": a user-mode stack that connects out with ordinary sockets as the container's user, so it needs "
                 "no root; the host's 127.0.0.1 is not reachable (--disable-host-loopback).";
    case Mode::Host:
        return "host: no network namespace of its own; the container uses the host's interfaces.";
    case Mode::Container:
        return "container:" + a.container + ": that container's network namespace, shared.";
    case Mode::None:
        break;
    }
    return "none: a network namespace with loopback only. " + rootlessNetworkNote();
}

} // namespace hood::net
