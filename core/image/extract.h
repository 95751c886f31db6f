// Safe extraction of a tar layer (plain, gzip or zstd) with libarchive, into a
// directory that the caller made empty. Every path component is opened with
// O_NOFOLLOW relative to the target's fd, so no entry is ever written through a
// symlink; a hostile entry is refused with one sentence naming the layer and the
// entry, and nothing is written outside the target.
//
// Layers (overlayWhiteouts): `.wh.NAME` becomes a 0/0 character device NAME (an
// overlayfs whiteout) and `.wh..wh..opq` marks its directory opaque
// (trusted.overlay.opaque=y, or user.overlay.opaque for a rootless `userxattr` mount).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace hood::image {

struct ExtractOptions {
    std::string layer;            // names the layer in sentences: "layer sha256:ab12..."
    bool overlayWhiteouts = true; // false: an archive of files (docker-archive, oci-archive)
    bool asRoot = true;           // owners and device nodes (false: skipped, with a warning)
    bool userXattr = false;       // user.overlay.opaque instead of trusted.overlay.opaque
    std::function<void(const std::string &)> warn;
};

struct ExtractResult {
    std::string blobDigest; // sha256 of the bytes read (compressed, as the blob is)
    uint64_t blobSize = 0;
    std::string diffId;     // sha256 of the uncompressed tar stream (the config's diff_id)
    uint64_t size = 0;      // bytes of regular file data written
    uint64_t entries = 0;
};

// Reads `src` from its offset to the end, copying every byte read to `tee` when it
// is not -1 (the blob, written once while it is unpacked), and unpacks into the
// directory open at `targetDir`. Throws hood::Error:
//   "layer sha256:ab12...: entry \"../x\" climbs out of the layer with \"..\"; refused"
ExtractResult extractTar(int src, int tee, int targetDir, const ExtractOptions &options);

// The compression a blob starts with: "gzip", "zstd" or "" (a plain tar).
std::string compressionOf(int fd);

// Removes the entry `name` of the directory open at dirFd (a whole tree for a
// directory), never following a symlink. Returns false with errno set.
bool removeAt(int dirFd, const std::string &name);

} // namespace hood::image
