#include "sealedexe.h"

#include "error.h"
#include "sys/fd.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <sys/mman.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

extern char **environ;

namespace hood {

namespace {

constexpr int kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
constexpr const char *kOriginal = "HOOD_ORIGINAL_EXE";

std::string readSelfExeLink()
{
    char buf[PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

// sendfile moves the bytes inside the kernel (page cache to the memfd's pages).
void copyAll(int from, int to, off_t size)
{
    off_t done = 0;
    while (done < size) {
        const ssize_t n = sendfile(to, from, nullptr, size_t(size - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw Error::sys("copy /proc/self/exe into a memfd", "", n < 0 ? errno : EIO);
        done += n;
    }
}

// overlayfs takes ':' and '\\' in a lowerdir list as separators and escapes.
std::string escapeLowerDir(const std::string &path)
{
    std::string out;
    for (char c : path) {
        if (c == ':' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

// The binary through an overlayfs that has lowerdirs only (its own directory on
// top of an empty one), mounted nowhere (fsmount's detached mount): such a
// superblock has no upper layer to write to, so no remount or mount_setattr makes
// the file writable through it, unlike a read-only bind mount (runc 1.2 does the
// same, libcontainer/exeseal). No copy: a mount instead of 100 MB through a memfd.
// Needs CAP_SYS_ADMIN and the new mount API; an invalid Fd when either is missing
// or a step fails, and the caller copies instead.
Fd openThroughLowerOnlyOverlay(const std::string &binary)
{
    const size_t slash = binary.rfind('/');
    if (geteuid() != 0 || binary.empty() || binary[0] != '/' || slash == std::string::npos)
        return Fd();
    const std::string dir = slash == 0 ? "/" : binary.substr(0, slash);
    const std::string name = binary.substr(slash + 1);
    Fd ctx(fsopen("overlay", FSOPEN_CLOEXEC));
    if (!ctx)
        return Fd();
    // Two lowers are what lower-only mode needs; the second is an empty directory
    // of this process's own, removed once the mount holds it.
    char empty[] = "/tmp/hood-exe-XXXXXX";
    if (!mkdtemp(empty))
        return Fd();
    const std::string lowers = escapeLowerDir(dir) + ":" + escapeLowerDir(empty);
    Fd mnt;
    if (fsconfig(ctx.get(), FSCONFIG_SET_STRING, "lowerdir", lowers.c_str(), 0) == 0) {
        fsconfig(ctx.get(), FSCONFIG_SET_STRING, "xino", "off", 0); // only quiets dmesg
        if (fsconfig(ctx.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) == 0)
            mnt.reset(fsmount(ctx.get(), FSMOUNT_CLOEXEC,
                                  MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID));
    }
    rmdir(empty);
    if (!mnt)
        return Fd();
    return Fd(openat(mnt.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
}

// Whether fd is a file on an overlayfs mounted read-only (what
// openThroughLowerOnlyOverlay gives).
bool onReadOnlyOverlay(int fd)
{
    struct statfs fs {};
    struct statvfs vfs {};
    return fstatfs(fd, &fs) == 0 && fs.f_type == OVERLAYFS_SUPER_MAGIC && fstatvfs(fd, &vfs) == 0
        && (vfs.f_flag & ST_RDONLY) != 0;
}

} // namespace

bool runningFromSealedCopy()
{
    Fd self(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
    if (!self)
        return false;
    const int seals = fcntl(self.get(), F_GET_SEALS);
    return (seals >= 0 && (seals & kSeals) == kSeals) || onReadOnlyOverlay(self.get());
}

void reexecFromSealedCopy(char **argv)
{
    if (runningFromSealedCopy())
        return;
    const std::string original = readSelfExeLink();
    if (Fd sealed = openThroughLowerOnlyOverlay(original); sealed && !original.empty()) {
        setenv(kOriginal, original.c_str(), 1);
        fexecve(sealed.get(), argv, environ);
        // fall through to the copy: this kernel would not exec from that mount
    }
    Fd self(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
    if (!self)
        throw Error::sys("open", "/proc/self/exe", errno);
    struct stat st {};
    if (fstat(self.get(), &st) < 0)
        throw Error::sys("stat", "/proc/self/exe", errno);
    // Close-on-exec: fexecve of an ELF binary does not need the fd after the exec.
    Fd copy(memfd_create("hoodctl", MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (!copy)
        throw Error::sys("memfd_create for a sealed copy of", "/proc/self/exe", errno);
    copyAll(self.get(), copy.get(), st.st_size);
    if (fcntl(copy.get(), F_ADD_SEALS, kSeals) < 0)
        throw Error::sys("seal a copy of", "/proc/self/exe", errno);
    if (!original.empty())
        setenv(kOriginal, original.c_str(), 1);
    fexecve(copy.get(), argv, environ);
    throw Error::sys("exec the sealed copy of", "/proc/self/exe", errno);
}

std::string originalExePath()
{
    const char *original = getenv(kOriginal);
    if (original && *original && runningFromSealedCopy())
        return original;
    return readSelfExeLink();
}

} // namespace hood
