// Links, addresses and routes through libnl-route-3 (rtnetlink), in the caller's
// network namespace. Plain mechanisms: the reasons and the trace steps are in
// runtime/privops, which is the only caller that changes anything.
#pragma once

#include "ipv4.h"

#include <string>
#include <sys/types.h>

namespace hood::net {

bool linkExists(const std::string &name);
// ip link add NAME type bridge; ip link set NAME up. An existing one is kept.
void addBridge(const std::string &name);
// ip link add HOST type veth peer name PEER netns PID [address MAC]; the host end
// enslaved to BRIDGE and up. The peer is born in the container's namespace.
void addVeth(const std::string &host, const std::string &peer, pid_t peerPid, const std::string &peerMac,
             const std::string &bridge);
// ip link del NAME; a link that does not exist counts as deleted. Waits for an
// RCU grace period in the kernel (tens of ms): never call it on a GUI thread.
void deleteLink(const std::string &name);
// deleteLink in a detached grandchild (stdio on /dev/null, no other fd, its own
// session), so that the caller does not wait for the grace period: a container's
// exit and `hoodctl delete` return at once. The caller needs to be single-threaded
// (hoodctl, the monitor). Throws only when it cannot fork.
void deleteLinkDetached(const std::string &name);
// ip addr add ADDR/PREFIX dev NAME (an existing one is kept).
void addAddress(const std::string &name, Ipv4 addr, int prefix);
// ip link set NAME up
void setLinkUp(const std::string &name);
// ip route add default via GW
void addDefaultRoute(Ipv4 gateway);
// Whether a link is a port of the bridge (for "removed when unused").
int bridgePortCount(const std::string &bridge);

// The veth's host end, after the container and within IFNAMSIZ: "h-web" for
// "web", "h-verylong-1a2b3" for an ID longer than 13 characters.
std::string hostVethName(const std::string &id);

} // namespace hood::net
