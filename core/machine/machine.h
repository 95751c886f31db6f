// What this machine allows, in plain words (`hoodctl info`, the GUI's preflight
// banner): root or rootless, the cgroup mode and what is delegated, user
// namespaces, overlayfs in a user namespace, QEMU, KVM, nftables, the kernel, the
// state root and the image store. Facts are read once (probeMachine), then
// judged by a pure function (machineChecks), so every verdict, reason and fix is
// tested on made-up machines as well as on this one, and the command line and
// the window say the same words.
#pragma once

#include "cgroups/cgroups.h"
#include "cgroups/delegation.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hood {

struct MachineFacts {
    unsigned uid = 0;
    std::optional<CgroupMode> cgroupMode;
    std::string cgroupError;                     // why the mode is unknown
    CgroupDelegation delegation;                 // rootless: the v2 subtree Hood would use
    std::optional<long> maxUserNamespaces;       // /proc/sys/user/max_user_namespaces
    std::optional<long> unprivilegedUsernsClone; // Debian's kernel.unprivileged_userns_clone
    std::optional<long> apparmorRestrictsUserns; // Ubuntu's kernel.apparmor_restrict_unprivileged_userns
    std::string kernelRelease;                   // /proc/sys/kernel/osrelease (uname -r)
    bool overlayFilesystem = false;              // "overlay" in /proc/filesystems
    bool overlayModule = false;                  // overlay.ko in /lib/modules/<release>: loaded on first mount
    std::string qemuSystem;                      // path of qemu-system-x86_64, if any
    std::string qemuUser;                        // path of qemu-x86_64, if any
    bool kvmDevice = false;                      // /dev/kvm exists
    int kvmErrno = 0;                            // opening it read-write: 0 = it opens
    std::string kvmTrialProblem;                 // why a trial guest says KVM does not work; empty: it does
    std::string nft;                             // path of the nft program, if any
    std::string libnftables;                     // path of libnftables.so.1, if any
    std::string stateRoot;                       // where containers' state goes
    std::string stateRootProblem;                // why it cannot be used; empty: fine
    std::string store;                           // the built-in image's root filesystem
    std::string storeProblem;                    // why it was not found; empty: fine
};

// Where probeMachine() looks; a fixture tree replaces them in tests.
struct MachineSources {
    std::string procRoot = "/proc";
    std::string cgroupRoot = "/sys/fs/cgroup";
    std::string modulesRoot = "/lib/modules";
    std::string devKvm = "/dev/kvm";
    std::optional<std::string> path;     // the PATH to search; nullopt: $PATH
    std::vector<std::string> libraryDirs = {"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
                                            "/usr/lib64", "/usr/lib", "/lib"};
    std::optional<unsigned> uid;         // nullopt: geteuid()
    std::string stateRoot;               // empty: the default state root
    bool findStore = true;               // look up the built-in image
};

// Never throws: what cannot be read is a fact too (cgroupError, a missing file).
MachineFacts probeMachine(const MachineSources &sources = {});

enum class CheckLevel { Ok, Limited, Missing };
const char *checkLevelName(CheckLevel level); // "ok", "limited", "missing"

struct MachineCheck {
    std::string key;     // "privileges", "cgroups", "userns", "overlay", "qemu", "kvm",
                         // "nftables", "kernel", "stateroot", "store"
    std::string title;   // "User namespaces"
    CheckLevel level = CheckLevel::Ok;
    std::string verdict; // one short line: "available", "hybrid (limits through v1)"
    std::string reason;  // one sentence: why, with the file or number that says so
    std::string fix;     // what to do; empty when nothing needs doing
};

// Pure: one check per key above, in that order.
std::vector<MachineCheck> machineChecks(const MachineFacts &facts);

// "6.18.0-1-amd64" -> {6, 18}; {0, 0} when unreadable.
std::pair<int, int> kernelVersion(std::string_view release);

// `hoodctl info --json`: {"checks": [...], "facts": {...}}.
nlohmann::json machineJson(const MachineFacts &facts, const std::vector<MachineCheck> &checks);

} // namespace hood
