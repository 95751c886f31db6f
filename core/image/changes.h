// A container's changes: its overlay upper directory read as `docker diff` prints it,
// and turned into a new layer by `hoodctl commit`.
#pragma once

#include "store.h"

#include <string>
#include <vector>

namespace hood::image {

struct Change {
    char kind = 'A';  // 'A' added, 'C' changed, 'D' deleted (docker diff's letters)
    std::string path; // "/etc/hostname"
    bool operator==(const Change &) const = default;
};

// The changes of an upper directory over its lowers (top first), sorted by path.
// A whiteout (0/0 character device) is D; a path that exists below is C; else A.
std::vector<Change> diffUpper(const std::string &upper, const std::vector<std::string> &lowersTopFirst);

// A new image: `parent`'s layers with the upper directory as one more layer on top
// (whiteouts written back as OCI's .wh. entries), tagged ref.
ImageRecord commitUpper(Store &store, const ImageRecord &parent, const std::string &upper, const ImageRef &ref,
                        const std::string &createdBy);

} // namespace hood::image
