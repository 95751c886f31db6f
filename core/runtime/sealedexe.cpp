#include "sealedexe.h"

#include "error.h"
#include "sys/fd.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
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

} // namespace

bool runningFromSealedCopy()
{
    Fd self(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
    if (!self)
        return false;
    const int seals = fcntl(self.get(), F_GET_SEALS);
    return seals >= 0 && (seals & kSeals) == kSeals;
}

void reexecFromSealedCopy(char **argv)
{
    if (runningFromSealedCopy())
        return;
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
    if (const std::string original = readSelfExeLink(); !original.empty())
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
