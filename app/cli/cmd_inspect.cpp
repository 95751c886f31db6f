// hoodctl inspect: what the kernel gives a container (or any process), read
// once through core/inspect's takeSnapshot(): namespaces as lsns shows them,
// the mount tree as findmnt, cgroup usage as systemd-cgtop, the processes as
// ps, the network as ip. --json prints the same snapshot for machines.
#include "cli.h"
#include "table.h"

#include "error.h"
#include "net/attachment.h"
#include "inspect/inspectjson.h"
#include "inspect/snapshot.h"
#include "runtime/runtime.h"

#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <sys/ioctl.h>
#include <unistd.h>

namespace hoodctl {

using hood::Error;
namespace in = hood::inspect;

namespace {

// Characters per line when stdout is a terminal (the last column is cut to
// fit); 0 when it is not, so that a pipe gets every word.
size_t terminalWidth()
{
    winsize ws{};
    if (!isatty(1) || ioctl(1, TIOCGWINSZ, &ws) < 0)
        return 0;
    return ws.ws_col;
}

void printTable(const Table &table)
{
    table.print(std::cout, terminalWidth());
}

void heading(const std::string &title, const std::string &note = {})
{
    std::cout << "\n" << title << (note.empty() ? "" : "  (" + note + ")") << "\n";
}

std::string q(const std::string &s)
{
    return "\"" + s + "\"";
}

// ---- namespaces ----------------------------------------------------------

std::string sharing(const in::NsEntry &e, const std::map<pid_t, std::string> &owners)
{
    if (e.state != in::NsState::Ok)
        return e.error;
    std::string text = e.sharedWithHost ? "host" : "private";
    std::string with;
    for (pid_t pid : e.sharedWith) {
        auto owner = owners.find(pid);
        with += (with.empty() ? "" : ", ")
                + (owner != owners.end() ? owner->second : "pid " + std::to_string(pid));
    }
    return with.empty() ? text : text + ", shared with " + with;
}

void printNamespaces(const in::Snapshot &s, const std::map<pid_t, std::string> &owners)
{
    heading("NAMESPACES",
            s.namespaces.value ? "compared with " + s.namespaces.value->hostReference : "");
    if (!s.namespaces.value) {
        std::cout << "  " << s.namespaces.error << "\n";
        return;
    }
    Table t({"KIND", "INODE", "SHARING", "WHAT IT ISOLATES"});
    for (const in::NsEntry &e : s.namespaces.value->entries) {
        const hood::NsInfo &info = hood::nsInfo(e.kind);
        t.add({std::string(info.procName),
               e.state == in::NsState::Ok ? std::to_string(e.id.inode) : "-", sharing(e, owners),
               std::string(info.explanation)});
    }
    printTable(t);
}

// ---- mounts --------------------------------------------------------------

// Depth-first, children in mountinfo order, as findmnt draws it.
void walkTree(const std::vector<int> &roots,
              const std::function<const std::vector<int> &(int)> &children,
              const std::function<void(int, const std::string &)> &visit)
{
    std::function<void(int, const std::string &, const std::string &)> walk =
        [&](int index, const std::string &lead, const std::string &rest) {
            visit(index, lead);
            const std::vector<int> &kids = children(index);
            for (size_t i = 0; i < kids.size(); ++i) {
                bool last = i + 1 == kids.size();
                walk(kids[i], rest + (last ? "└─" : "├─"), rest + (last ? "  " : "│ "));
            }
        };
    for (int root : roots)
        walk(root, "", "");
}

void printMounts(const in::Snapshot &s)
{
    if (!s.mounts.value) {
        heading("MOUNTS");
        std::cout << "  " << s.mounts.error << "\n";
        return;
    }
    const in::MountTree &tree = *s.mounts.value;
    heading("MOUNTS", "+ marks a mount that " + s.mountReference + " does not have");
    std::vector<bool> added(tree.mounts.size(), false);
    for (int i : s.mountDiff.added)
        added[static_cast<size_t>(i)] = true;
    Table t({"", "TARGET", "SOURCE", "FSTYPE", "PROPAGATION", "OPTIONS"}, "");
    walkTree(
        tree.roots,
        [&](int i) -> const std::vector<int> & {
            return tree.mounts[static_cast<size_t>(i)].children;
        },
        [&](int i, const std::string &lead) {
            const in::MountEntry &m = tree.mounts[static_cast<size_t>(i)];
            t.add({added[static_cast<size_t>(i)] ? "+" : "", lead + m.target, in::findmntSource(m),
                   m.fstype, in::propagationName(m.propagation), m.options});
        });
    printTable(t);
    std::cout << "  " << tree.mounts.size() << " mounts, " << s.mountDiff.added.size() << " new; "
              << s.mountDiff.removed.size() << " of the host's mounts are not visible here\n";
}

// ---- cgroup --------------------------------------------------------------

std::string limitText(std::optional<uint64_t> limit, bool bytes)
{
    if (!limit)
        return "no limit";
    return bytes ? hood::formatBytes(*limit) : std::to_string(*limit);
}

std::string seconds(uint64_t ns, int decimals = 3)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*f s", decimals, static_cast<double>(ns) / 1e9);
    return buf;
}

void printCgroup(const in::Snapshot &s)
{
    std::string where = s.cgroupMode ? std::string(hood::cgroupModeName(*s.cgroupMode)) : "";
    heading("CGROUP", where + (where.empty() ? "" : "; ") + "one sample: hoodctl top shows CPU %");
    for (const std::string &dir : s.cgroupDirs)
        std::cout << "  " << dir << "\n";
    if (!s.cgroup.value) {
        std::cout << "  " << s.cgroup.error << "\n";
        return;
    }
    const hood::CgroupSample &c = *s.cgroup.value;
    const hood::CgroupStats &st = c.stats;
    char cpus[32] = "no limit";
    if (c.cpuLimit)
        snprintf(cpus, sizeof cpus, "limit %.2f CPUs", *c.cpuLimit);
    Table t({"CPU", seconds(st.cpuUsageNs) + " used, " + cpus + "; throttled "
                        + std::to_string(st.throttledPeriods) + " periods ("
                        + seconds(st.throttledNs) + ")"});
    t.add({"memory", hood::formatBytes(st.memoryCurrent) + " of " + limitText(st.memoryLimit, true)
                         + " (peak " + hood::formatBytes(st.memoryPeak) + "); limit hit "
                         + std::to_string(c.memoryLimitHits) + " times"});
    t.add({"", "anon " + hood::formatBytes(c.memory.anon) + ", file "
                   + hood::formatBytes(c.memory.file) + " (shmem "
                   + hood::formatBytes(c.memory.shmem) + ")"
                   + (c.memory.kernel ? ", kernel " + hood::formatBytes(*c.memory.kernel) : "")
                   + (c.memory.swap ? ", swap " + hood::formatBytes(*c.memory.swap) : "")});
    t.add({"pids", std::to_string(st.pidsCurrent) + " of " + limitText(st.pidsMax, false) + "; "
                       + std::to_string(c.pidsLimitHits) + " forks refused at the limit"});
    t.add({"IO", "read " + hood::formatBytes(c.io.readBytes) + ", written "
                     + hood::formatBytes(c.io.writeBytes)});
    t.add({"OOM",
           std::to_string(st.oomEvents) + " events, " + std::to_string(st.oomKills) + " kills"});
    printTable(t);
}

// ---- processes -----------------------------------------------------------

void printProcesses(const in::Snapshot &s)
{
    heading("PROCESSES", "PID as the host sees it, CPID inside the container's pid namespace");
    if (!s.processes.value) {
        std::cout << "  " << s.processes.error << "\n";
        return;
    }
    const in::ProcessTree &tree = *s.processes.value;
    Table t({"PID", "CPID", "PPID", "S", "THR", "RSS", "UID", "COMMAND"});
    for (size_t col : {0, 1, 2, 4, 5, 6})
        t.alignRight(col);
    walkTree(
        tree.roots,
        [&](int i) -> const std::vector<int> & {
            return tree.processes[static_cast<size_t>(i)].children;
        },
        [&](int i, const std::string &lead) {
            const in::ProcessInfo &p = tree.processes[static_cast<size_t>(i)];
            t.add({std::to_string(p.pid), std::to_string(p.nsPid), std::to_string(p.ppid),
                   std::string(1, p.state), std::to_string(p.threads),
                   hood::formatBytes(p.rssKiB * 1024), std::to_string(p.uid),
                   lead + p.commandLine()});
        });
    printTable(t);
}

// ---- network -------------------------------------------------------------

std::string linkDetail(const in::NetLink &l, const in::NetView &v)
{
    std::string peer;
    if (l.linkIndex && l.linkNetnsId)
        peer = "peer if" + std::to_string(l.linkIndex) + " in netns id "
               + std::to_string(*l.linkNetnsId);
    else if (l.linkIndex)
        peer = "peer " + v.linkName(l.linkIndex);
    if (l.masterIndex)
        peer += (peer.empty() ? "" : ", ") + std::string("master ") + v.linkName(l.masterIndex);
    return peer;
}

void printNetwork(const in::Snapshot &s, const std::string &mode)
{
    heading("NETWORK", "as ip addr / ip route show table all inside");
    if (!mode.empty())
        std::cout << "  " << mode << "\n\n";
    if (!s.network.value) {
        std::cout << "  " << s.network.error << "\n";
        return;
    }
    const in::NetView &v = *s.network.value;
    Table links({"#", "LINK", "TYPE", "STATE", "MAC", "MTU", "RX", "TX", "DETAIL"});
    for (size_t col : {0, 5})
        links.alignRight(col);
    for (const in::NetLink &l : v.links)
        links.add({std::to_string(l.ifindex), l.name, l.type(), l.operState + (l.up ? ",up" : ""),
                   l.mac, std::to_string(l.mtu),
                   hood::formatBytes(l.rxBytes) + "/" + std::to_string(l.rxPackets) + " pkt",
                   hood::formatBytes(l.txBytes) + "/" + std::to_string(l.txPackets) + " pkt",
                   linkDetail(l, v)});
    printTable(links);
    Table addresses({"LINK", "FAMILY", "ADDRESS", "SCOPE"});
    for (const in::NetAddress &a : v.addresses)
        addresses.add({v.linkName(a.ifindex), a.family,
                       a.address + "/" + std::to_string(a.prefixLen), a.scope});
    std::cout << "\n";
    printTable(addresses);
    Table routes({"TABLE", "TYPE", "DESTINATION", "VIA", "DEV", "PROTO", "SCOPE", "SRC"});
    for (const in::NetRoute &r : v.routes) {
        std::string via, dev;
        for (const in::NetNextHop &hop : r.nextHops) {
            via += (via.empty() ? "" : ",") + hop.gateway;
            dev += (dev.empty() ? "" : ",") + v.linkName(hop.ifindex);
        }
        routes.add({r.table, r.type, r.dst, via, dev, r.protocol, r.scope, r.prefSrc});
    }
    std::cout << "\n";
    printTable(routes);
}

// ---- the verb ------------------------------------------------------------

struct Subject {
    std::string title; // "container demo", "process 42"
    in::SnapshotRequest request;
    std::map<pid_t, std::string> owners; // running containers' init pids -> "container ID"
    std::optional<hood::net::Attachment> network; // what its network step made, for a container
};

Subject subjectOf(Context &ctx, const Options &o)
{
    Subject s;
    std::optional<std::string> id;
    for (const hood::ContainerInfo &c : ctx.runtime.list()) {
        if (c.status == hood::Status::Running || c.status == hood::Status::Created)
            s.owners[c.state.pid] = "container " + c.state.id;
    }
    if (auto pid = o.value("--pid")) {
        if (!o.positional().empty())
            throw Error("give either a container ID or --pid PID, not both");
        double n = parseNumber("--pid", *pid);
        if (n < 1 || n != static_cast<double>(static_cast<pid_t>(n)))
            throw Error("--pid " + *pid + ": not a process ID");
        s.request.pid = static_cast<pid_t>(n);
        if (access(("/proc/" + *pid).c_str(), F_OK) != 0)
            throw Error("process " + *pid + " does not exist");
        s.title = "process " + *pid;
    } else {
        if (o.positional().size() != 1)
            throw Error(
                "give one container ID, or --pid PID (hoodctl inspect ID|--pid PID [--json])");
        hood::ContainerInfo info = ctx.runtime.info(o.positional().front());
        if (info.status != hood::Status::Running && info.status != hood::Status::Created)
            throw Error("container " + q(info.state.id) + " is not running (it is "
                        + hood::statusName(info.status) + "): there is nothing to inspect");
        s.request.pid = info.state.pid;
        s.request.cgroupDirs = info.state.cgroupPaths;
        s.title = "container " + info.state.id;
        s.network = hood::net::loadAttachment(ctx.runtime.containerDir(info.state.id));
    }
    for (const auto &[pid, owner] : s.owners) {
        if (pid != s.request.pid)
            s.request.others.push_back(pid);
    }
    return s;
}

} // namespace

int cmdInspect(Context &ctx, const Words &words)
{
    Options o(words, {"--pid"}, {"--json"});
    Subject subject = subjectOf(ctx, o);
    in::Snapshot snapshot = in::takeSnapshot(subject.request);
    if (o.has("--json")) {
        nlohmann::json j = snapshot;
        if (!o.value("--pid"))
            j["id"] = o.positional().front();
        if (subject.network) {
            j["networkMode"] = hood::net::modeName(subject.network->mode);
            j["networkNote"] = hood::net::describeAttachment(*subject.network);
        }
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::cout << subject.title << ": pid " << snapshot.pid << " on the host\n";
    printNamespaces(snapshot, subject.owners);
    printMounts(snapshot);
    printCgroup(snapshot);
    printProcesses(snapshot);
    printNetwork(snapshot, subject.network ? hood::net::describeAttachment(*subject.network) : std::string());
    return 0;
}

} // namespace hoodctl
