// A container's network as the monitor set it up: <state>/network.json, read by
// `hoodctl port`, `hoodctl network inspect`, `hoodctl inspect` and the GUI.
#pragma once

#include "ipv4.h"
#include "netoptions.h"

#include <optional>
#include <string>
#include <vector>

namespace hood::net {

struct Attachment {
    Mode mode = Mode::None;
    std::string network;  // bridge mode: the network's name
    std::string bridge;   // hood0
    std::string hostVeth; // h-web
    std::string mac;      // eth0's
    Ipv4 address = 0, gateway = 0;
    int prefix = 0;
    std::string container; // container mode: whose namespace
    std::vector<PortMapping> ports;
    bool bridged() const { return mode == Mode::Bridge; }
    bool operator==(const Attachment &) const = default;
};

std::string attachmentToJson(const Attachment &a);
// Throws hood::Error naming source for text that is not one.
Attachment attachmentFromJson(const std::string &text, const std::string &source);
// <stateDir>/network.json; nullopt when the container has none (made before networking).
std::optional<Attachment> loadAttachment(const std::string &stateDir);
// One sentence for `hoodctl inspect` and the GUI: what this mode gives the
// container, and for none (and slirp4netns) what rootless networking is here.
std::string describeAttachment(const Attachment &a);

} // namespace hood::net
