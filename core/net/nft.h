// nftables through libnftables: Hood's rules live in one table of its own,
// `inet hood`, so that they never mix with the machine's (or docker's) rules and
// go with one `delete table`. Text commands in, text or JSON out.
//
//   table inet hood {
//     chain prerouting  { type nat hook prerouting priority dstnat; }   published ports
//     chain output      { type nat hook output priority -100; }         ... from this host
//     chain postrouting { type nat hook postrouting priority srcnat; }  masquerade
//     chain forward     { type filter hook forward priority 0; }        networks apart
//   }
// Each rule carries a comment naming its owner: "net:NAME" for a network's,
// "ctr:ID" for a container's published ports, so that removing an owner's rules
// needs no other record than its name.
#pragma once

#include "ipv4.h"
#include "netoptions.h"

#include <string>
#include <vector>

namespace hood::net {

inline constexpr const char *kNftTable = "inet hood";

// Runs nft commands (one a line, as `nft -f` reads them). Throws one sentence
// with nft's own error message.
std::string nftRun(const std::string &commands, bool jsonOutput = false);

// The commands, as text, so that the GUI's equivalent-commands view and the
// benchmark's `nft -f` show and run exactly what Hood runs.
std::string nftTableCommands();
std::string nftNetworkCommands(const std::string &network, const std::string &bridge, const Subnet &subnet);
std::string nftPortCommands(const std::string &id, Ipv4 address, const std::vector<PortMapping> &ports);

bool nftTableExists();
// `nft -j list table inet hood`, or "" when there is no table.
std::string nftListJson();
// Deletes every rule whose comment is `owner`; no table counts as none.
void nftDeleteOwner(const std::string &owner);
// Deletes the table when no rule is left in it.
void nftDeleteTableIfEmpty();

} // namespace hood::net
