// The network's rows of the host-resource registry (resources.h), journaled in
// this order by the network step, so that a replay (newest first) removes the
// container's rules, its veth, its port claims and lease, and then the bridge
// and the table only when no other container uses them:
//
//   nft-table <root>/#networks         table inet hood (deleted once empty)
//   bridge <root>/#networks/NAME       hood0 and its rules (deleted when no lease is left)
//   lease <root>/#networks/NAME/leases/10.88.0.2
//   port <root>/#networks/ports/tcp-8080
//   veth h-web
//   nft-rules ctr:web                 the container's published-port rules
#pragma once

#include "resources.h"

namespace hood {

namespace resource {
extern const ResourceType NftTable;
extern const ResourceType Bridge;
extern const ResourceType Lease;
extern const ResourceType Port;
extern const ResourceType Veth;
extern const ResourceType NftRules;
} // namespace resource

// Registers the rows above once (the Runtime does, before any journal is read).
void registerNetworkResources();

} // namespace hood
