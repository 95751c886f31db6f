#include "netstep.h"

#include "error.h"
#include "net/links.h"
#include "net/networks.h"
#include "net/nft.h"
#include "netresources.h"
#include "privops.h"
#include "sys/fileio.h"

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

namespace hood {

namespace {

std::string stateRootOf(const LaunchConfig &c)
{
    return c.stateDir.substr(0, c.stateDir.rfind('/'));
}

std::string portClaim(const std::string &networksDir, const net::PortMapping &p)
{
    return networksDir + "/ports/" + p.protocol + "-" + std::to_string(p.hostPort);
}

// Bad input is refused before anything is journaled: a claim of another
// container's port must never be in our journal, or our gc would free it.
void checkPortsFree(const std::string &networksDir, const std::vector<net::PortMapping> &ports)
{
    for (size_t i = 0; i < ports.size(); ++i) {
        for (size_t j = 0; j < i; ++j) {
            if (ports[j].hostPort == ports[i].hostPort && ports[j].protocol == ports[i].protocol)
                throw Error("-p " + ports[i].text() + ": host port " + std::to_string(ports[i].hostPort) + "/"
                            + ports[i].protocol + " is given twice");
        }
        std::optional<std::string> owner = readFileIfExists(portClaim(networksDir, ports[i]));
        if (owner)
            throw Error("-p " + ports[i].text() + ": host port " + std::to_string(ports[i].hostPort) + "/"
                        + ports[i].protocol + " is already published by container \""
                        + owner->substr(0, owner->find('\n')) + "\"");
    }
}

std::string hostResolvConf()
{
    std::string host;
    readFileNoThrow("/etc/resolv.conf", host);
    // A resolver on the host's loopback (systemd-resolved, dnsmasq) is not the
    // container's loopback: docker falls back to public servers, so does Hood.
    if (host.empty() || host.find("nameserver 127.") != std::string::npos)
        return "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";
    return host;
}

void writeEtcFiles(const LaunchConfig &c, const net::NetworkDef &net)
{
    std::string hostname = c.spec.hostname.empty() ? c.id : c.spec.hostname;
    writeNewFile(c.stateDir + "/hostname", hostname + "\n", 0644);
    writeNewFile(c.stateDir + "/resolv.conf", hostResolvConf(), 0644);
    writeNewFile(c.stateDir + "/hosts", net::hostsFile(net, c.id), 0644);
}

// slirp4netns: its fixed address, and its DNS forwarder at 10.0.2.3 (which asks
// the host's resolvers, loopback ones included). Nothing on the host to journal.
void prepareSlirp(LaunchConfig &c)
{
    net::Attachment &a = c.attachment;
    a.address = net::kSlirpAddress;
    a.gateway = net::kSlirpGateway;
    a.prefix = net::kSlirpPrefix;
    // --rootless as root: root inside is nobody outside, who cannot walk into the
    // root-only state directory to bind these, so the image's own /etc stays.
    if (c.userNamespace && geteuid() == 0)
        return;
    const std::string hostname = c.spec.hostname.empty() ? c.id : c.spec.hostname;
    writeNewFile(c.stateDir + "/hostname", hostname + "\n", 0644);
    writeNewFile(c.stateDir + "/resolv.conf", "nameserver " + net::formatIpv4(net::kSlirpDns) + "\n", 0644);
    writeNewFile(c.stateDir + "/hosts",
                 "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                     + net::formatIpv4(a.address) + "\t" + hostname + "\n",
                 0644);
    c.networkFiles = true;
}

void makeBridge(HostResources &r, const net::NetworkDef &net, bool publishes)
{
    // The table is made with the first bridge and goes after the last one, so a
    // bridge that is up vouches for it: no libnftables (dlopen, a netlink dump:
    // 1.5 ms) in a start that publishes no port. One that does checks, so that a
    // table flushed by someone else (nft flush ruleset) is made again.
    const bool vouched = !publishes && net::linkExists(net.bridge);
    r.acquire(resource::NftTable, net::networksDir(net.dir.substr(0, net.dir.rfind("/#networks/"))), [&] {
        if (!vouched && !net::nftTableExists())
            priv::nft("add table inet hood", net::nftTableCommands());
    });
    r.acquire(resource::Bridge, net.dir, [&] {
        if (net::linkExists(net.bridge))
            return;
        priv::addBridge(net.bridge, net.subnet.gateway(), net.subnet.prefix);
        priv::nft("network rules net:" + net.name, net::nftNetworkCommands(net.name, net.bridge, net.subnet));
    });
}

} // namespace

void prepareNetwork(LaunchConfig &c, HostResources &resources, const std::function<void(const std::string &)> &warn)
{
    if (!c.network)
        return;
    const net::NetworkOptions &o = *c.network;
    net::Attachment &a = c.attachment;
    a.mode = o.mode.value_or(net::Mode::None);
    a.container = o.container;
    if (a.mode != net::Mode::Bridge) {
        if (!o.ports.empty())
            throw Error("-p: published ports need --network bridge (this container's is " + std::string(net::modeName(a.mode)) + ")");
        if (!o.ip.empty() || !o.mac.empty())
            throw Error(std::string(o.ip.empty() ? "--mac-address" : "--ip") + ": needs --network bridge");
        if (a.mode == net::Mode::Slirp4netns)
            prepareSlirp(c);
        return;
    }
    const std::string root = stateRootOf(c);
    const std::string networksDir = net::networksDir(root);
    std::optional<net::Ipv4> wanted;
    if (!o.ip.empty() && !(wanted = net::parseIpv4(o.ip)))
        throw Error("--ip " + o.ip + ": not an IPv4 address");
    if (!o.mac.empty() && !net::validMac(o.mac))
        throw Error("--mac-address " + o.mac + ": not a unicast MAC address (aa:bb:cc:dd:ee:ff)");
    net::NetworkLock lock(networksDir);
    std::string note;
    net::NetworkDef def = net::openNetwork(root, o.network.empty() ? net::kDefaultNetwork : o.network, &note);
    if (!note.empty())
        warn(note);
    net::Ipv4 address = net::chooseAddress(def, wanted);
    checkPortsFree(networksDir, o.ports);
    makeBridge(resources, def, !o.ports.empty());
    std::string hostname = c.spec.hostname.empty() ? c.id : c.spec.hostname;
    const std::string lease = net::leasePath(def, address);
    resources.acquire(resource::Lease, lease,
                      [&] { net::writeLease(lease, {address, c.id, hostname, c.stateDir, lease}); });
    if (!o.ports.empty() && mkdir((networksDir + "/ports").c_str(), 0700) < 0 && errno != EEXIST)
        throw Error::sys("create directory", networksDir + "/ports", errno);
    for (const net::PortMapping &p : o.ports) {
        const std::string claim = portClaim(networksDir, p);
        resources.acquire(resource::Port, claim, [&] { writeNewFile(claim, c.id + "\n"); });
    }
    a.network = def.name;
    a.bridge = def.bridge;
    a.hostVeth = net::hostVethName(c.id);
    a.address = address;
    a.gateway = def.subnet.gateway();
    a.prefix = def.subnet.prefix;
    a.mac = o.mac.empty() ? net::macForAddress(address) : o.mac;
    a.ports = o.ports;
    writeEtcFiles(c, def);
    net::refreshHostsFiles(def);
    c.networkFiles = true;
}

void attachNetwork(const LaunchConfig &c, HostResources &resources, pid_t init)
{
    const net::Attachment &a = c.attachment;
    if (!c.network)
        return;
    if (a.bridged()) {
        resources.acquire(resource::Veth, a.hostVeth, [&] { priv::addVeth(a.hostVeth, init, a.mac, a.bridge); });
        if (!a.ports.empty())
            resources.acquire(resource::NftRules, "ctr:" + c.id, [&] {
                priv::nft("published ports ctr:" + c.id, net::nftPortCommands(c.id, a.address, a.ports));
            });
    }
    replaceFile(c.stateDir + "/network.json", net::attachmentToJson(a), 0644);
}

net::Slirp startUserModeNetwork(const LaunchConfig &c, pid_t init)
{
    if (!c.network || c.attachment.mode != net::Mode::Slirp4netns)
        return {};
    std::optional<std::string> exe = net::findTool("slirp4netns");
    if (!exe)
        throw Error("--network slirp4netns: slirp4netns is not installed (Debian package slirp4netns)");
    return priv::startSlirp4netns(*exe, init, c.stateDir + "/slirp4netns.log");
}

} // namespace hood
