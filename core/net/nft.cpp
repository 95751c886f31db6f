#include "nft.h"

#include "error.h"
#include "sys/dynlib.h"

#include <memory>
#include <nftables/libnftables.h>
#include <nlohmann/json.hpp>

namespace hood::net {

namespace {
// libnftables (and libnftnl, libmnl, libxtables, jansson, gmp behind it) is
// opened on first use: only the verbs that set up a network need it, and linked
// in it would be loaded by every hoodctl run (docs/design-changes.md).
struct NftApi {
    decltype(&::nft_ctx_new) ctx_new;
    decltype(&::nft_ctx_free) ctx_free;
    decltype(&::nft_ctx_output_set_flags) ctx_output_set_flags;
    decltype(&::nft_ctx_buffer_output) ctx_buffer_output;
    decltype(&::nft_ctx_buffer_error) ctx_buffer_error;
    decltype(&::nft_run_cmd_from_buffer) run_cmd_from_buffer;
    decltype(&::nft_ctx_get_error_buffer) ctx_get_error_buffer;
    decltype(&::nft_ctx_get_output_buffer) ctx_get_output_buffer;
};

const NftApi &nftApi()
{
    static const NftApi table = [] {
        DynLib lib("libnftables.so.1", "nftables rules (Debian package libnftables1)");
        NftApi api{};
        lib.get("nft_ctx_new", api.ctx_new);
        lib.get("nft_ctx_free", api.ctx_free);
        lib.get("nft_ctx_output_set_flags", api.ctx_output_set_flags);
        lib.get("nft_ctx_buffer_output", api.ctx_buffer_output);
        lib.get("nft_ctx_buffer_error", api.ctx_buffer_error);
        lib.get("nft_run_cmd_from_buffer", api.run_cmd_from_buffer);
        lib.get("nft_ctx_get_error_buffer", api.ctx_get_error_buffer);
        lib.get("nft_ctx_get_output_buffer", api.ctx_get_output_buffer);
        return api;
    }();
    return table;
}

using Ctx = std::unique_ptr<nft_ctx, decltype(&nft_ctx_free)>;

std::string firstLine(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    size_t nl = text.find('\n');
    return nl == std::string::npos ? text : text.substr(0, nl);
}

std::string quoted(const std::string &s)
{
    return "\"" + s + "\"";
}
} // namespace

std::string nftRun(const std::string &commands, bool jsonOutput)
{
    Ctx ctx(nftApi().ctx_new(NFT_CTX_DEFAULT), nftApi().ctx_free);
    if (!ctx)
        throw Error("nftables: out of memory");
    nftApi().ctx_output_set_flags(ctx.get(), NFT_CTX_OUTPUT_HANDLE | (jsonOutput ? NFT_CTX_OUTPUT_JSON : 0));
    nftApi().ctx_buffer_output(ctx.get());
    nftApi().ctx_buffer_error(ctx.get());
    if (nftApi().run_cmd_from_buffer(ctx.get(), commands.c_str()) != 0)
        throw Error("nft " + firstLine(commands) + ": " + firstLine(nftApi().ctx_get_error_buffer(ctx.get())));
    const char *out = nftApi().ctx_get_output_buffer(ctx.get());
    return out ? out : "";
}

std::string nftTableCommands()
{
    return "add table inet hood\n"
           "add chain inet hood prerouting { type nat hook prerouting priority dstnat; }\n"
           "add chain inet hood output { type nat hook output priority -100; }\n"
           "add chain inet hood postrouting { type nat hook postrouting priority srcnat; }\n"
           "add chain inet hood forward { type filter hook forward priority 0; }\n";
}

std::string nftNetworkCommands(const std::string &network, const std::string &bridge, const Subnet &subnet)
{
    const std::string c = " comment " + quoted("net:" + network) + "\n";
    const std::string br = quoted(bridge);
    // Outbound NAT; the host's own 127.0.0.1 published ports (route_localnet) need
    // their source rewritten too, or the reply would go to the container's loopback;
    // and a network's containers never reach another network's bridge.
    return "add rule inet hood postrouting ip saddr " + subnet.text() + " oifname != " + br + " masquerade" + c
           + "add rule inet hood postrouting oifname " + br + " ip saddr 127.0.0.0/8 masquerade" + c
           + "add rule inet hood forward iifname " + br + " oifname != " + br + " oifname \"hood*\" drop" + c;
}

std::string nftPortCommands(const std::string &id, Ipv4 address, const std::vector<PortMapping> &ports)
{
    std::string out;
    const std::string c = " comment " + quoted("ctr:" + id) + "\n";
    for (const PortMapping &p : ports) {
        std::string match = "meta nfproto ipv4 " + (p.hostIp.empty() ? std::string() : "ip daddr " + p.hostIp + " ")
                            + "fib daddr type local " + p.protocol + " dport " + std::to_string(p.hostPort);
        std::string to = " dnat ip to " + formatIpv4(address) + ":" + std::to_string(p.containerPort);
        out += "add rule inet hood prerouting " + match + to + c;
        out += "add rule inet hood output " + match + to + c;
    }
    return out;
}

bool nftTableExists()
{
    try {
        nftRun("list table inet hood");
        return true;
    } catch (const Error &) {
        return false;
    }
}

std::string nftListJson()
{
    try {
        return nftRun("list table inet hood", true);
    } catch (const Error &) {
        return {};
    }
}

void nftDeleteOwner(const std::string &owner)
{
    std::string text = nftListJson();
    if (text.empty())
        return;
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    std::string commands;
    for (const auto &item : j.value("nftables", nlohmann::json::array())) {
        if (!item.contains("rule"))
            continue;
        const auto &rule = item["rule"];
        if (rule.value("comment", "") == owner)
            commands += "delete rule inet hood " + rule.value("chain", "") + " handle "
                        + std::to_string(rule.value("handle", 0)) + "\n";
    }
    if (!commands.empty())
        nftRun(commands);
}

void nftDeleteTableIfEmpty()
{
    std::string text = nftListJson();
    if (text.empty())
        return;
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    for (const auto &item : j.value("nftables", nlohmann::json::array())) {
        if (item.contains("rule"))
            return;
    }
    nftRun("delete table inet hood");
}

} // namespace hood::net
