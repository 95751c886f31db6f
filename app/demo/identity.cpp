// The commands that show what the container made of the process: who it is (ids,
// capabilities, hostname, pids, namespaces) and which fds it inherited.
#include "demo.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <linux/capability.h>
#include <map>
#include <sstream>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace demo {

namespace {

// Bit N of a capability mask is capability N; names as capsh prints them.
// clang-format off
constexpr std::array<const char *, 41> kCapNames = {
    "cap_chown", "cap_dac_override", "cap_dac_read_search", "cap_fowner", "cap_fsetid",
    "cap_kill", "cap_setgid", "cap_setuid", "cap_setpcap", "cap_linux_immutable",
    "cap_net_bind_service", "cap_net_broadcast", "cap_net_admin", "cap_net_raw",
    "cap_ipc_lock", "cap_ipc_owner", "cap_sys_module", "cap_sys_rawio", "cap_sys_chroot",
    "cap_sys_ptrace", "cap_sys_pacct", "cap_sys_admin", "cap_sys_boot", "cap_sys_nice",
    "cap_sys_resource", "cap_sys_time", "cap_sys_tty_config", "cap_mknod", "cap_lease",
    "cap_audit_write", "cap_audit_control", "cap_setfcap", "cap_mac_override",
    "cap_mac_admin", "cap_syslog", "cap_wake_alarm", "cap_block_suspend", "cap_audit_read",
    "cap_perfmon", "cap_bpf", "cap_checkpoint_restore",
};
// clang-format on

std::string capNames(uint64_t mask)
{
    std::string names;
    for (unsigned bit = 0; bit < 64; ++bit) {
        if (!(mask & (uint64_t(1) << bit)))
            continue;
        if (!names.empty())
            names += ',';
        names += bit < kCapNames.size() ? kCapNames[bit] : "cap_" + std::to_string(bit);
    }
    return names.empty() ? "none" : names;
}

// The "Name:\tvalue" lines of /proc/self/status; empty when /proc is not mounted.
std::map<std::string, std::string> procStatus()
{
    std::map<std::string, std::string> fields;
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        size_t colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        size_t value = line.find_first_not_of(" \t", colon + 1);
        fields[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
    }
    return fields;
}

// Without /proc the same masks come from capget(2) and PR_CAPBSET_READ.
std::map<std::string, uint64_t> capsFromSyscalls()
{
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2]{};
    std::map<std::string, uint64_t> caps;
    if (syscall(SYS_capget, &header, data) == 0) {
        caps["CapEff"] = data[0].effective | uint64_t(data[1].effective) << 32;
        caps["CapPrm"] = data[0].permitted | uint64_t(data[1].permitted) << 32;
    }
    uint64_t bounding = 0;
    for (int cap = 0; cap < 64 && prctl(PR_CAPBSET_READ, cap) >= 0; ++cap) {
        if (prctl(PR_CAPBSET_READ, cap) == 1)
            bounding |= uint64_t(1) << cap;
    }
    caps["CapBnd"] = bounding;
    return caps;
}

void printCaps(const std::map<std::string, std::string> &status)
{
    static const std::pair<const char *, const char *> kSets[] = {
        {"CapEff", "cap.eff"}, {"CapPrm", "cap.prm"}, {"CapBnd", "cap.bnd"},
        {"CapInh", "cap.inh"}, {"CapAmb", "cap.amb"}};
    std::map<std::string, uint64_t> fallback;
    if (status.empty())
        fallback = capsFromSyscalls();
    for (const auto &[field, key] : kSets) {
        uint64_t mask = 0;
        if (auto it = status.find(field); it != status.end())
            mask = std::strtoull(it->second.c_str(), nullptr, 16);
        else
            mask = fallback[field];
        std::printf("%s: %016llx\n%s.names: %s\n", key, static_cast<unsigned long long>(mask), key,
                    capNames(mask).c_str());
    }
}

// Reads /etc/passwd of the rootfs by hand: NSS would need shared libraries.
std::string userName(uid_t uid)
{
    std::ifstream in("/etc/passwd");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string name, password, id;
        if (std::getline(fields, name, ':') && std::getline(fields, password, ':')
            && std::getline(fields, id, ':') && id == std::to_string(uid))
            return name;
    }
    return "unknown";
}

