// The image store: content addressed (SHA-256), as containerd's and Docker's are.
//
//   <store>/lock                      flock: shared to read, exclusive to change
//   <store>/blobs/sha256/<hex>        manifests, configs and layer blobs, as pulled
//   <store>/layers/<hex>/diff/        a layer unpacked once, named by its diff_id
//   <store>/layers/<hex>/layer.json   its size
//   <store>/images/<hex>.json         an image (ID = config digest) and its manifest
//   <store>/references.json           NAME:TAG -> image ID
//   <store>/tmp/                      extractions in progress, journaled (gc removes them)
//   <store>/containers/<id>-upper|work  the writable layer of a container of an image
//
// Every file is written to a temporary name and renamed; a layer is unpacked into
// a temporary directory that is renamed when it is complete, so a reader sees all
// of a blob, a layer or an image or nothing of it. The next issue's pull, push and
// build use the same entry points: putBlob / addLayer / writeImage.
#pragma once

#include "reference.h"
#include "spec/runoptions.h"
#include "sys/fd.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hood::image {

struct ImageRecord {
    std::string id;                 // the config's digest (Docker's image ID)
    std::string manifest;           // the manifest's digest (NAME@sha256:...)
    std::vector<std::string> names; // "busybox:latest", sorted
    int64_t added = 0;              // seconds since the epoch
    std::string created;            // the config's "created", if any
    uint64_t size = 0;              // the unpacked layers' bytes
};

struct LayerInfo {
    std::string diffId;
    std::string blob;
    uint64_t size = 0;     // bytes of file data unpacked
    std::string dir;       // the unpacked layer (an overlay lowerdir)
};

// One row of `hoodctl history`: a step of the config's history, top first.
struct HistoryEntry {
    std::string created;
    std::string createdBy; // the instruction that made it
    std::string comment;
    bool emptyLayer = false;
    std::string diffId;    // empty for an empty layer
    uint64_t size = 0;
    std::string dir;
};

using WarnFn = std::function<void(const std::string &)>;

class Store {
public:
    // dir empty: $HOOD_STORE, else /var/lib/hood as root, $XDG_DATA_HOME/hood otherwise.
    explicit Store(std::string dir = {});
    static std::string defaultDir();
    const std::string &dir() const { return m_dir; }

    // flock(2) on <store>/lock, held while the Fd lives. Exclusive also makes the
    // store's directories. Several hoodctl processes may share a store.
    Fd lock(bool exclusive) const;

    // Blobs.
    std::string blobPath(const std::string &digest) const;
    bool hasBlob(const std::string &digest) const;
    // The bytes of a small blob (a manifest, a config), verified against its digest.
    std::string readBlob(const std::string &digest) const;
    // Stores bytes the store made (a manifest, a config); returns the digest.
    std::string putBlob(const std::string &data);
    // Copies the file open at fd into the store, verifying it is `digest`; `what`
    // names it in the sentence of a mismatch ("blob sha256:ab12... of layer 2").
    void putBlobFile(int fd, const std::string &digest, const std::string &what);

    // Layers.
    bool hasLayer(const std::string &diffId) const;
    std::string layerDir(const std::string &diffId) const;
    LayerInfo layer(const std::string &diffId) const;
    // Unpacks a tar stream (plain, gzip, zstd) from fd into a new layer and keeps
    // the stream as its blob. blobDigest / diffId, when given, are verified: a
    // mismatch names the blob and no layer is kept. `what` names the layer.
    LayerInfo addLayer(int fd, const std::string &blobDigest, const std::string &diffId,
                       const std::string &what, const WarnFn &warn = {});

    // Images: the manifest and config are blobs already, their layers unpacked.
    ImageRecord writeImage(const std::string &manifestDigest);
    // Makes a manifest and config from a config JSON and the layers' blobs (top
    // last, as OCI orders them), stores both and the image; for import and commit.
    ImageRecord writeImage(const nlohmann::json &config, const std::vector<LayerInfo> &layers);
    // An OCI manifest for a config already stored (bytes unchanged: its digest is the
    // image ID) and its layers' blobs; stores it and the image (docker-archive load).
    ImageRecord writeManifest(const std::string &configDigest, const std::vector<LayerInfo> &layers);
    std::vector<ImageRecord> images() const;
    // "busybox", "busybox:1", "name@sha256:...", an ID or its unique prefix.
    std::optional<ImageRecord> find(const std::string &text) const;
    // As find; throws "image X not found in the store DIR (hoodctl images lists them)".
    ImageRecord resolve(const std::string &text) const;
    void tag(const ImageRecord &image, const ImageRef &ref);
    // Untags text (a name) or deletes the image (an ID, or its last name). Returns
    // Docker's lines: "Untagged: busybox:latest", "Deleted: sha256:...".
    std::vector<std::string> remove(const std::string &text);

    nlohmann::json manifest(const ImageRecord &image) const;
    nlohmann::json config(const ImageRecord &image) const;
    // The unpacked layers, top first (overlay's lowerdir order).
    std::vector<std::string> layerDirs(const ImageRecord &image) const;
    std::vector<LayerInfo> layers(const ImageRecord &image) const; // bottom first
    std::vector<HistoryEntry> history(const ImageRecord &image) const;
    // Env, Entrypoint, Cmd, WorkingDir, User (a name resolved in the image's /etc/passwd).
    ImageConfig runConfig(const ImageRecord &image) const;

    // Where a container's writable layer lives: <store>/containers/<id>-upper.
    std::string upperDir(const std::string &containerId) const;
    std::string workDir(const std::string &containerId) const;

    // Removes half extractions of dead processes and blobs and layers no image
    // uses. Returns what it removed, as sentences.
    std::vector<std::string> gc();

private:
    std::string tempPath(const std::string &kind) const;
    std::string recordPath(const std::string &id) const;
    nlohmann::json references() const;
    void writeReferences(const nlohmann::json &refs);
    ImageRecord recordOf(const std::string &id, const nlohmann::json &refs) const;
    std::string m_dir;
};

// For the Layers page: the unpacked layer directories of an image, top first.
std::vector<std::string> layerDirs(const ImageRef &ref, const std::string &storeDir = {});
std::vector<HistoryEntry> imageHistory(const ImageRef &ref, const std::string &storeDir = {});

// OCI media types.
inline constexpr const char *kManifestType = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char *kIndexType = "application/vnd.oci.image.index.v1+json";
inline constexpr const char *kConfigType = "application/vnd.oci.image.config.v1+json";
inline constexpr const char *kLayerTarType = "application/vnd.oci.image.layer.v1.tar";

} // namespace hood::image
