// Image references as Docker writes them: NAME[:TAG][@sha256:HEX]. Docker's
// normalisation: `busybox` is `busybox:latest`, and the Docker Hub prefixes
// (`docker.io/`, `docker.io/library/`, `index.docker.io/`) are dropped, so
// `docker.io/library/busybox:latest` and `busybox` name the same image.
#pragma once

#include <string>

namespace hood::image {

struct ImageRef {
    std::string name;   // "busybox", "localhost:5000/team/app"
    std::string tag;    // "latest" when neither tag nor digest was given
    std::string digest; // "sha256:..." after '@', or empty
    // "busybox:latest", "app@sha256:...", "app:1@sha256:..."
    std::string str() const;
    // "busybox:latest" (empty when there is no tag)
    std::string nameTag() const { return tag.empty() ? std::string() : name + ":" + tag; }
    bool operator==(const ImageRef &) const = default;
};

// Throws hood::Error with one sentence: "image reference \"Busybox\": ...".
ImageRef parseReference(const std::string &text);
// True when `text` parses (without throwing).
bool isReference(const std::string &text);
// The full name other tools expect in archives: "docker.io/library/busybox:latest".
std::string fullyQualified(const ImageRef &ref);

} // namespace hood::image
