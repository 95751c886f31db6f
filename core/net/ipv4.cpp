#include "ipv4.h"

#include <arpa/inet.h>
#include <cstdio>
#include <cstdlib>

namespace hood::net {

std::optional<Ipv4> parseIpv4(const std::string &text)
{
    in_addr a {};
    if (inet_pton(AF_INET, text.c_str(), &a) != 1)
        return std::nullopt;
    return ntohl(a.s_addr);
}

std::string formatIpv4(Ipv4 addr)
{
    in_addr a {htonl(addr)};
    char buf[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &a, buf, sizeof buf);
    return buf;
}

bool Subnet::overlaps(const Subnet &o) const
{
    int shorter = prefix < o.prefix ? prefix : o.prefix;
    Ipv4 m = shorter == 0 ? 0 : ~Ipv4(0) << (32 - shorter);
    return (base & m) == (o.base & m);
}

std::optional<Subnet> parseSubnet(const std::string &text)
{
    size_t slash = text.find('/');
    if (slash == std::string::npos)
        return std::nullopt;
    std::optional<Ipv4> base = parseIpv4(text.substr(0, slash));
    std::string bits = text.substr(slash + 1);
    char *end = nullptr;
    long prefix = std::strtol(bits.c_str(), &end, 10);
    if (!base || bits.empty() || *end || prefix < 0 || prefix > 32)
        return std::nullopt;
    Subnet s {*base, static_cast<int>(prefix)};
    if ((s.base & s.mask()) != s.base)
        return std::nullopt;
    return s;
}

std::string macForAddress(Ipv4 addr)
{
    char buf[18];
    snprintf(buf, sizeof buf, "02:42:%02x:%02x:%02x:%02x", (addr >> 24) & 0xff, (addr >> 16) & 0xff,
             (addr >> 8) & 0xff, addr & 0xff);
    return buf;
}

bool validMac(const std::string &text)
{
    unsigned v[6];
    char tail;
    if (text.size() != 17 || sscanf(text.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6)
        return false;
    return (v[0] & 1) == 0;
}

} // namespace hood::net
