// Namespaces of a process, read the way util-linux lsns reads them: stat() of
// /proc/PID/ns/<kind> follows the magic link to the nsfs inode, and two processes
// share a namespace exactly when (st_dev, st_ino) are equal (namespaces(7)).
//
// Nothing here throws for the ordinary outcomes of looking at someone else's
// process: a kind this kernel lacks, a process that exited, a permission refused.
// Those are states with a sentence, so a page can show "time: not supported by
// this kernel" in the row instead of losing the whole view.
#pragma once

#include "spec/namespaces.h"

#include <array>
#include <cstdint>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace hood::inspect {

enum class NsState {
    Ok,
    Unsupported, // the kernel has no such kind (time before 5.6, cgroup before 4.6)
    Denied,      // no permission to look, e.g. another user's process when not root
    Exited,      // the process is gone (or a zombie), and its namespaces with it
    Failed,      // anything else; the entry's error says what
};

// "ok", "unsupported", "denied", "exited", "failed"
const char *nsStateName(NsState state);

struct NsId {
    uint64_t inode = 0;  // what lsns prints in its NS column
    uint64_t device = 0; // st_dev of nsfs; part of the identity per namespaces(7)
    bool operator==(const NsId &) const = default;
};

struct NsEntry {
    NsKind kind = NsKind::Pid;
    NsState state = NsState::Failed;
    NsId id;
    std::string error;             // one sentence when state != Ok
    bool sharedWithHost = false;   // same namespace as the host reference
    std::vector<pid_t> sharedWith; // the other given pids in this same namespace
};

using NsSet = std::array<NsEntry, 8>; // in kNamespaces order

// The eight kinds of one process; sharing fields are left empty.
NsSet readNamespaces(pid_t pid, const std::string &procRoot = "/proc");

// What "the host" means for sharedWithHost. Normally pid 1; but pid 1 may not be
// readable (as a normal user, or inside a sandbox whose init is protected), and
// then the inspecting process itself stands in, and `reference` says so.
struct HostNamespaces {
    NsSet set;
    bool isPid1 = true;
    std::string reference; // "pid 1", or why another process was used
};

HostNamespaces readHostNamespaces(const std::string &procRoot = "/proc");

struct NsView {
    pid_t pid = 0;
    std::string hostReference;
    NsSet entries;

    const NsEntry &entry(NsKind kind) const { return entries[static_cast<size_t>(kind)]; }
};

// Pure: fills the sharing fields from sets already read. A kind that is not Ok on
// either side is never reported as shared.
NsView compareNamespaces(pid_t pid, const NsSet &mine, const HostNamespaces &host,
                         const std::vector<std::pair<pid_t, NsSet>> &others);

// readNamespaces for pid and every one of `others`, then compareNamespaces.
NsView inspectNamespaces(pid_t pid, const std::vector<pid_t> &others = {},
                         const std::string &procRoot = "/proc");

} // namespace hood::inspect
