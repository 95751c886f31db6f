#include "builtin.h"

#include "error.h"
#include "runtime/sealedexe.h"

#include <climits>
#include <sys/stat.h>
#include <unistd.h>

namespace hood {

namespace {
std::vector<std::string> imageDirs()
{
    std::vector<std::string> dirs;
    if (const char *env = getenv("HOOD_IMAGES_DIR"); env && *env)
        dirs.emplace_back(env);
    dirs.emplace_back(HOOD_BUILD_IMAGES_DIR);
    dirs.emplace_back(HOOD_INSTALL_IMAGES_DIR);
    // The binary's own path, also when it runs from a sealed copy (runtime/sealedexe.h).
    if (std::string path = originalExePath(); !path.empty()) {
        path = path.substr(0, path.rfind('/'));
        dirs.push_back(path + "/../share/hood/images");
    }
    return dirs;
}
} // namespace

bool isBuiltinImageName(const std::string &name)
{
    return !name.empty() && name.find('/') == std::string::npos && name != "." && name != "..";
}

std::string builtinImageRootfs(const std::string &name)
{
    std::string looked;
    for (const std::string &dir : imageDirs()) {
        std::string rootfs = dir + "/" + name + "/rootfs";
        struct stat st {};
        if (stat((rootfs + "/bin").c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
            char real[PATH_MAX];
            return realpath(rootfs.c_str(), real) ? std::string(real) : rootfs;
        }
        looked += (looked.empty() ? "" : ", ") + dir;
    }
    throw Error("image " + name + " not found (looked in " + looked
                + "); the built-in busybox image is made by building Hood");
}

} // namespace hood
