#include "netview.h"

#include "error.h"
#include "sys/fd.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <exception>
#include <fcntl.h>
#include <linux/if.h>
#include <sched.h>
#include <thread>
#include <unistd.h>
#include <utility>

#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <netlink/route/rtnl.h>

namespace hood::inspect {

namespace {

using CachePtr = std::unique_ptr<nl_cache, decltype(&nl_cache_free)>;

// libnl's error strings start with a capital ("Object not found"); hood::Error
// sentences continue in lower case after the colon.
std::string nlErrorText(int err)
{
    std::string text = nl_geterror(err);
    if (!text.empty())
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return text;
}

Error nlError(const std::string &op, const std::string &where, int err)
{
    return Error(op + " in " + where + ": " + nlErrorText(err));
}

std::string familyName(int family)
{
    if (family == AF_INET)
        return "inet";
    if (family == AF_INET6)
        return "inet6";
    return std::to_string(family);
}

// The address alone, without the "/prefix" nl_addr2str would add.
std::string ipText(const nl_addr *addr)
{
    if (!addr || nl_addr_get_len(addr) == 0)
        return {};
    char buffer[INET6_ADDRSTRLEN] = {};
    if (!::inet_ntop(nl_addr_get_family(addr), nl_addr_get_binary_addr(addr), buffer,
                     sizeof buffer))
        return {};
    return buffer;
}

// A route destination as ip prints it: "default", "10.0.0.0/24", or a bare
// address for a full-length prefix.
std::string destinationText(const nl_addr *dst)
{
    if (!dst || nl_addr_get_prefixlen(dst) == 0)
        return "default";
    std::string text = ipText(dst);
    if (nl_addr_get_prefixlen(dst) != nl_addr_get_len(dst) * 8)
        text += "/" + std::to_string(nl_addr_get_prefixlen(dst));
    return text;
}

std::string upper(std::string text)
{
    for (char &c : text)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// libnl's name for a number ("main", "kernel", "link"); for a number it has no
// name for, libnl writes hex ("0x64") where ip writes decimal ("100"), and
// decimal is what users will compare with.
template <typename Fn> std::string libnlName(Fn toString, int value)
{
    char buffer[64] = {};
    std::string name = toString(value, buffer, sizeof buffer);
    if (name.rfind("0x", 0) == 0)
        return std::to_string(value);
    return name;
}

NetLink toLink(rtnl_link *link)
{
    NetLink out;
    out.ifindex = rtnl_link_get_ifindex(link);
    out.name = rtnl_link_get_name(link) ? rtnl_link_get_name(link) : "";
    out.kind = rtnl_link_get_type(link) ? rtnl_link_get_type(link) : "";
    out.linkType = libnlName(nl_llproto2str, static_cast<int>(rtnl_link_get_arptype(link)));
    out.flags = rtnl_link_get_flags(link);
    out.up = out.flags & IFF_UP;
    out.lowerUp = out.flags & IFF_LOWER_UP;
    out.operState = upper(libnlName(rtnl_link_operstate2str, rtnl_link_get_operstate(link)));
    if (nl_addr *mac = rtnl_link_get_addr(link); mac && nl_addr_get_len(mac) > 0) {
        char buffer[64] = {};
        out.mac = nl_addr2str(mac, buffer, sizeof buffer);
    }
    out.mtu = rtnl_link_get_mtu(link);
    out.linkIndex = rtnl_link_get_link(link);
    if (int32_t netnsId = 0; rtnl_link_get_link_netnsid(link, &netnsId) == 0)
        out.linkNetnsId = netnsId;
    out.masterIndex = rtnl_link_get_master(link);
    out.rxBytes = rtnl_link_get_stat(link, RTNL_LINK_RX_BYTES);
    out.txBytes = rtnl_link_get_stat(link, RTNL_LINK_TX_BYTES);
    out.rxPackets = rtnl_link_get_stat(link, RTNL_LINK_RX_PACKETS);
    out.txPackets = rtnl_link_get_stat(link, RTNL_LINK_TX_PACKETS);
    return out;
}

NetAddress toAddress(rtnl_addr *addr)
{
    NetAddress out;
    out.ifindex = rtnl_addr_get_ifindex(addr);
    out.family = familyName(rtnl_addr_get_family(addr));
    out.address = ipText(rtnl_addr_get_local(addr));
    out.prefixLen = rtnl_addr_get_prefixlen(addr);
    out.scope = libnlName(rtnl_scope2str, rtnl_addr_get_scope(addr));
    out.label = rtnl_addr_get_label(addr) ? rtnl_addr_get_label(addr) : "";
    return out;
}

NetRoute toRoute(rtnl_route *route)
{
    NetRoute out;
    out.family = familyName(rtnl_route_get_family(route));
    out.dst = destinationText(rtnl_route_get_dst(route));
    for (int i = 0; i < rtnl_route_get_nnexthops(route); ++i) {
        rtnl_nexthop *hop = rtnl_route_nexthop_n(route, i);
        out.nextHops.push_back(
            {ipText(rtnl_route_nh_get_gateway(hop)), rtnl_route_nh_get_ifindex(hop)});
    }
    out.table = libnlName(rtnl_route_table2str, static_cast<int>(rtnl_route_get_table(route)));
    out.protocol = libnlName(rtnl_route_proto2str, rtnl_route_get_protocol(route));
    out.scope = libnlName(rtnl_scope2str, rtnl_route_get_scope(route));
    out.type = libnlName(nl_rtntype2str, rtnl_route_get_type(route));
    out.prefSrc = ipText(rtnl_route_get_pref_src(route));
    out.metric = rtnl_route_get_priority(route);
    return out;
}

// One netlink dump into a libnl cache, converted object by object. The cache
// is freed on every path, exceptions included.
template <typename Object, typename Alloc, typename Convert>
auto dump(const char *what, const std::string &where, Alloc alloc, Convert convert)
{
    nl_cache *raw = nullptr;
    if (int err = alloc(&raw); err < 0)
        throw nlError(std::string("dump ") + what, where, err);
    CachePtr cache(raw, &nl_cache_free);
    std::vector<decltype(convert(std::declval<Object *>()))> out;
    for (nl_object *obj = nl_cache_get_first(cache.get()); obj; obj = nl_cache_get_next(obj))
        out.push_back(convert(reinterpret_cast<Object *>(obj)));
    return out;
}

using RoutePtr = std::unique_ptr<rtnl_route, decltype(&rtnl_route_put)>;
using CallbackPtr = std::unique_ptr<nl_cb, decltype(&nl_cb_put)>;

int onRouteMessage(nl_msg *message, void *arg)
{
    rtnl_route *parsed = nullptr;
    if (rtnl_route_parse(nlmsg_hdr(message), &parsed) < 0)
        return NL_SKIP;
    RoutePtr route(parsed, &rtnl_route_put);
    static_cast<std::vector<NetRoute> *>(arg)->push_back(toRoute(route.get()));
    return NL_OK;
}

// Routes are dumped message by message rather than through libnl's route cache:
// the cache treats routes with the same (family, table, dst, priority) as one
// object, so the kernel's fe80::/64 on two links would come out as one route
// where the kernel (and ip) have two.
std::vector<NetRoute> dumpRoutes(nl_sock *socket, const std::string &where)
{
    std::vector<NetRoute> routes;
    CallbackPtr socketCallbacks(nl_socket_get_cb(socket), &nl_cb_put);
    CallbackPtr callbacks(nl_cb_clone(socketCallbacks.get()), &nl_cb_put);
    if (!callbacks)
        throw Error::sys("dump routes in", where, ENOMEM);
    nl_cb_set(callbacks.get(), NL_CB_VALID, NL_CB_CUSTOM, onRouteMessage, &routes);
    if (int err = nl_rtgen_request(socket, RTM_GETROUTE, AF_UNSPEC, NLM_F_DUMP); err < 0)
        throw nlError("dump routes", where, err);
    if (int err = nl_recvmsgs(socket, callbacks.get()); err < 0)
        throw nlError("dump routes", where, err);
    return routes;
}

using SocketPtr = std::unique_ptr<nl_sock, void (*)(nl_sock *)>;

SocketPtr connectRoute(const std::string &where)
{
    SocketPtr socket(nl_socket_alloc(), &nl_socket_free);
    if (!socket)
        throw Error::sys("netlink socket in", where, ENOMEM);
    // libnl opens the socket with SOCK_CLOEXEC, so it never leaks into a child.
    if (int err = nl_connect(socket.get(), NETLINK_ROUTE); err < 0)
        throw nlError("netlink connect", where, err);
    return socket;
}

// The socket is created inside the target namespace by a thread of its own.
// Safe: setns(CLONE_NEWNET) changes only the calling thread's namespace, this
// thread does nothing else and ends right away, and it shares no state with
// the caller except the socket it hands back.
SocketPtr connectRouteIn(const std::string &nsPath)
{
    Fd ns(::open(nsPath.c_str(), O_RDONLY | O_CLOEXEC));
    if (!ns)
        throw Error::sys("open", nsPath, errno);
    SocketPtr socket(nullptr, &nl_socket_free);
    std::exception_ptr failure;
    std::thread worker([&] {
        try {
            if (::setns(ns.get(), CLONE_NEWNET) != 0)
                throw Error::sys("setns", nsPath, errno);
            socket = connectRoute(nsPath);
        } catch (...) {
            failure = std::current_exception();
        }
    });
    worker.join();
    if (failure)
        std::rethrow_exception(failure);
    return socket;
}

} // namespace

const NetLink *NetView::link(int ifindex) const
{
    for (const NetLink &candidate : links) {
        if (candidate.ifindex == ifindex)
            return &candidate;
    }
    return nullptr;
}

std::string NetView::linkName(int ifindex) const
{
    const NetLink *found = link(ifindex);
    return found ? found->name : std::string();
}

NetnsReader::NetnsReader(pid_t pid, const std::string &procRoot)
    : m_socket(nullptr, &nl_socket_free)
{
    if (pid == 0) {
        m_where = "the current network namespace";
        m_socket = connectRoute(m_where);
        return;
    }
    m_where = procRoot + "/" + std::to_string(pid) + "/ns/net";
    m_socket = connectRouteIn(m_where);
}

NetView NetnsReader::read() const
{
    nl_sock *socket = m_socket.get();
    NetView view;
    view.links = dump<rtnl_link>(
        "links", m_where,
        [socket](nl_cache **cache) { return rtnl_link_alloc_cache(socket, AF_UNSPEC, cache); },
        toLink);
    view.addresses = dump<rtnl_addr>(
        "addresses", m_where,
        [socket](nl_cache **cache) { return rtnl_addr_alloc_cache(socket, cache); }, toAddress);
    view.routes = dumpRoutes(socket, m_where);
    std::sort(view.links.begin(), view.links.end(),
              [](const NetLink &a, const NetLink &b) { return a.ifindex < b.ifindex; });
    return view;
}

NetView readNetView(pid_t pid, const std::string &procRoot)
{
    return NetnsReader(pid, procRoot).read();
}

} // namespace hood::inspect
