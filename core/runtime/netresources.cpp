#include "netresources.h"

#include "error.h"
#include "net/links.h"
#include "net/networks.h"
#include "net/nft.h"
#include "privops.h"

#include <cerrno>
#include <mutex>
#include <unistd.h>

namespace hood {

namespace {

std::string parentDir(const std::string &path)
{
    return path.substr(0, path.rfind('/'));
}

template <class Fn>
bool attempt(const std::string &what, std::string *why, Fn &&fn)
{
    try {
        fn();
        return true;
    } catch (const std::exception &e) {
        if (why)
            *why = "could not remove " + what + ": " + e.what();
        return false;
    }
}

bool destroyNftTable(const std::string &networksDir, std::string *why)
{
    return attempt("table inet hood", why, [&] {
        net::NetworkLock lock(networksDir);
        for (const net::NetworkDef &n : net::listNetworks(parentDir(networksDir))) {
            if (!net::leasesOf(n).empty())
                return;
        }
        if (net::nftTableExists())
            net::nftDeleteTableIfEmpty();
    });
}

bool destroyBridge(const std::string &networkDir, std::string *why)
{
    return attempt("the bridge of " + networkDir, why, [&] {
        net::NetworkLock lock(parentDir(networkDir));
        std::optional<net::NetworkDef> def = net::findNetwork(parentDir(parentDir(networkDir)),
                                                              networkDir.substr(networkDir.rfind('/') + 1));
        if (!def || !net::leasesOf(*def).empty())
            return; // gone already, or another container still uses it
        net::nftDeleteOwner("net:" + def->name);
        if (net::linkExists(def->bridge))
            priv::deleteLink(def->bridge);
    });
}

bool unlinkFile(const std::string &path, std::string *why)
{
    if (unlink(path.c_str()) == 0 || errno == ENOENT)
        return true;
    if (why)
        *why = "could not remove " + path + ": " + errnoText(errno);
    return false;
}

bool destroyLease(const std::string &path, std::string *why)
{
    if (!unlinkFile(path, why))
        return false;
    // The peers forget this container's name.
    return attempt("hosts entries of " + path, why, [&] {
        std::string networkDir = parentDir(parentDir(path));
        net::NetworkLock lock(parentDir(networkDir));
        std::string name = networkDir.substr(networkDir.rfind('/') + 1);
        if (std::optional<net::NetworkDef> def = net::findNetwork(parentDir(parentDir(networkDir)), name))
            net::refreshHostsFiles(*def);
    });
}

bool destroyVeth(const std::string &name, std::string *why)
{
    // Detached: unregistering a device waits for an RCU grace period (10-15 ms
    // here), which would be most of what bridge networking adds to a container's
    // start and stop (tests/bench/net).
    return attempt("veth " + name, why, [&] {
        if (net::linkExists(name))
            priv::deleteLinkDetached(name);
    });
}

bool destroyNftRules(const std::string &owner, std::string *why)
{
    return attempt("the nft rules of " + owner, why, [&] { net::nftDeleteOwner(owner); });
}

} // namespace

namespace resource {
const ResourceType NftTable {"nft-table", "nft table", destroyNftTable};
const ResourceType Bridge {"bridge", "bridge", destroyBridge};
const ResourceType Lease {"lease", "address lease", destroyLease};
const ResourceType Port {"port", "published port", unlinkFile};
const ResourceType Veth {"veth", "veth pair", destroyVeth};
const ResourceType NftRules {"nft-rules", "nft rules", destroyNftRules};
} // namespace resource

void registerNetworkResources()
{
    static std::once_flag once;
    std::call_once(once, [] {
        for (const ResourceType *t : {&resource::NftTable, &resource::Bridge, &resource::Lease, &resource::Port,
                                      &resource::Veth, &resource::NftRules})
            registerResourceType(*t);
    });
}

} // namespace hood