void printIds()
{
    uid_t ruid, euid, suid;
    gid_t rgid, egid, sgid;
    getresuid(&ruid, &euid, &suid);
    getresgid(&rgid, &egid, &sgid);
    std::printf("uid: %u\neuid: %u\ngid: %u\negid: %u\nuser: %s\n", ruid, euid, rgid, egid,
                userName(ruid).c_str());
    std::vector<gid_t> groups(size_t(std::max(0, getgroups(0, nullptr))));
    groups.resize(size_t(std::max(0, getgroups(int(groups.size()), groups.data()))));
    std::string list;
    for (gid_t g : groups)
        list += (list.empty() ? "" : ",") + std::to_string(g);
    std::printf("groups: %s\n", list.empty() ? "none" : list.c_str());
}

std::string readLink(const std::string &path)
{
    char target[4096];
    ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
    if (n < 0)
        return std::string("? (") + std::strerror(errno) + ")";
    return std::string(target, size_t(n));
}

// Entry names of a directory, sorted; false when it cannot be opened.
bool listDir(const char *path, std::vector<std::string> *names, int *dirFd = nullptr)
{
    DIR *dir = opendir(path);
    if (!dir)
        return false;
    if (dirFd)
        *dirFd = dirfd(dir);
    while (dirent *entry = readdir(dir)) {
        if (entry->d_name[0] != '.')
            names->push_back(entry->d_name);
    }
    closedir(dir);
    std::sort(names->begin(), names->end());
    return true;
}

// "pid:[4026531836]" -> "4026531836".
std::string inodeOf(const std::string &link)
{
    size_t open = link.find('[');
    size_t close = link.find(']');
    if (open == std::string::npos || close == std::string::npos || close < open)
        return link;
    return link.substr(open + 1, close - open - 1);
}

bool printNamespaces()
{
    std::vector<std::string> kinds;
    if (!listDir("/proc/self/ns", &kinds)) {
        std::printf("ns: unavailable (open /proc/self/ns: %s)\n", std::strerror(errno));
        return false;
    }
    for (const std::string &kind : kinds)
        std::printf("ns.%s: %s\n", kind.c_str(),
                    inodeOf(readLink("/proc/self/ns/" + kind)).c_str());
    return true;
}

// Without /proc, probe the fd numbers one by one; the targets stay unknown.
int probeFds()
{
    int open = 0;
    for (int fd = 0; fd < 1024; ++fd) {
        if (fcntl(fd, F_GETFD) >= 0) {
            std::printf("fd.%d: ? (/proc is not mounted)\n", fd);
            ++open;
        }
    }
    std::printf("fds: %d open\n", open);
    return kExitFailed;
}

} // namespace

int cmdFds(Args args)
{
    if (!args.empty())
        throw UsageError{"takes no arguments"};
    std::vector<std::string> names;
    int listingFd = -1;
    if (!listDir("/proc/self/fd", &names, &listingFd))
        return probeFds();
    std::vector<int> fds;
    for (const std::string &name : names) {
        int fd = std::atoi(name.c_str());
        if (fd != listingFd)
            fds.push_back(fd);
    }
    std::sort(fds.begin(), fds.end());
    for (int fd : fds)
        std::printf("fd.%d: %s\n", fd, readLink("/proc/self/fd/" + std::to_string(fd)).c_str());
    std::printf("fds: %zu open\n", fds.size());
    return kExitOk;
}

int cmdWhoami(Args args)
{
    if (!args.empty())
        throw UsageError{"takes no arguments"};
    const std::map<std::string, std::string> status = procStatus();
    printIds();
    printCaps(status);
    for (const char *field : {"NoNewPrivs", "Seccomp"}) {
        auto it = status.find(field);
        std::printf("%s: %s\n", field[0] == 'N' ? "no_new_privs" : "seccomp",
                    it == status.end() ? "unknown" : it->second.c_str());
    }
    utsname uts{};
    uname(&uts);
    std::printf("hostname: %s\npid: %d\nppid: %d\n", uts.nodename, int(getpid()), int(getppid()));
    return printNamespaces() && !status.empty() ? kExitOk : kExitFailed;
}

} // namespace demo
