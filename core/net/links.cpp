#include "links.h"

#include "error.h"

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <functional>
#include <memory>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/route.h>

namespace hood::net {

namespace {
using Socket = std::unique_ptr<nl_sock, decltype(&nl_socket_free)>;
using Link = std::unique_ptr<rtnl_link, decltype(&rtnl_link_put)>;
using Addr = std::unique_ptr<rtnl_addr, decltype(&rtnl_addr_put)>;
using Route = std::unique_ptr<rtnl_route, decltype(&rtnl_route_put)>;
using NlAddr = std::unique_ptr<nl_addr, decltype(&nl_addr_put)>;
using Cache = std::unique_ptr<nl_cache, decltype(&nl_cache_free)>;

Error nlError(const std::string &op, int err)
{
    return Error(op + ": " + nl_geterror(err));
}

Socket connect()
{
    Socket sock(nl_socket_alloc(), nl_socket_free);
    if (!sock)
        throw Error("netlink: out of memory");
    if (int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0)
        throw nlError("connect rtnetlink", err);
    return sock;
}

Link getLink(nl_sock *sock, const std::string &name)
{
    rtnl_link *raw = nullptr;
    if (int err = rtnl_link_get_kernel(sock, 0, name.c_str(), &raw); err < 0)
        throw nlError("look up link " + name, err);
    return Link(raw, rtnl_link_put);
}

NlAddr ipv4Addr(Ipv4 addr, int prefix)
{
    uint32_t be = htonl(addr);
    NlAddr a(nl_addr_build(AF_INET, &be, sizeof be), nl_addr_put);
    if (!a)
        throw Error("netlink: out of memory");
    nl_addr_set_prefixlen(a.get(), prefix);
    return a;
}

void setMac(rtnl_link *link, const std::string &mac)
{
    nl_addr *raw = nullptr;
    if (int err = nl_addr_parse(mac.c_str(), AF_LLC, &raw); err < 0)
        throw nlError("MAC address " + mac, err);
    NlAddr a(raw, nl_addr_put);
    rtnl_link_set_addr(link, a.get());
}
} // namespace

bool linkExists(const std::string &name)
{
    Socket sock = connect();
    rtnl_link *raw = nullptr;
    if (rtnl_link_get_kernel(sock.get(), 0, name.c_str(), &raw) < 0)
        return false;
    rtnl_link_put(raw);
    return true;
}

void addBridge(const std::string &name)
{
    Socket sock = connect();
    Link link(rtnl_link_alloc(), rtnl_link_put);
    rtnl_link_set_name(link.get(), name.c_str());
    if (int err = rtnl_link_set_type(link.get(), "bridge"); err < 0)
        throw nlError("bridge " + name, err);
    int err = rtnl_link_add(sock.get(), link.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (err < 0 && err != -NLE_EXIST)
        throw nlError("ip link add " + name + " type bridge", err);
    setLinkUp(name);
}

void addVeth(const std::string &host, const std::string &peerName, pid_t peerPid, const std::string &peerMac,
             const std::string &bridge)
{
    Socket sock = connect();
    Link veth(rtnl_link_veth_alloc(), rtnl_link_put);
    if (!veth)
        throw Error("netlink: out of memory");
    rtnl_link_set_name(veth.get(), host.c_str());
    rtnl_link *peer = rtnl_link_veth_get_peer(veth.get()); // a new reference
    rtnl_link_set_name(peer, peerName.c_str());
    rtnl_link_set_ns_pid(peer, peerPid);
    if (!peerMac.empty())
        setMac(peer, peerMac);
    rtnl_link_put(peer);
    Link master = getLink(sock.get(), bridge);
    rtnl_link_set_master(veth.get(), rtnl_link_get_ifindex(master.get()));
    rtnl_link_set_flags(veth.get(), IFF_UP);
    if (int err = rtnl_link_add(sock.get(), veth.get(), NLM_F_CREATE | NLM_F_EXCL); err < 0)
        throw nlError("ip link add " + host + " type veth peer name " + peerName + " netns " + std::to_string(peerPid), err);
}

void deleteLink(const std::string &name)
{
    Socket sock = connect();
    Link link(rtnl_link_alloc(), rtnl_link_put);
    rtnl_link_set_name(link.get(), name.c_str());
    int err = rtnl_link_delete(sock.get(), link.get());
    if (err < 0 && err != -NLE_NODEV && err != -NLE_OBJ_NOTFOUND)
        throw nlError("ip link del " + name, err);
}

void deleteLinkDetached(const std::string &name)
{
    pid_t child = fork();
    if (child < 0)
        throw Error::sys("fork to delete link", name, errno);
    if (child == 0) {
        // The middle process exits at once: the deleter is nobody's child to wait for
        // (a subreaper above, or init, reaps it).
        if (fork() != 0)
            _exit(0);
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        for (int fd : {0, 1, 2})
            dup2(null, fd);
        syscall(SYS_close_range, 3u, ~0u, 0u); // no pipe of the caller's stays open (shells wait for EOF)
        setsid();
        try {
            deleteLink(name);
        } catch (...) {
            _exit(1);
        }
        _exit(0);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
}

void addAddress(const std::string &name, Ipv4 addr, int prefix)
{
    Socket sock = connect();
    Link link = getLink(sock.get(), name);
    Addr a(rtnl_addr_alloc(), rtnl_addr_put);
    rtnl_addr_set_ifindex(a.get(), rtnl_link_get_ifindex(link.get()));
    NlAddr local = ipv4Addr(addr, prefix);
    rtnl_addr_set_local(a.get(), local.get());
    Subnet s {addr & Subnet {0, prefix}.mask(), prefix};
    NlAddr bcast = ipv4Addr(s.broadcast(), 32);
    rtnl_addr_set_broadcast(a.get(), bcast.get());
    int err = rtnl_addr_add(sock.get(), a.get(), NLM_F_CREATE | NLM_F_EXCL);
    if (err < 0 && err != -NLE_EXIST)
        throw nlError("ip addr add " + formatIpv4(addr) + "/" + std::to_string(prefix) + " dev " + name, err);
}

void setLinkUp(const std::string &name)
{
    Socket sock = connect();
    Link link = getLink(sock.get(), name);
    Link change(rtnl_link_alloc(), rtnl_link_put);
    rtnl_link_set_flags(change.get(), IFF_UP);
    if (int err = rtnl_link_change(sock.get(), link.get(), change.get(), 0); err < 0)
        throw nlError("ip link set " + name + " up", err);
}

void addDefaultRoute(Ipv4 gateway)
{
    Socket sock = connect();
    Route route(rtnl_route_alloc(), rtnl_route_put);
    NlAddr dst = ipv4Addr(0, 0);
    rtnl_route_set_family(route.get(), AF_INET);
    rtnl_route_set_dst(route.get(), dst.get());
    rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
    rtnl_route_set_protocol(route.get(), RTPROT_BOOT);
    rtnl_route_set_scope(route.get(), RT_SCOPE_UNIVERSE);
    rtnl_route_set_type(route.get(), RTN_UNICAST);
    rtnl_nexthop *hop = rtnl_route_nh_alloc();
    NlAddr gw = ipv4Addr(gateway, 32);
    rtnl_route_nh_set_gateway(hop, gw.get());
    rtnl_route_add_nexthop(route.get(), hop); // the route owns it now
    if (int err = rtnl_route_add(sock.get(), route.get(), NLM_F_CREATE | NLM_F_EXCL); err < 0 && err != -NLE_EXIST)
        throw nlError("ip route add default via " + formatIpv4(gateway), err);
}

int bridgePortCount(const std::string &bridge)
{
    Socket sock = connect();
    nl_cache *raw = nullptr;
    if (int err = rtnl_link_alloc_cache(sock.get(), AF_UNSPEC, &raw); err < 0)
        throw nlError("list links", err);
    Cache cache(raw, nl_cache_free);
    int master = rtnl_link_name2i(cache.get(), bridge.c_str());
    if (master == 0)
        return 0;
    int count = 0;
    for (nl_object *o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
        if (rtnl_link_get_master(reinterpret_cast<rtnl_link *>(o)) == master)
            ++count;
    }
    return count;
}

namespace {
// FNV-1a: the same name for the same ID in every build (std::hash is not).
uint32_t fnv1a(const std::string &text)
{
    uint32_t h = 2166136261u;
    for (unsigned char c : text)
        h = (h ^ c) * 16777619u;
    return h;
}
} // namespace

std::string hostVethName(const std::string &id)
{
    if (id.size() <= IFNAMSIZ - 3)
        return "h-" + id;
    char hash[8];
    snprintf(hash, sizeof hash, "%05x", fnv1a(id) & 0xfffff);
    return "h-" + id.substr(0, 7) + "-" + hash;
}

} // namespace hood::net
