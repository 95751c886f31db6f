// IPv4 addresses and subnets as numbers: parsing, containment, overlap. Pure
// functions, so the IPAM and the flag checks are tested without a network.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hood::net {

// Host byte order, so that "the next address" is +1.
using Ipv4 = uint32_t;

std::optional<Ipv4> parseIpv4(const std::string &text);
std::string formatIpv4(Ipv4 addr);

struct Subnet {
    Ipv4 base = 0;   // network address (host bits zero)
    int prefix = 32; // 0..32
    Ipv4 mask() const { return prefix == 0 ? 0 : ~Ipv4(0) << (32 - prefix); }
    bool contains(Ipv4 addr) const { return (addr & mask()) == base; }
    bool overlaps(const Subnet &o) const;
    Ipv4 gateway() const { return base + 1; }               // .1, as docker and podman
    Ipv4 broadcast() const { return base | ~mask(); }
    std::string text() const { return formatIpv4(base) + "/" + std::to_string(prefix); }
    bool operator==(const Subnet &) const = default;
};

// "10.88.0.0/16"; host bits must be zero. nullopt when it is not that form.
std::optional<Subnet> parseSubnet(const std::string &text);

// "02:42:0a:58:00:02": a locally administered MAC derived from the address
// (docker's way), so that a container's MAC is stable with its address.
std::string macForAddress(Ipv4 addr);
// "aa:bb:cc:dd:ee:ff" with hex digits; unicast (bit 0 of the first octet clear).
bool validMac(const std::string &text);

} // namespace hood::net
