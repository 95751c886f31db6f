#include "netoptions.h"

#include "error.h"
#include "ipv4.h"

#include <cstdlib>

namespace hood::net {

const char *modeName(Mode mode)
{
    switch (mode) {
    case Mode::None: return "none";
    case Mode::Bridge: return "bridge";
    case Mode::Host: return "host";
    case Mode::Container: return "container";
    case Mode::Slirp4netns: return "slirp4netns";
    }
    return "none";
}

std::string PortMapping::text() const
{
    return (hostIp.empty() ? "0.0.0.0" : hostIp) + ":" + std::to_string(hostPort) + "->"
           + std::to_string(containerPort) + "/" + protocol;
}

void parseNetworkFlag(const std::string &value, NetworkOptions &out)
{
    out.network.clear();
    out.container.clear();
    if (value == "none")
        out.mode = Mode::None;
    else if (value == "host")
        out.mode = Mode::Host;
    else if (value == "bridge")
        out.mode = Mode::Bridge;
    else if (value == "slirp4netns")
        out.mode = Mode::Slirp4netns;
    else if (value.rfind("container:", 0) == 0 && value.size() > 10) {
        out.mode = Mode::Container;
        out.container = value.substr(10);
    } else if (!value.empty() && value.find_first_of(":/ ") == std::string::npos) {
        out.mode = Mode::Bridge; // a user-defined network; its existence is checked at run
        out.network = value;
    } else {
        throw Error("--network " + value
                    + ": must be none, bridge, host, container:ID, slirp4netns or a network's name");
    }
}

namespace {
uint16_t portNumber(const std::string &text, const std::string &flag)
{
    char *end = nullptr;
    long v = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end || v < 1 || v > 65535)
        throw Error("-p " + flag + ": \"" + text + "\" is not a port number (1 to 65535)");
    return static_cast<uint16_t>(v);
}
} // namespace

PortMapping parsePublish(const std::string &text)
{
    PortMapping m;
    std::string spec = text;
    if (size_t slash = spec.rfind('/'); slash != std::string::npos) {
        m.protocol = spec.substr(slash + 1);
        spec.resize(slash);
        if (m.protocol != "tcp" && m.protocol != "udp")
            throw Error("-p " + text + ": the protocol must be tcp or udp");
    }
    size_t last = spec.rfind(':');
    if (last == std::string::npos)
        throw Error("-p " + text + ": give HOST_PORT:PORT (Hood publishes a port on the host only when told which)");
    m.containerPort = portNumber(spec.substr(last + 1), text);
    std::string front = spec.substr(0, last);
    if (size_t colon = front.rfind(':'); colon != std::string::npos) {
        m.hostIp = front.substr(0, colon);
        front = front.substr(colon + 1);
        if (!parseIpv4(m.hostIp))
            throw Error("-p " + text + ": \"" + m.hostIp + "\" is not an IPv4 address");
    }
    m.hostPort = portNumber(front, text);
    return m;
}

} // namespace hood::net
