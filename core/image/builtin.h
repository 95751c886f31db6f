#pragma once

#include <string>
#include <vector>

namespace hood {

// The root filesystem of a built-in image ("busybox"), made at build time.
// Looked up in $HOOD_IMAGES_DIR, the build tree, the install prefix and next to
// the running executable (../share/hood/images). Throws hood::Error naming the
// places it looked when the image is not there.
std::string builtinImageRootfs(const std::string &name);

// True when `name` names a built-in image rather than a directory.
bool isBuiltinImageName(const std::string &name);

} // namespace hood
