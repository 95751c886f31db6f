// probeMachine: the reads behind `hoodctl info`. Each fact is read on its own and
// never throws, so one unreadable file leaves the others standing.
#include "machine.h"

#include "error.h"
#include "image/builtin.h"
#include "runtime/statedir.h"
#include "sys/fd.h"
#include "sys/fileio.h"
#include "vm/kvm.h"

#include <cerrno>
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace hood {

namespace {

std::optional<long> readNumber(const std::string &path)
{
    std::string text;
    if (readFileNoThrow(path, text) != 0)
        return std::nullopt;
    char *end = nullptr;
    errno = 0;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (errno || end == text.c_str() || (*end && *end != '\n'))
        return std::nullopt;
    return value;
}

std::string kernelRelease(const std::string &procRoot)
{
    std::string text;
    if (readFileNoThrow(procRoot + "/sys/kernel/osrelease", text) == 0) {
        while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
            text.pop_back();
        return text;
    }
    struct utsname u {};
    return ::uname(&u) == 0 ? u.release : "";
}

// /proc/filesystems lines are "nodev\toverlay" or "\text4".
bool kernelHasFilesystem(const std::string &procRoot, const std::string &name)
{
    std::string text;
    return readFileNoThrow(procRoot + "/filesystems", text) == 0
           && (text.find("\t" + name + "\n") != std::string::npos);
}

bool overlayModuleInstalled(const std::string &modulesRoot, const std::string &release)
{
    const std::string dir = modulesRoot + "/" + release + "/kernel/fs/overlayfs";
    DIR *d = ::opendir(dir.c_str());
    if (!d)
        return false;
    bool found = false;
    while (const dirent *entry = ::readdir(d))
        found = found || std::string_view(entry->d_name).starts_with("overlay.ko");
    ::closedir(d);
    return found;
}

std::string findExecutable(const std::string &name, const std::string &path)
{
    size_t pos = 0;
    while (pos <= path.size()) {
        size_t colon = path.find(':', pos);
        if (colon == std::string::npos)
            colon = path.size();
        std::string dir = path.substr(pos, colon - pos);
        pos = colon + 1;
        if (dir.empty())
            continue;
        const std::string candidate = dir + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode)
            && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return {};
}

std::string findLibrary(const std::string &name, const std::vector<std::string> &dirs)
{
    for (const std::string &dir : dirs) {
        const std::string candidate = dir + "/" + name;
        if (::access(candidate.c_str(), R_OK) == 0)
            return candidate;
    }
    return {};
}

void probeKvm(const std::string &device, MachineFacts &f)
{
    struct stat st {};
    f.kvmDevice = ::stat(device.c_str(), &st) == 0;
    if (!f.kvmDevice)
        return;
    // What QEMU does with -enable-kvm: open it read-write. Opening creates nothing.
    Fd fd(::open(device.c_str(), O_RDWR | O_CLOEXEC));
    f.kvmErrno = fd ? 0 : errno;
    if (f.kvmErrno != 0)
        return;
    // A device that opens may still not run a guest (or run it slower than
    // emulation): a timed trial guest of a few thousand instructions says.
    KvmProbe trial = hood::probeKvm(device);
    if (!trial.usable)
        f.kvmTrialProblem = trial.reason;
}

// The state root need not exist yet: it is made at the first run, when its
// nearest existing ancestor lets us.
std::string stateRootProblem(const std::string &root)
{
    std::string dir = root;
    for (;;) {
        struct stat st {};
        if (::stat(dir.c_str(), &st) == 0) {
            if (!S_ISDIR(st.st_mode))
                return dir + " is not a directory";
            if (::access(dir.c_str(), W_OK | X_OK) == 0)
                return {};
            std::string sentence = Error::sys("write to", dir, errno).what();
            return dir == root ? sentence : "cannot create " + root + ": " + sentence;
        }
        if (dir == "/" || dir == ".")
            return Error::sys("stat", root, ENOENT).what();
        size_t slash = dir.rfind('/');
        dir = slash == std::string::npos ? "." : slash == 0 ? "/" : dir.substr(0, slash);
    }
}

void probeCgroups(const MachineSources &s, MachineFacts &f)
{
    try {
        f.cgroupMode = detectCgroupMode(s.cgroupRoot);
    } catch (const std::exception &e) {
        f.cgroupError = e.what();
        f.delegation.why = "the cgroup mode is unknown: " + f.cgroupError;
        return;
    }
    std::string self;
    if (int err = readFileNoThrow(s.procRoot + "/self/cgroup", self)) {
        f.delegation.why = Error::sys("read", s.procRoot + "/self/cgroup", err).what();
        return;
    }
    f.delegation = findDelegatedBase(s.cgroupRoot, *f.cgroupMode, self, f.uid);
}

} // namespace

MachineFacts probeMachine(const MachineSources &s)
{
    MachineFacts f;
    f.uid = s.uid ? *s.uid : ::geteuid();
    probeCgroups(s, f);
    f.maxUserNamespaces = readNumber(s.procRoot + "/sys/user/max_user_namespaces");
    f.unprivilegedUsernsClone = readNumber(s.procRoot + "/sys/kernel/unprivileged_userns_clone");
    f.apparmorRestrictsUserns =
        readNumber(s.procRoot + "/sys/kernel/apparmor_restrict_unprivileged_userns");
    f.kernelRelease = kernelRelease(s.procRoot);
    f.overlayFilesystem = kernelHasFilesystem(s.procRoot, "overlay");
    f.overlayModule = overlayModuleInstalled(s.modulesRoot, f.kernelRelease);
    const char *envPath = std::getenv("PATH");
    const std::string path = s.path ? *s.path : envPath ? envPath : "/usr/bin:/bin";
    f.qemuSystem = findExecutable("qemu-system-x86_64", path);
    f.qemuUser = findExecutable("qemu-x86_64", path);
    probeKvm(s.devKvm, f);
    f.nft = findExecutable("nft", path + ":/usr/sbin:/sbin");
    f.libnftables = findLibrary("libnftables.so.1", s.libraryDirs);
    f.stateRoot = s.stateRoot.empty() ? defaultStateRoot() : s.stateRoot;
    f.stateRootProblem = stateRootProblem(f.stateRoot);
    if (s.findStore) {
        try {
            f.store = builtinImageRootfs("busybox");
        } catch (const std::exception &e) {
            f.storeProblem = e.what();
        }
    }
    return f;
}

} // namespace hood
