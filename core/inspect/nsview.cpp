#include "nsview.h"

#include "error.h"
#include "procfs.h"
#include "proctree.h"

#include <cerrno>
#include <sys/stat.h>

namespace hood::inspect {

namespace {

bool exists(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// A zombie keeps its /proc/PID directory but has dropped its namespaces; its
// state tells it apart from a kernel that lacks the kind.
bool isZombieOrGone(const std::string &pidDir)
{
    std::string status;
    if (readFileNoThrow(pidDir + "/status", status) != 0)
        return true;
    try {
        return parseStatus(status).state == 'Z';
    } catch (const Error &) {
        return false; // not a status file: let the caller report the stat error
    }
}

NsState stateForErrno(int err, const std::string &procRoot, const std::string &pidDir,
                      const NsInfo &info)
{
    if (err == EACCES || err == EPERM)
        return NsState::Denied;
    if (err != ENOENT)
        return NsState::Failed;
    if (!exists(pidDir) || isZombieOrGone(pidDir))
        return NsState::Exited;
    if (!exists(procRoot + "/self/ns/" + std::string(info.procName)))
        return NsState::Unsupported;
    return NsState::Failed;
}

NsEntry readOne(const std::string &procRoot, const std::string &pidDir, const NsInfo &info)
{
    NsEntry entry;
    entry.kind = info.kind;
    std::string path = pidDir + "/ns/" + std::string(info.procName);
    struct stat st {};
    // stat, not lstat: following the magic link reaches the nsfs inode (as lsns).
    if (::stat(path.c_str(), &st) == 0) {
        entry.state = NsState::Ok;
        entry.id = {static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_dev)};
        return entry;
    }
    int err = errno;
    entry.state = stateForErrno(err, procRoot, pidDir, info);
    entry.error = entry.state == NsState::Unsupported
                      ? std::string(info.procName) + " namespaces are not supported by this kernel"
                      : Error::sys("stat", path, err).what();
    return entry;
}

NsSet readSet(const std::string &procRoot, const std::string &pidDir)
{
    NsSet set;
    for (size_t i = 0; i < kNamespaces.size(); ++i)
        set[i] = readOne(procRoot, pidDir, kNamespaces[i]);
    return set;
}

// The first entry that is neither Ok nor Unsupported: an old kernel without the
// time namespace is still a perfectly good reference for the other seven.
const NsEntry *firstUnreadable(const NsSet &set)
{
    for (const NsEntry &entry : set) {
        if (entry.state != NsState::Ok && entry.state != NsState::Unsupported)
            return &entry;
    }
    return nullptr;
}

bool sameNamespace(const NsEntry &a, const NsEntry &b)
{
    return a.state == NsState::Ok && b.state == NsState::Ok && a.id == b.id;
}

} // namespace

const char *nsStateName(NsState state)
{
    switch (state) {
    case NsState::Ok: return "ok";
    case NsState::Unsupported: return "unsupported";
    case NsState::Denied: return "denied";
    case NsState::Exited: return "exited";
    case NsState::Failed: return "failed";
    }
    return "failed";
}

NsSet readNamespaces(pid_t pid, const std::string &procRoot)
{
    return readSet(procRoot, procPath(procRoot, pid));
}

HostNamespaces readHostNamespaces(const std::string &procRoot)
{
    HostNamespaces host;
    host.set = readNamespaces(1, procRoot);
    host.reference = "pid 1";
    if (const NsEntry *bad = firstUnreadable(host.set)) {
        host.reference = "this process, because pid 1 cannot be read (" + bad->error + ")";
        host.set = readSet(procRoot, procRoot + "/self");
        host.isPid1 = false;
    }
    return host;
}

NsView compareNamespaces(pid_t pid, const NsSet &mine, const HostNamespaces &host,
                         const std::vector<std::pair<pid_t, NsSet>> &others)
{
    NsView view;
    view.pid = pid;
    view.hostReference = host.reference;
    view.entries = mine;
    for (size_t i = 0; i < view.entries.size(); ++i) {
        NsEntry &entry = view.entries[i];
        entry.sharedWithHost = sameNamespace(entry, host.set[i]);
        entry.sharedWith.clear();
        for (const auto &[otherPid, otherSet] : others) {
            if (otherPid != pid && sameNamespace(entry, otherSet[i]))
                entry.sharedWith.push_back(otherPid);
        }
    }
    return view;
}

NsView inspectNamespaces(pid_t pid, const std::vector<pid_t> &others, const std::string &procRoot)
{
    std::vector<std::pair<pid_t, NsSet>> otherSets;
    otherSets.reserve(others.size());
    for (pid_t other : others)
        otherSets.emplace_back(other, readNamespaces(other, procRoot));
    return compareNamespaces(pid, readNamespaces(pid, procRoot), readHostNamespaces(procRoot),
                             otherSets);
}

} // namespace hood::inspect
