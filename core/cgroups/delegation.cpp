#include "delegation.h"

#include "cgroup_fs.h"
#include "cgroup_paths.h"

#include <algorithm>
#include <sys/stat.h>
#include <unistd.h>

namespace hood {

namespace {

bool ownedBy(const std::string &path, uid_t uid, bool directory)
{
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && st.st_uid == uid
           && (directory ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

// What systemd chowns when it delegates a cgroup (and what mkdir gives the
// user below it): the directory and the two files that move processes and
// hand controllers on.
bool delegatedTo(const std::string &dir, uid_t uid)
{
    return ownedBy(dir, uid, true) && ownedBy(cgfs::join(dir, "cgroup.procs"), uid, false)
           && ownedBy(cgfs::join(dir, "cgroup.subtree_control"), uid, false);
}

std::string parentPath(const std::string &path)
{
    size_t slash = path.rfind('/');
    return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

CgroupDelegation refused(std::string why)
{
    CgroupDelegation d;
    d.why = std::move(why);
    return d;
}

std::string uidText(uid_t uid)
{
    return "uid " + std::to_string(uid);
}

} // namespace

CgroupDelegation findDelegatedBase(const std::string &root, CgroupMode mode,
                                   std::string_view procCgroup, uid_t uid)
{
    if (mode != CgroupMode::V2)
        return refused(std::string("the cgroup controllers are on v1 hierarchies (") + cgroupModeName(mode)
                       + " mode), which delegate nothing to a user: only a cgroup v2 subtree can be "
                         "given to " + uidText(uid));
    auto lines = parseProcCgroup(procCgroup);
    const ProcCgroupLine *own = cgroupLineFor(lines, "");
    if (!own || own->path.empty() || own->path[0] != '/')
        return refused("/proc/self/cgroup has no cgroup v2 line (\"0::/path\")");
    if (own->path == "/")
        return refused("this process is in the root cgroup, which no user is given");
    std::string base;
    for (std::string path = own->path; path != "/"; path = parentPath(path)) {
        if (!delegatedTo(root + path, uid))
            break;
        base = path;
    }
    const std::string ownDir = root + own->path;
    if (base.empty())
        return refused(ownDir + " (this process's cgroup) is not delegated to " + uidText(uid)
                       + ": it or its cgroup.procs belongs to someone else (a desktop login's "
                         "user@" + std::to_string(uid) + ".service is delegated; an ssh or su "
                         "session is not)");
    if (base == own->path)
        return refused("this process sits in " + ownDir + ", the delegated cgroup itself, and "
                       "cgroup v2 gives controllers to child cgroups only from a cgroup without "
                       "processes: move the shell into a child cgroup of it first");
    CgroupDelegation d;
    d.base = root + base;
    d.controllers = cgfs::readWords(cgfs::join(d.base, "cgroup.controllers"));
    std::string list;
    for (const std::string &c : d.controllers)
        list += (list.empty() ? "" : " ") + c;
    d.why = d.base + " is delegated to " + uidText(uid) + " (controllers: "
            + (list.empty() ? "none" : list) + ")";
    return d;
}

CgroupDelegation detectDelegation()
{
    const std::string root = "/sys/fs/cgroup";
    try {
        return findDelegatedBase(root, detectCgroupMode(root), readFile("/proc/self/cgroup"),
                                 ::geteuid());
    } catch (const std::exception &e) {
        return refused(e.what());
    }
}

std::vector<std::string> missingControllers(const CgroupDelegation &delegation,
                                            const Resources &resources)
{
    std::vector<std::string> wanted;
    if (resources.memoryLimit)
        wanted.push_back("memory");
    if (resources.cpuQuota || resources.cpuPeriod || resources.cpuShares)
        wanted.push_back("cpu");
    if (resources.pidsLimit)
        wanted.push_back("pids");
    std::erase_if(wanted, [&](const std::string &c) {
        return std::find(delegation.controllers.begin(), delegation.controllers.end(), c)
               != delegation.controllers.end();
    });
    return wanted;
}

} // namespace hood
