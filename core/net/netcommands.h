// The ip and nft commands that build what the network step builds for one
// container, as a person would type them. The GUI's Network and Equivalent-commands
// pages show them; the benchmark runs them to compare with Hood's own netlink calls.
#pragma once

#include "attachment.h"

#include <string>
#include <sys/types.h>
#include <vector>

namespace hood::net {

struct CommandOptions {
    bool bridgeExists = false; // skip the bridge's and the table's commands
    std::string pidWord = "$PID"; // how the init's pid is written ("$PID", "4242")
};

// One command a line (no trailing newline): the host side, then the container
// side as `nsenter -t PID -n ip ...`, then the nft rules (`nft add rule ...`).
std::vector<std::string> equivalentCommands(const std::string &id, const Attachment &a,
                                            const CommandOptions &options = {});

} // namespace hood::net
