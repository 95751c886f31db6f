// Hood's networks: a name, a subnet and a bridge, kept in the state root as
// <root>/#networks/<name>/network.json with the network's leases beside it
// (leases/<address>: "<container id> <hostname> <state dir>"). The default
// network "hood" (bridge hood0, 10.88.0.0/16 as podman's, or the next free /16)
// is made on first use; others by `hoodctl network create`.
//
// Every change happens under one flock on <root>/#networks/lock, so that two
// starts never take one address, and the last container's delete sees that it
// is the last.
#pragma once

#include "ipv4.h"
#include "netoptions.h"
#include "sys/fd.h"

#include <optional>
#include <string>
#include <vector>

namespace hood::net {

struct NetworkDef {
    std::string name;
    Subnet subnet;
    std::string bridge; // hood0, hood1, ...
    std::string dir;    // <root>/networks/<name>
    bool operator==(const NetworkDef &) const = default;
};

struct Lease {
    Ipv4 address = 0;
    std::string id, hostname, stateDir;
    std::string path; // the lease file
};

std::string networksDir(const std::string &root);

// The exclusive lock of every network of a state root (<root>/networks/lock),
// held while it lives. Not re-entrant: a process takes it once at a time.
class NetworkLock {
public:
    explicit NetworkLock(const std::string &networksDir);
private:
    Fd m_fd;
};

// Under the lock. Throws one sentence for a bad name, a subnet that overlaps one
// in use (another network's, or a route of this namespace), an existing name.
NetworkDef createNetwork(const std::string &root, const std::string &name,
                         const std::optional<Subnet> &subnet, std::string *note = nullptr);
// The network of that name; the default one is made when missing (*note then says
// which subnet it got). Throws "network \"x\" does not exist" for another.
NetworkDef openNetwork(const std::string &root, const std::string &name, std::string *note = nullptr);
std::optional<NetworkDef> findNetwork(const std::string &root, const std::string &name);
std::vector<NetworkDef> listNetworks(const std::string &root);
// Refuses while a container holds a lease on it.
void removeNetwork(const std::string &root, const std::string &name);

std::vector<Lease> leasesOf(const NetworkDef &net);
// The lease file an address would have.
std::string leasePath(const NetworkDef &net, Ipv4 address);
// The first free address after the gateway, or `wanted` (which must be inside the
// subnet, not its network, gateway or broadcast address, and free). Throws one sentence.
Ipv4 chooseAddress(const NetworkDef &net, const std::optional<Ipv4> &wanted);
// Creates the lease file (O_EXCL). Throws when it exists.
void writeLease(const std::string &path, const Lease &lease);

// The /etc/hosts of a container on this network: localhost, itself and every peer.
std::string hostsFile(const NetworkDef &net, const std::string &selfId);
// Rewrites <state>/hosts of every container on the network in place (it is
// bind-mounted: the inode must stay), so peers find a new container by name.
void refreshHostsFiles(const NetworkDef &net);

// The subnets of this namespace's routes (not Hood's bridges'), for overlap checks.
std::vector<Subnet> routedSubnets();

} // namespace hood::net
