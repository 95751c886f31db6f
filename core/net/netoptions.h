// What a run asks of the network: the mode (docker's --network), the address,
// MAC and published ports. Plain values, parsed from flags by parseNetworkFlag and
// parsePublish, carried by RunOptions, RunRequest and the monitor's LaunchConfig.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hood::net {

enum class Mode {
    None,       // its own namespace with loopback only
    Bridge,     // its own namespace, a veth pair to a bridge, an address, NAT
    Host,       // the host's namespace: no isolation at all
    Container,  // the namespace of another container (docker's container:ID)
    Slirp4netns,// rootless: a user-mode TCP/IP stack (slirp4netns) behind a tap
};
const char *modeName(Mode mode);

struct PortMapping {
    std::string hostIp;      // empty: every address
    uint16_t hostPort = 0;
    uint16_t containerPort = 0;
    std::string protocol = "tcp"; // or "udp"
    std::string text() const; // "127.0.0.1:8080->80/tcp"
    bool operator==(const PortMapping &) const = default;
};

struct NetworkOptions {
    std::optional<Mode> mode;   // nullopt: the default (bridge as root, else none)
    std::string network;        // bridge mode: the network's name; empty: "hood"
    std::string container;      // Container mode: the other container's ID
    std::string ip;             // --ip; empty: the next free address
    std::string mac;            // --mac-address; empty: derived from the address
    std::vector<PortMapping> ports;
    bool operator==(const NetworkOptions &) const = default;
};

// The default network's name and bridge, as podman's "podman"/"podman0".
inline constexpr const char *kDefaultNetwork = "hood";

// "--network VALUE": none, bridge, host, container:ID, slirp4netns, or the name of a
// network made by `hoodctl network create` (bridge mode on it). Throws one sentence.
void parseNetworkFlag(const std::string &value, NetworkOptions &out);
// "-p [HOST_IP:]HOST_PORT:PORT[/tcp|udp]"; throws one sentence naming the flag.
PortMapping parsePublish(const std::string &text);

} // namespace hood::net
