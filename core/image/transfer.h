// Pull and push between the image store (store.h) and a registry (registry.h):
// the glue of the two, so hoodctl's verbs and the GUI call one function each.
#pragma once

#include "image/registry.h"
#include "image/store.h"

#include <string>

namespace hood::image {

// Pulls ref into the store: the platform's manifest, its config, and each layer
// not already unpacked (downloads resume from <store>/downloads/<hex>.partial),
// then the image, tagged `name` (not when it is empty or ref is by digest). Digests are verified
// by the client; the layer's diff_id by the store.
ImageRecord pullImage(Store &store, RegistryClient &client, const RegistryRef &ref, const std::string &name,
                      const WarnFn &warn = {});

// Pushes an image of the store (its manifest's exact bytes, so the digest stays
// the image's) to ref; returns the manifest digest the registry has.
std::string pushImage(Store &store, RegistryClient &client, const ImageRecord &image, const RegistryRef &ref);

} // namespace hood::image
