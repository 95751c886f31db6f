#include "statedir.h"

#include "error.h"
#include "sys/fd.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {
struct DirCloser {
    void operator()(DIR *d) const { closedir(d); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;
} // namespace

namespace hood {

std::string defaultStateRoot()
{
    if (const char *env = getenv("HOOD_ROOT"); env && *env)
        return env;
    if (geteuid() == 0)
        return "/run/hood";
    // Fixed by the uid alone, not by XDG_RUNTIME_DIR: podman calls `delete` with an
    // environment of only "XDG_RUNTIME_DIR=", and it must find what `create` made.
    const std::string user = "/run/user/" + std::to_string(geteuid());
    struct stat st {};
    if (stat(user.c_str(), &st) == 0 && st.st_uid == geteuid())
        return user + "/hood";
    return "/tmp/hood-" + std::to_string(geteuid());
}

void ensureStateRoot(const std::string &root)
{
    // Its parents too, as runc does: containerd's shim names <exec-root>/runtime-X/<namespace>.
    for (size_t slash = root.find('/', 1); slash != std::string::npos; slash = root.find('/', slash + 1)) {
        const std::string parent = root.substr(0, slash);
        if (mkdir(parent.c_str(), 0711) < 0 && errno != EEXIST)
            throw Error::sys("create state directory", parent, errno);
    }
    if (mkdir(root.c_str(), 0700) < 0 && errno != EEXIST)
        throw Error::sys("create state directory", root, errno);
    struct stat st {};
    check(lstat(root.c_str(), &st), "stat state directory", root);
    if (!S_ISDIR(st.st_mode))
        throw Error("state directory " + root + " is not a directory");
    if (st.st_uid != geteuid())
        throw Error("state directory " + root + " belongs to uid " + std::to_string(st.st_uid)
                    + ", not to us (uid " + std::to_string(geteuid()) + "); refusing to use it");
}

void validateId(const std::string &id)
{
    auto allowed = [](char c) {
        return isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '+'
               || c == '-';
    };
    if (id.empty())
        throw Error("container ID is empty");
    if (id == "." || id == "..")
        throw Error("invalid container ID \"" + id + "\": \".\" and \"..\" are not allowed");
    if (id.size() > 64)
        throw Error("invalid container ID \"" + id + "\": longer than 64 characters");
    auto bad = std::find_if_not(id.begin(), id.end(), allowed);
    if (bad != id.end())
        throw Error("invalid container ID \"" + id + "\": character '" + std::string(1, *bad)
                    + "' is not allowed (use letters, digits, _ . + -)");
}

std::string generateId()
{
    unsigned char bytes[6];
    if (getrandom(bytes, sizeof bytes, 0) != sizeof bytes)
        throw Error::sys("getrandom", "", errno);
    static const char hex[] = "0123456789abcdef";
    std::string id;
    for (unsigned char b : bytes) {
        id += hex[b >> 4];
        id += hex[b & 15];
    }
    return id;
}

std::vector<std::string> listContainerIds(const std::string &root)
{
    std::vector<std::string> ids;
    DirPtr dir(opendir(root.c_str()));
    if (!dir)
        return ids;
    while (dirent *e = readdir(dir.get())) {
        std::string name = e->d_name;
        if (name == "." || name == ".." || e->d_type != DT_DIR || name[0] == kNewStateDirMark)
            continue;
        ids.push_back(name);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::string newStateDirName(const std::string &id, pid_t monitor)
{
    return std::string(1, kNewStateDirMark) + "new." + std::to_string(monitor) + "." + id;
}

std::vector<std::pair<std::string, pid_t>> listNewStateDirs(const std::string &root)
{
    std::vector<std::pair<std::string, pid_t>> out;
    DirPtr dir(opendir(root.c_str()));
    while (dirent *e = dir ? readdir(dir.get()) : nullptr) {
        std::string name = e->d_name;
        if (name.rfind(std::string(1, kNewStateDirMark) + "new.", 0) == 0)
            out.emplace_back(name, static_cast<pid_t>(atoi(name.c_str() + 5)));
    }
    return out;
}

namespace {
// Removes the entries of the directory open at fd; dev keeps us on one filesystem.
bool removeEntries(Fd fd, dev_t dev, const std::string &path, std::string *why)
{
    DirPtr dir(fdopendir(fd.get()));
    if (dir)
        fd.release(); // the DIR owns it now
    if (!dir) {
        if (why)
            *why = "open " + path + ": " + errnoText(errno);
        return false;
    }
    bool ok = true;
    while (dirent *e = readdir(dir.get())) {
        std::string name = e->d_name;
        if (name == "." || name == "..")
            continue;
        struct stat st {};
        if (fstatat(dirfd(dir.get()), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (st.st_dev != dev) { // a mount point: never descend into it
                ok = false;
                if (why)
                    *why = path + "/" + name + " is a mount point";
                continue;
            }
            Fd sub(openat(dirfd(dir.get()), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            if (!sub && errno == EACCES && st.st_uid == geteuid()) {
                // overlayfs leaves its workdir's work/ mode 000; a rootless owner must
                // open it up to empty it (root needs no permission to).
                fchmodat(dirfd(dir.get()), e->d_name, 0700, 0);
                sub.reset(openat(dirfd(dir.get()), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
            }
            if (sub)
                ok = removeEntries(std::move(sub), dev, path + "/" + name, why) && ok;
        }
        if (unlinkat(dirfd(dir.get()), e->d_name, S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0 && errno != ENOENT) {
            ok = false;
            if (why)
                *why = "remove " + path + "/" + name + ": " + errnoText(errno);
        }
    }
    return ok;
}
} // namespace

bool removeTree(const std::string &path, std::string *why)
{
    Fd fd(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT)
            return true;
        if (why)
            *why = "open " + path + ": " + errnoText(errno);
        return false;
    }
    struct stat st {};
    fstat(fd.get(), &st);
    bool ok = removeEntries(std::move(fd), st.st_dev, path, why);
    if (rmdir(path.c_str()) < 0 && errno != ENOENT) {
        if (why && ok)
            *why = "remove " + path + ": " + errnoText(errno);
        return false;
    }
    return ok;
}

Fd lockStateDir(const std::string &dir, bool wait)
{
    Fd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd)
        return fd;
    int rc;
    do {
        rc = flock(fd.get(), LOCK_EX | (wait ? 0 : LOCK_NB));
    } while (rc < 0 && errno == EINTR);
    if (rc < 0)
        return Fd();
    // The holder before us may have deleted the container: its directory is unlinked.
    struct stat st {};
    if (fstat(fd.get(), &st) < 0 || st.st_nlink == 0)
        return Fd();
    return fd;
}

} // namespace hood
