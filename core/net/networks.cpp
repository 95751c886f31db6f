#include "networks.h"

#include "error.h"
#include "inspect/netview.h"
#include "runtime/statedir.h"
#include "sys/fileio.h"

#include <algorithm>
#include <cerrno>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hood::net {

namespace {

using json = nlohmann::json;

void makeDir(const std::string &path)
{
    if (mkdir(path.c_str(), 0700) < 0 && errno != EEXIST)
        throw Error::sys("create directory", path, errno);
}

std::vector<std::string> entries(const std::string &dir)
{
    std::vector<std::string> names;
    struct CloseDir { void operator()(DIR *d) const { closedir(d); } };
    std::unique_ptr<DIR, CloseDir> d(opendir(dir.c_str()));
    while (d) {
        dirent *e = readdir(d.get());
        if (!e)
            break;
        if (e->d_name[0] != '.')
            names.push_back(e->d_name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

void validateName(const std::string &name)
{
    bool ok = !name.empty() && name.size() <= 32 && isalnum(static_cast<unsigned char>(name[0]));
    for (char c : name)
        ok = ok && (isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
    if (!ok)
        throw Error("network name \"" + name + "\": use 1 to 32 letters, digits, '-', '_' or '.', starting with a letter or digit");
}

NetworkDef parseDef(const std::string &dir, const std::string &text)
{
    json j = json::parse(text, nullptr, false);
    std::optional<Subnet> subnet = j.is_object() ? parseSubnet(j.value("subnet", "")) : std::nullopt;
    if (!subnet)
        throw Error(dir + "/network.json: not a network definition");
    return {j.value("name", ""), *subnet, j.value("bridge", ""), dir};
}

std::string defText(const NetworkDef &d)
{
    return json {{"name", d.name}, {"subnet", d.subnet.text()}, {"gateway", formatIpv4(d.subnet.gateway())},
                 {"bridge", d.bridge}}
               .dump(2)
           + "\n";
}

// The first of 10.88/16 (podman's), 10.89/16, ... (default) or 10.89.0/24,
// 10.89.1/24, ... (user networks) that nothing uses.
std::optional<Subnet> freeSubnet(bool wide, const std::vector<Subnet> &used)
{
    for (Ipv4 i = 0; i < 200; ++i) {
        Subnet s = wide ? Subnet {(Ipv4(10) << 24) | ((88 + i) << 16), 16}
                        : Subnet {(Ipv4(10) << 24) | (89u << 16) | (i << 8), 24};
        if (std::none_of(used.begin(), used.end(), [&](const Subnet &u) { return u.overlaps(s); }))
            return s;
    }
    return std::nullopt;
}

std::string freeBridgeName(const std::vector<NetworkDef> &nets, bool isDefault)
{
    for (int i = isDefault ? 0 : 1;; ++i) {
        std::string name = "hood" + std::to_string(i);
        if (std::none_of(nets.begin(), nets.end(), [&](const NetworkDef &n) { return n.bridge == name; }))
            return name;
    }
}

} // namespace

std::string networksDir(const std::string &root)
{
    // '#' is no character of a container ID: gc and list never take it for one.
    return root + "/#networks";
}

NetworkLock::NetworkLock(const std::string &dir)
{
    makeDir(dir);
    std::string path = dir + "/lock";
    m_fd.reset(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (!m_fd || flock(m_fd.get(), LOCK_EX) < 0)
        throw Error::sys("lock", path, errno);
}

std::vector<Subnet> routedSubnets()
{
    std::vector<Subnet> out;
    inspect::NetView view = inspect::readNetView(0);
    for (const inspect::NetRoute &r : view.routes) {
        if (r.family != "inet" || r.table != "main" || r.dst == "default")
            continue;
        bool ours = !r.nextHops.empty() && view.linkName(r.nextHops.front().ifindex).rfind("hood", 0) == 0;
        std::string dst = r.dst.find('/') == std::string::npos ? r.dst + "/32" : r.dst;
        if (std::optional<Subnet> s = parseSubnet(dst); s && !ours)
            out.push_back(*s);
    }
    return out;
}

std::optional<NetworkDef> findNetwork(const std::string &root, const std::string &name)
{
    std::string dir = networksDir(root) + "/" + name;
    std::optional<std::string> text = readFileIfExists(dir + "/network.json");
    if (!text)
        return std::nullopt;
    return parseDef(dir, *text);
}

std::vector<NetworkDef> listNetworks(const std::string &root)
{
    std::vector<NetworkDef> nets;
    for (const std::string &name : entries(networksDir(root))) {
        if (name == "lock" || name == "ports")
            continue;
        if (std::optional<NetworkDef> d = findNetwork(root, name))
            nets.push_back(*d);
    }
    return nets;
}

NetworkDef createNetwork(const std::string &root, const std::string &name, const std::optional<Subnet> &subnet,
                         std::string *note)
{
    validateName(name);
    std::vector<NetworkDef> nets = listNetworks(root);
    if (findNetwork(root, name))
        throw Error("network \"" + name + "\" already exists (hoodctl network inspect " + name + ")");
    std::vector<Subnet> routes = routedSubnets();
    std::vector<Subnet> used = routes;
    for (const NetworkDef &n : nets)
        used.push_back(n.subnet);
    const bool isDefault = name == kDefaultNetwork;
    std::optional<Subnet> chosen = subnet;
    if (chosen) {
        if (chosen->prefix > 30 || chosen->prefix < 8)
            throw Error("--subnet " + chosen->text() + ": the prefix must be between /8 and /30");
        for (const NetworkDef &n : nets) {
            if (n.subnet.overlaps(*chosen))
                throw Error("--subnet " + chosen->text() + " overlaps " + n.subnet.text() + " of network \"" + n.name + "\"");
        }
        for (const char *reserved : {"127.0.0.0/8", "0.0.0.0/8", "224.0.0.0/3"}) {
            if (parseSubnet(reserved)->overlaps(*chosen))
                throw Error("--subnet " + chosen->text() + " overlaps " + reserved + ", which is reserved (loopback, this host, multicast)");
        }
        for (const Subnet &r : routes) {
            if (r.overlaps(*chosen))
                throw Error("--subnet " + chosen->text() + " overlaps the route to " + r.text() + " of this machine");
        }
    } else {
        chosen = freeSubnet(isDefault, used);
        if (!chosen)
            throw Error("no free subnet under 10.88.0.0/8 for network \"" + name + "\": give one with --subnet");
        if (note && isDefault && chosen->text() != "10.88.0.0/16")
            *note = "network \"" + name + "\" uses " + chosen->text() + ": 10.88.0.0/16 overlaps a route or network in use";
    }
    NetworkDef d {name, *chosen, freeBridgeName(nets, isDefault), networksDir(root) + "/" + name};
    makeDir(d.dir);
    makeDir(d.dir + "/leases");
    replaceFile(d.dir + "/network.json", defText(d), 0644);
    return d;
}

NetworkDef openNetwork(const std::string &root, const std::string &name, std::string *note)
{
    if (std::optional<NetworkDef> d = findNetwork(root, name))
        return *d;
    if (name != kDefaultNetwork)
        throw Error("network \"" + name + "\" does not exist (hoodctl network ls lists them, hoodctl network create makes one)");
    return createNetwork(root, name, std::nullopt, note);
}

void removeNetwork(const std::string &root, const std::string &name)
{
    std::optional<NetworkDef> d = findNetwork(root, name);
    if (!d)
        throw Error("network \"" + name + "\" does not exist (hoodctl network ls lists them)");
    std::vector<Lease> leases = leasesOf(*d);
    if (!leases.empty())
        throw Error("network \"" + name + "\" is in use by container \"" + leases.front().id + "\" (hoodctl delete it first)");
    std::string why;
    if (!removeTree(d->dir, &why))
        throw Error(why);
}

std::string leasePath(const NetworkDef &net, Ipv4 address)
{
    return net.dir + "/leases/" + formatIpv4(address);
}

std::vector<Lease> leasesOf(const NetworkDef &net)
{
    std::vector<Lease> out;
    for (const std::string &name : entries(net.dir + "/leases")) {
        std::optional<Ipv4> addr = parseIpv4(name);
        std::string text;
        if (!addr || readFileNoThrow(net.dir + "/leases/" + name, text) < 0)
            continue;
        Lease l;
        l.address = *addr;
        l.path = net.dir + "/leases/" + name;
        std::istringstream in(text);
        in >> l.id >> l.hostname >> l.stateDir;
        out.push_back(l);
    }
    std::sort(out.begin(), out.end(), [](const Lease &a, const Lease &b) { return a.address < b.address; });
    return out;
}

Ipv4 chooseAddress(const NetworkDef &net, const std::optional<Ipv4> &wanted)
{
    std::vector<Lease> taken = leasesOf(net);
    auto isTaken = [&](Ipv4 a) {
        return std::any_of(taken.begin(), taken.end(), [&](const Lease &l) { return l.address == a; });
    };
    const Subnet &s = net.subnet;
    if (wanted) {
        std::string ip = formatIpv4(*wanted);
        if (!s.contains(*wanted))
            throw Error("--ip " + ip + " is outside the subnet " + s.text() + " of network \"" + net.name + "\"");
        if (*wanted == s.base || *wanted == s.gateway() || *wanted == s.broadcast())
            throw Error("--ip " + ip + " is the network, gateway or broadcast address of " + s.text());
        if (isTaken(*wanted))
            throw Error("--ip " + ip + " is already taken on network \"" + net.name + "\"");
        return *wanted;
    }
    for (Ipv4 a = s.gateway() + 1; a < s.broadcast(); ++a) {
        if (!isTaken(a))
            return a;
    }
    throw Error("network \"" + net.name + "\" (" + s.text() + ") has no free address left");
}

void writeLease(const std::string &path, const Lease &lease)
{
    writeNewFile(path, lease.id + " " + lease.hostname + " " + lease.stateDir + "\n", 0600);
}

namespace {
// /etc/hosts of selfId from the network's leases, read once by the caller.
std::string hostsText(std::vector<Lease> leases, const std::string &selfId)
{
    std::string text = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    // Itself first, as docker writes it; then its peers on this network only.
    std::stable_partition(leases.begin(), leases.end(), [&](const Lease &l) { return l.id == selfId; });
    for (const Lease &l : leases) {
        text += formatIpv4(l.address) + "\t" + l.hostname;
        if (l.id != l.hostname)
            text += " " + l.id;
        text += "\n";
    }
    return text;
}
} // namespace

std::string hostsFile(const NetworkDef &net, const std::string &selfId)
{
    return hostsText(leasesOf(net), selfId);
}

void refreshHostsFiles(const NetworkDef &net)
{
    // The leases are read once: a file per peer, not a directory scan per peer
    // (which made the 50th start on a bridge 3x slower than the first).
    const std::vector<Lease> leases = leasesOf(net);
    for (const Lease &l : leases) {
        std::string path = l.stateDir + "/hosts";
        // Overwritten, then cut to its length: not O_TRUNC, which on ext4
        // (auto_da_alloc) starts a writeback that the next rewrite or unlink of the
        // file waits for, 4 ms each on this machine's disk.
        Fd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
        if (!fd)
            continue; // a container still starting writes its own
        std::string text = hostsText(leases, l.id);
        writeAll(fd.get(), text.data(), text.size());
        if (ftruncate(fd.get(), static_cast<off_t>(text.size())) < 0)
            throw Error::sys("truncate", path, errno);
    }
}

} // namespace hood::net
