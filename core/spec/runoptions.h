// From run options to a Spec, in one place. `hoodctl run`'s flags, the GUI's launcher,
// a lesson's launch action and the Equivalent-commands page all describe a container
// as RunOptions, and specFromRunOptions is the only code that turns them into a
// config.json: Docker's defaults (PATH/TERM/HOSTNAME, capabilities, the CPU period,
// the 12-character hostname, its seccomp profile; no_new_privs on, unlike Docker), the
// default namespaces and the limit
// rules live here and nowhere else.
#pragma once

#include "net/netoptions.h"
#include "spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hood {

// What `docker run` / `hoodctl run` flags say. Plain values, already parsed (see
// units.h for the text forms).
struct RunOptions {
    std::string id;                       // the container's ID (the default hostname's source)
    std::string rootfs;                   // root.path, as the caller resolved the image
    std::vector<std::string> command;     // empty: the image's Cmd, else "sh"
    std::optional<std::vector<std::string>> entrypoint; // docker --entrypoint; nullopt: the image's
    std::vector<std::string> env;         // "K=V", over the defaults and the image's
    std::string cwd;                      // empty: the image's WorkingDir, else "/"
    std::string hostname;                 // empty: the first 12 characters of id (with a UTS ns)
    std::optional<std::vector<NsKind>> namespaces; // nullopt: defaultNamespaces()
    std::optional<int64_t> memory;        // bytes
    std::optional<double> cpus;           // CPUs, e.g. 0.5
    std::optional<int64_t> pids;          // at most this many tasks; -1: no limit
    bool terminal = false;
    bool rootless = false;                // a user namespace (the runtime maps it)
    // --network, --ip, --mac-address, -p. Host mode drops the network namespace from
    // the spec; the rest is the monitor's network step (runtime/netstep.h).
    net::NetworkOptions network;
    // --security-opt seccomp=unconfined|FILE: Docker's default profile unless told.
    enum class Seccomp { Default, Unconfined, Profile };
    Seccomp seccomp = Seccomp::Default;
    std::string seccompProfile;           // Profile: the JSON text of a Docker profile
    std::string seccompSource;            // Profile: its file, for messages
    // --security-opt no-new-privileges=false turns it off (setuid binaries work again).
    bool noNewPrivileges = true;
    // Names the options in messages of whole-spec rules: "hoodctl run: hostname: ...".
    std::string source = "hoodctl run";
};

// The part of an OCI image's config ("config" in the image config JSON) that a run
// merges in, as Docker does. Hood's built-in image has none, so it is empty today;
// the image store fills it.
struct ImageConfig {
    std::vector<std::string> env;        // "K=V"
    std::vector<std::string> entrypoint;
    std::vector<std::string> cmd;
    std::string user;                    // "uid" or "uid:gid" (numbers only, for now)
    std::string workingDir;
    bool operator==(const ImageConfig &) const = default;
};

// The namespaces a container gets by default: all but user and time, as docker does
// on a cgroup v2 host (where the cgroup namespace is private by default).
const std::vector<NsKind> &defaultNamespaces();

// Docker's CFS period for --cpus (100 ms): --cpus 0.5 is a quota of 50000 us per period.
inline constexpr uint64_t kCpuPeriodMicros = 100000;

// The Spec these options make over this image config: runc's template (mounts,
// masked paths, rlimits) with Docker's process defaults, then the options. Throws
// hood::Error with one sentence for an option that breaks a rule:
//   "--memory 1K: must be at least 1M (the kernel needs room to run anything)"
//   "--pids 0: must be a whole number of at least 1 (or -1 for no limit)"
//   "--cpus 64: must be between 0.01 and 2 (the CPUs this machine has)"
//   "hoodctl run: hostname: must be at most 64 characters"
// An empty rootfs is allowed (a spec to show, not to run); every other field is
// validated as config.json is (validateSpec).
Spec specFromRunOptions(const RunOptions &options, const ImageConfig &image = {});

// Docker's merge of an image config under the options (moby daemon/commit.go merge()
// and CreateDaemonEnvironment()): the process's args, env, cwd and user.
//   args: entrypoint + cmd; options.command replaces the image's Cmd, options.entrypoint
//         replaces the image's Entrypoint and then drops the image's Cmd
//   env:  PATH, HOSTNAME (and TERM with a terminal) defaults, replaced or extended by
//         the image's Env, which options.env overrides key by key
//   cwd:  options.cwd, else the image's WorkingDir, else "/"
void mergeImageConfig(Process &process, const RunOptions &options, const ImageConfig &image,
                      const std::string &hostname);

// The CPUs a quota/period pair gives (quota 50000 of 100000 -> 0.5); nullopt for none.
std::optional<double> cpusOf(const Resources &resources);

} // namespace hood
