// Images in and out of the store, in the formats other tools write and read:
//   OCI image layouts (skopeo copy ... oci:DIR, umoci), OCI archives (a tar of a
//   layout), and `docker save` tarballs (classic, and Docker 25's OCI variant).
#pragma once

#include "store.h"

#include <string>
#include <vector>

namespace hood::image {

struct LoadResult {
    std::vector<ImageRecord> images;
    std::vector<std::string> lines; // "Loaded image: busybox:latest", as docker load prints
};

// Loads every image of a layout directory or an archive (plain or compressed) into
// the store, under its exclusive lock. Every digest is verified; a mismatch names
// the blob, an index with no linux/amd64 manifest says so, and nothing of a failed
// image is kept but whole layers.
LoadResult loadImages(Store &store, const std::string &path, const WarnFn &warn = {});

enum class SaveFormat { DockerArchive, OciArchive, OciDir };
// "docker-archive" | "oci-archive" | "oci-dir"; throws naming the word otherwise.
SaveFormat parseSaveFormat(const std::string &word);

// Writes the image (and the name it was given by) to path, which must not exist;
// written under a temporary name and renamed when complete.
void saveImage(const Store &store, const std::string &image, SaveFormat format, const std::string &path);

// Makes an image of a directory tree (one layer) named ref, with the config part of
// configJson ({"Cmd": [...], "Env": [...], ...}, may be empty): `hoodctl import`,
// and the build-time busybox image.
ImageRecord importDirectory(Store &store, const std::string &dir, const ImageRef &ref,
                            const std::string &configJson, const std::string &createdBy);

// Writes a directory tree as a tar stream to fd. Overlay whiteouts (0/0 character
// devices, opaque directories) become OCI's .wh. entries when `whiteouts` is set.
void writeTreeTar(const std::string &dir, int fd, bool whiteouts);

// The store's image of a name, or, for the built-in `busybox` not yet in this store,
// the built-in image loaded from its OCI layout made at build time.
ImageRecord resolveOrSeed(Store &store, const std::string &text, const WarnFn &warn = {});

} // namespace hood::image
