// The engine's network step, in the monitor: before clone the host side that
// needs no pid (the network, its bridge and table, an address lease, port claims,
// the /etc files), after clone the veth pair into the init's namespace and the
// published-port rules, while the init waits for Go. The init then gives eth0 its
// address and default route (priv::configureEth0) in its own namespace.
//
// Each resource is journaled (netresources.h) before it is made; each change is a
// priv:: step of the trace.
#pragma once

#include "launch.h"
#include "net/slirp.h"
#include "resources.h"

#include <functional>

namespace hood {

// Before clone. Fills config.attachment and config.networkFiles; warns (one
// sentence) when the default subnet had to move. Throws one sentence for bad input
// (unknown network, address outside the subnet, port already published), having
// journaled nothing for it.
void prepareNetwork(LaunchConfig &config, HostResources &resources,
                    const std::function<void(const std::string &)> &warn);
// After clone: the veth pair, the container's nft rules, <state>/network.json.
void attachNetwork(const LaunchConfig &config, HostResources &resources, pid_t init);
// After the id maps: --network slirp4netns's stack for the init's namespace, ready
// (tap0 configured) before Go; an empty Slirp for every other mode. The monitor
// keeps it: its exit fd closing ends slirp4netns, also when the monitor is killed.
net::Slirp startUserModeNetwork(const LaunchConfig &config, pid_t init);

} // namespace hood
