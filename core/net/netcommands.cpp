#include "netcommands.h"

#include "nft.h"

#include <sstream>

namespace hood::net {

namespace {
// "add rule inet hood ..." lines as `nft add rule ...` commands.
void addNft(std::vector<std::string> &out, const std::string &commands)
{
    std::istringstream in(commands);
    std::string line;
    while (std::getline(in, line))
        out.push_back("nft '" + line + "'"); // single quotes keep nft's own double quotes
}
} // namespace

std::vector<std::string> equivalentCommands(const std::string &id, const Attachment &a, const CommandOptions &o)
{
    std::vector<std::string> out;
    if (a.mode == Mode::None)
        return {"# --network none: a network namespace with only lo (unshare --net), nothing on the host"};
    if (a.mode == Mode::Host)
        return {"# --network host: no network namespace; the container uses the host's interfaces"};
    if (a.mode == Mode::Container)
        return {"# --network container:" + a.container + ": nsenter --net=/proc/<its pid>/ns/net"};
    const std::string cidr = formatIpv4(a.gateway) + "/" + std::to_string(a.prefix);
    const std::string in = "nsenter -t " + o.pidWord + " -n ";
    if (!o.bridgeExists) {
        Subnet s {a.address & Subnet {0, a.prefix}.mask(), a.prefix};
        out.push_back("ip link add " + a.bridge + " type bridge");
        out.push_back("ip addr add " + cidr + " dev " + a.bridge);
        out.push_back("ip link set " + a.bridge + " up");
        out.push_back("sysctl -w net.ipv4.conf." + a.bridge + ".route_localnet=1 net.ipv4.ip_forward=1");
        addNft(out, nftTableCommands());
        addNft(out, nftNetworkCommands(a.network, a.bridge, s));
    }
    out.push_back("ip link add " + a.hostVeth + " type veth peer name eth0 netns " + o.pidWord + " address " + a.mac);
    out.push_back("ip link set " + a.hostVeth + " master " + a.bridge + " up");
    out.push_back(in + "ip addr add " + formatIpv4(a.address) + "/" + std::to_string(a.prefix) + " dev eth0");
    out.push_back(in + "ip link set eth0 up");
    out.push_back(in + "ip route add default via " + formatIpv4(a.gateway));
    addNft(out, nftPortCommands(id, a.address, a.ports));
    return out;
}

} // namespace hood::net
