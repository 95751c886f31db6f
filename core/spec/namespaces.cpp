#include "namespaces.h"

#include <sched.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace hood {

const std::array<NsInfo, 8> kNamespaces = {{
    {NsKind::Pid, "pid", "pid", "pid", CLONE_NEWPID,
     "Process IDs: the container sees its own numbering, starting at 1, and none of the host's processes."},
    {NsKind::Mount, "mount", "mnt", "mnt", CLONE_NEWNS,
     "Mount table: the container gets its own root filesystem and mounts that the host never sees."},
    {NsKind::Uts, "uts", "uts", "uts", CLONE_NEWUTS,
     "Hostname and domain name: the container can rename itself without renaming the host."},
    {NsKind::Ipc, "ipc", "ipc", "ipc", CLONE_NEWIPC,
     "System V IPC and POSIX message queues: shared memory and semaphores are private to the container."},
    {NsKind::Network, "network", "net", "net", CLONE_NEWNET,
     "Network stack: its own interfaces, addresses, routes and ports; a new one holds only loopback."},
    {NsKind::User, "user", "user", "user", CLONE_NEWUSER,
     "User and group IDs: root inside can be an unprivileged user outside (how rootless containers work)."},
    {NsKind::Cgroup, "cgroup", "cgroup", "cgroup", CLONE_NEWCGROUP,
     "cgroup view: the container sees its own cgroup as the root of the cgroup tree."},
    {NsKind::Time, "time", "time", "time", CLONE_NEWTIME,
     "Boot and monotonic clocks: the container can have its own uptime offsets."},
}};

const NsInfo &nsInfo(NsKind kind)
{
    return kNamespaces[static_cast<size_t>(kind)];
}

const NsInfo *findNamespace(std::string_view name)
{
    for (const NsInfo &info : kNamespaces) {
        if (name == info.ociName || name == info.procName || name == info.shortName)
            return &info;
    }
    if (name == "net" || name == "network")
        return &nsInfo(NsKind::Network);
    return nullptr;
}

} // namespace hood
