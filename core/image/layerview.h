// A layer view like dive's (github.com/wagoodman/dive): the layers of an overlay
// stack in overlayfs form (a whiteout is a 0/0 character device, an opaque
// directory carries trusted.overlay.opaque or user.overlay.opaque = "y"), what
// each layer adds, modifies and deletes, the merged tree with the layer every file
// comes from, layer sizes, wasted space and dive's efficiency score.
//
// The layer directories of a running container come from its root overlay mount
// in /proc/PID/mountinfo (lowerdir=top:...:base, upperdir, workdir). An image's
// history (instruction + size per layer, as `docker history` prints it) may label
// the layers; without one a layer is named by its directory.
//
// No Qt: the GUI's Layers page and, later, `hoodctl` share it.
#pragma once

#include "inspect/mounttree.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace hood::image {

enum class EntryType { File, Dir, Symlink, Other, Whiteout };

// One path in one layer directory. Paths are absolute inside the image ("/etc/passwd").
struct LayerEntry {
    std::string path;
    EntryType type = EntryType::File;
    uint64_t size = 0;     // regular files only (a hard link's second name counts 0, as in a tar)
    bool opaque = false;   // a directory that hides everything below it in lower layers
    int64_t ctimeNs = 0;   // for telling a copied-up file from its lower original
};

// One layer of the stack, as found on disk.
struct LayerInput {
    std::string dir;                 // the layer's directory (or the merged root, see below)
    std::vector<LayerEntry> entries; // parents before children
    bool writable = false;           // the container's upper layer
    std::string problem;             // why the directory could not be read, if it could not
};

// One line of an image's history, oldest first, as `docker history` lists it.
struct HistoryStep {
    std::string createdBy; // "ADD file:... in /", "RUN apk add curl"
    uint64_t size = 0;
    bool emptyLayer = false; // ENV, CMD, ...: no layer of its own
};

enum class Change { Added, Modified, Deleted };
const char *changeName(Change change); // "added", "modified", "deleted"

struct LayerChange {
    std::string path;
    Change change = Change::Added;
    EntryType type = EntryType::File;
    uint64_t size = 0;     // the file's size; for a deletion, the bytes it hides
    bool whiteout = false; // a deletion made by a whiteout (not by an opaque directory)
    bool opaque = false;   // a directory made opaque in this layer
};

struct LayerSummary {
    int index = 0;       // 0 = the base
    std::string dir;
    std::string label;   // the instruction that made it, or its directory
    bool writable = false;
    uint64_t size = 0;   // bytes of its regular files
    std::vector<LayerChange> changes; // in path order
    int added = 0, modified = 0, deleted = 0;
    std::string problem;
};

// One path of the merged tree (what the container sees).
struct MergedEntry {
    std::string path;
    EntryType type = EntryType::File;
    uint64_t size = 0;
    int layer = 0;        // index of the layer it comes from
    int copies = 1;       // how many layers hold this path (more than one: it was overwritten)
};

// A path that more than one layer holds, as dive lists it under "Inefficiencies".
struct Inefficiency {
    std::string path;
    int count = 0;
    uint64_t cumulativeSize = 0;
};

struct LayerView {
    std::vector<LayerSummary> layers;  // base first; the writable layer, if any, last
    std::vector<MergedEntry> merged;   // in path order, parents before children
    uint64_t totalSize = 0;            // dive's "Total Image size"
    uint64_t userSize = 0;             // every layer's bytes but the base's (dive's UserSizeByes)
    uint64_t wastedBytes = 0;          // dive's "Potential wasted space"
    uint64_t hiddenBytes = 0;          // bytes of files overwritten or deleted by a later layer
    double efficiency = 1.0;           // dive's "Image efficiency score", 0..1
    std::vector<Inefficiency> inefficiencies; // largest first
};

// Reads one layer directory in overlayfs form. A directory that cannot be read
// gives a LayerInput with its problem set (one sentence) and no entries.
LayerInput scanLayerDir(const std::string &dir, bool writable = false);

// The stack's layers and their labels: `layersBaseFirst` as scanned, `history`
// (optional, oldest first; empty layers are skipped when matching) labels them.
LayerView computeLayerView(const std::vector<LayerInput> &layersBaseFirst,
                           const std::vector<HistoryStep> &history = {});

// The overlay mount's layer options: lowerdir (a:b:c, top first, or repeated
// lowerdir+), upperdir, workdir.
struct OverlayLayers {
    std::vector<std::string> lowers; // top first
    std::string upper, work;
    int mountId = 0;
};
OverlayLayers parseOverlayOptions(std::string_view fsOptions);

// The overlay mounted on the process's root ("/"), if its root is an overlay.
std::optional<OverlayLayers> rootOverlay(const inspect::MountTree &tree);

// The container's writable layer when its upper directory cannot be read from
// here (a scratch tmpfs that lives only in the container's mount namespace):
// the entries are found from the merged root the container sees
// (/proc/PID/root), compared with the lower layers: a path no lower has was
// added, a file whose ctime differs from its lower original was copied up (a
// copy-up makes a new inode), and a lower path the merged tree lacks was
// whited out. Other mounts inside (/proc, /dev, ...) are not entered.
LayerInput upperFromMergedRoot(const std::string &mergedRoot, const std::vector<LayerInput> &lowersBaseFirst);

// What the Layers page shows for a running container: its root overlay's
// layers, read from /proc/PID/mountinfo. `upperDir` says where the writable
// layer was read from (its upperdir, or the merged root when that is out of reach).
struct ContainerLayers {
    OverlayLayers overlay;
    LayerView view;
    std::string upperSource;  // the directory the writable layer was read from
    bool upperThroughMerged = false;
};
// Throws hood::Error when the process's root is not an overlay. Without a history
// given, the store's image whose layers the overlay's lowers are labels them.
ContainerLayers readContainerLayers(pid_t pid, const std::vector<HistoryStep> &history = {},
                                    const std::string &procRoot = "/proc");

// The history (oldest first) of the stored image whose unpacked layers are exactly
// lowersTopFirst (an overlay's lowerdir, <store>/layers/<hex>/diff each), read from
// the store those directories are in, as `hoodctl history` shows it. Empty when no
// image there has them (a directory image; a store this user cannot read).
std::vector<HistoryStep> stackHistory(const std::vector<std::string> &lowersTopFirst);

// Whether `path` (absolute inside the container) is in the running container's
// writable layer now: copied up, created or whited out. For a lesson's wait-for.
bool inWritableLayer(pid_t pid, const std::string &path, const std::string &procRoot = "/proc");

// "1.2 MB", "532 kB", "17 B": dive's (humanize's) decimal units.
std::string humanBytes(uint64_t bytes);

} // namespace hood::image
