// Rootless networking: slirp4netns, a user-mode TCP/IP stack behind a tap device in
// the container's namespace. It needs no privilege on the host (it runs as the
// caller and connects out with ordinary sockets), so it is how a rootless container
// reaches the world; a bridge needs root. pasta (passt) is only detected.
#pragma once

#include "ipv4.h"
#include "sys/fd.h"

#include <optional>
#include <string>
#include <sys/types.h>

namespace hood::net {

// slirp4netns --configure's fixed plan (its defaults, podman's too).
inline constexpr const char *kSlirpTap = "tap0";
inline const Ipv4 kSlirpAddress = (10u << 24) | (0u << 16) | (2u << 8) | 100u; // 10.0.2.100/24
inline const Ipv4 kSlirpGateway = (10u << 24) | (2u << 8) | 2u;                 // 10.0.2.2
inline const Ipv4 kSlirpDns = (10u << 24) | (2u << 8) | 3u;                     // 10.0.2.3
inline constexpr int kSlirpPrefix = 24;

// The executable's path in /usr/bin, /usr/local/bin or /bin (not $PATH: the
// monitor runs it as root too), or nullopt.
std::optional<std::string> findTool(const char *name);

// One sentence for `hoodctl run --help`, inspect and the docs: which user-mode
// stacks this machine has, and what rootless networking is therefore.
std::string rootlessNetworkNote();

// A running slirp4netns for one container. It ends when `exit` closes: on
// Monitor exit, and by the kernel when the monitor is killed, so no journal row
// is needed for it.
struct Slirp {
    pid_t pid = -1;
    Fd exit; // our end of --exit-fd
};

// Starts `slirp4netns --configure --mtu 65520 --disable-host-loopback
// --exit-fd 3 --ready-fd 4 PID tap0` and waits (up to timeoutMs) until it says the
// tap is configured; its stderr goes to logPath. Throws one sentence naming
// slirp4netns and the last line it wrote.
Slirp startSlirp4netns(const std::string &exe, pid_t target, const std::string &logPath, int timeoutMs = 5000);

} // namespace hood::net
