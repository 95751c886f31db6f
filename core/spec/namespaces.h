// The eight namespace kinds in one table (like crun's namespaces[] and util-linux
// lsns' infos[]). The same rows feed hoodctl's --ns parsing, the GUI's tooltips and
// the lessons, so a kind is described once.
#pragma once

#include <array>
#include <string_view>

namespace hood {

enum class NsKind { Pid, Mount, Uts, Ipc, Network, User, Cgroup, Time };

struct NsInfo {
    NsKind kind;
    std::string_view ociName;     // linux.namespaces[].type in config.json
    std::string_view procName;    // file name in /proc/PID/ns/
    std::string_view shortName;   // hoodctl --ns name, as unshare/lsns spell it
    int cloneFlag;                // CLONE_NEW*
    std::string_view explanation; // one line, for tooltips and lessons
};

extern const std::array<NsInfo, 8> kNamespaces;

const NsInfo &nsInfo(NsKind kind);
// Accepts the OCI name ("mount", "network"), the /proc name ("mnt", "net") or the
// short name; nullptr when the name is none of those.
const NsInfo *findNamespace(std::string_view name);

} // namespace hood
