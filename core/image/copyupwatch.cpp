#include "copyupwatch.h"

#include "error.h"

#include <cerrno>
#include <climits>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace hood::image {

namespace {

constexpr uint32_t kMask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVED_FROM
                           | IN_MOVED_TO | IN_DONT_FOLLOW | IN_ONLYDIR;

struct DirCloser {
    void operator()(DIR *d) const { closedir(d); }
};

std::string join(const std::string &parent, const std::string &name)
{
    return (parent == "/" ? "" : parent) + "/" + name;
}

uint64_t mountOf(const std::string &path)
{
    struct statx sx {};
    if (statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &sx) < 0)
        return 0;
    return sx.stx_mnt_id;
}

} // namespace

CopyUpWatch::CopyUpWatch(std::string root) : m_root(std::move(root))
{
    m_fd.reset(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (!m_fd)
        throw Error::sys("inotify_init1 for", m_root, errno);
    // The trailing slash follows a /proc/PID/root link to the container's root.
    m_mount = mountOf(m_root + "/");
    if (inotify_add_watch(m_fd.get(), (m_root + "/").c_str(), kMask) < 0)
        throw Error::sys("watch", m_root, errno);
    watchTree("/", nullptr);
}

// Every directory below, on the root's mount only: a container's /proc or /dev
// seen through its merged root is not its image.
void CopyUpWatch::watchTree(const std::string &path, std::vector<CopyUpEvent> *found)
{
    const std::string full = m_root + path;
    if (mountOf(full) != m_mount)
        return;
    const int wd = inotify_add_watch(m_fd.get(), full.c_str(), kMask);
    if (wd < 0)
        return; // gone again, or out of watches: the rest still works
    m_dirs[wd] = path;
    std::unique_ptr<DIR, DirCloser> dir(opendir(full.c_str()));
    while (dirent *e = dir ? readdir(dir.get()) : nullptr) {
        const std::string name = e->d_name;
        if (name == "." || name == "..")
            continue;
        const std::string child = join(path, name);
        struct stat st {};
        if (lstat((m_root + child).c_str(), &st) < 0)
            continue;
        if (found)
            found->push_back({child, kindOf(child, IN_CREATE), S_ISDIR(st.st_mode)});
        if (S_ISDIR(st.st_mode))
            watchTree(child, found);
    }
}

// In an upperdir a deletion is a whiteout that appears (a 0/0 character device);
// in a merged root it is the name going away.
CopyUpEvent::Kind CopyUpWatch::kindOf(const std::string &path, uint32_t mask) const
{
    if (mask & (IN_DELETE | IN_MOVED_FROM))
        return CopyUpEvent::Kind::Deleted;
    struct stat st {};
    if (lstat((m_root + path).c_str(), &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0))
        return CopyUpEvent::Kind::Deleted;
    return CopyUpEvent::Kind::Written;
}

std::vector<CopyUpEvent> CopyUpWatch::readEvents()
{
    std::vector<CopyUpEvent> out;
    alignas(inotify_event) char buffer[16 * (sizeof(inotify_event) + NAME_MAX + 1)];
    for (;;) {
        const ssize_t n = read(m_fd.get(), buffer, sizeof buffer);
        if (n <= 0)
            break; // EAGAIN: nothing more for now
        for (ssize_t at = 0; at < n;) {
            const auto *ev = reinterpret_cast<const inotify_event *>(buffer + at);
            at += ssize_t(sizeof(inotify_event) + ev->len);
            if (ev->mask & IN_IGNORED) {
                m_dirs.erase(ev->wd);
                continue;
            }
            auto dir = m_dirs.find(ev->wd);
            if (dir == m_dirs.end() || ev->len == 0)
                continue;
            const std::string path = join(dir->second, ev->name);
            const bool isDir = ev->mask & IN_ISDIR;
            out.push_back({path, kindOf(path, ev->mask), isDir});
            if (isDir && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
                watchTree(path, &out);
        }
    }
    return out;
}

} // namespace hood::image
