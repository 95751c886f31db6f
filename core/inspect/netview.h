// The network namespace of a process, as `ip addr` and `ip route show table all`
// would show it from inside: links, addresses and routes, read through libnl.
//
// How the namespace is entered: a short-lived thread calls setns(CLONE_NEWNET)
// on /proc/PID/ns/net, creates the netlink socket and exits. A socket stays in
// the namespace it was created in, so every later dump on it (from any thread)
// reads that namespace, while the calling process's other threads never change
// namespace. This was preferred to forking a child that dumps and writes the
// result back through a pipe because:
//   - the GUI is a multithreaded Qt process, and after fork() only
//     async-signal-safe calls are allowed in the child, which libnl's allocations
//     are not;
//   - there is no serialization format to keep in step with these structs;
//   - the socket is kept, so refreshing many times a second costs three netlink
//     dumps and no fork or setns.
// Network namespaces have no single-threaded restriction on setns (only user
// and mount namespaces do), which is what makes the thread enough.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

struct nl_sock;

namespace hood::inspect {

struct NetLink {
    int ifindex = 0;
    std::string name;
    std::string kind;      // IFLA_INFO_KIND: "veth", "bridge", ...; empty for lo or a NIC
    std::string linkType;  // hardware type as ip's link_type: "loopback", "ether", "none"
    unsigned flags = 0;    // IFF_* as the kernel reports them
    bool up = false;       // IFF_UP: administratively up
    bool lowerUp = false;  // IFF_LOWER_UP: carrier
    std::string operState; // RFC 2863 state as ip prints it: "UP", "DOWN", "UNKNOWN"
    std::string mac;       // "aa:bb:cc:dd:ee:ff"; empty when the link has none
    unsigned mtu = 0;
    int linkIndex = 0;              // IFLA_LINK: a veth's peer, a vlan's parent; 0 when none
    std::optional<int> linkNetnsId; // IFLA_LINK_NETNSID: linkIndex counts in that netns
    int masterIndex = 0;            // the bridge this link is enslaved to; 0 when none
    uint64_t rxBytes = 0;
    uint64_t txBytes = 0;
    uint64_t rxPackets = 0;
    uint64_t txPackets = 0;

    // kind when set ("veth"), else linkType ("loopback").
    std::string type() const { return kind.empty() ? linkType : kind; }
};

struct NetAddress {
    int ifindex = 0;
    std::string family;  // "inet", "inet6"
    std::string address; // "10.0.0.2", "fe80::1"
    int prefixLen = 0;
    std::string scope; // "global", "link", "host"
    std::string label; // IPv4 label ("eth0:1"); empty for IPv6
};

struct NetNextHop {
    std::string gateway; // empty for a directly connected route
    int ifindex = 0;
};

struct NetRoute {
    std::string family; // "inet", "inet6"
    std::string dst;    // "default", "10.0.0.0/24", "10.0.0.1" (full-length prefix as ip prints it)
    // One, several for a multipath route, none for unreachable or blackhole.
    std::vector<NetNextHop> nextHops;
    std::string table;    // "main", "local", or the number
    std::string protocol; // "kernel", "boot", "static", "dhcp", ...
    std::string scope;    // "global", "link", "host"
    std::string type;     // "unicast", "local", "broadcast", "multicast", ...
    std::string prefSrc;  // empty when not set
    uint32_t metric = 0;
};

struct NetView {
    std::vector<NetLink> links; // by ifindex
    std::vector<NetAddress> addresses;
    std::vector<NetRoute> routes;

    const NetLink *link(int ifindex) const;
    // The link's name, or "" for an index not in this namespace.
    std::string linkName(int ifindex) const;
};

// A NETLINK_ROUTE socket living in one network namespace. Holding it keeps that
// namespace alive, so drop it when the container stops. Not for concurrent use:
// one thread reads through a given reader at a time.
class NetnsReader {
public:
    // The namespace of pid; pid 0 means the caller's own. Throws hood::Error
    // ("setns /proc/42/ns/net: operation not permitted").
    explicit NetnsReader(pid_t pid = 0, const std::string &procRoot = "/proc");

    // Dumps links, addresses and routes now. Throws hood::Error.
    NetView read() const;

    // "/proc/42/ns/net", or "the current network namespace"; for messages.
    const std::string &where() const { return m_where; }

private:
    std::unique_ptr<nl_sock, void (*)(nl_sock *)> m_socket;
    std::string m_where;
};

// NetnsReader(pid, procRoot).read()
NetView readNetView(pid_t pid, const std::string &procRoot = "/proc");

} // namespace hood::inspect
