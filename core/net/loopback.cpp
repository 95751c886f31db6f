#include "loopback.h"

#include "error.h"

#include <memory>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>

namespace hood {

namespace {
using Socket = std::unique_ptr<nl_sock, decltype(&nl_socket_free)>;
using Link = std::unique_ptr<rtnl_link, decltype(&rtnl_link_put)>;

Error nlError(const char *op, int err)
{
    return Error(std::string(op) + " lo: " + nl_geterror(err));
}
} // namespace

void bringUpLoopback()
{
    Socket sock(nl_socket_alloc(), nl_socket_free);
    if (!sock)
        throw Error("netlink: out of memory");
    if (int err = nl_connect(sock.get(), NETLINK_ROUTE); err < 0)
        throw nlError("connect rtnetlink for", err);
    rtnl_link *raw = nullptr;
    if (int err = rtnl_link_get_kernel(sock.get(), 0, "lo", &raw); err < 0)
        throw nlError("look up", err);
    Link link(raw, rtnl_link_put);
    Link change(rtnl_link_alloc(), rtnl_link_put);
    rtnl_link_set_flags(change.get(), IFF_UP);
    if (int err = rtnl_link_change(sock.get(), link.get(), change.get(), 0); err < 0)
        throw nlError("set up", err);
}

} // namespace hood
