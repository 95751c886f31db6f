#include "cgroup_fs.h"

#include "error.h"
#include "runtime/privops.h"

#include <cerrno>
#include <csignal>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace hood::cgfs {

using namespace std::chrono_literals;

std::string join(const std::string &dir, std::string_view name)
{
    std::string path = dir;
    if (path.empty() || path.back() != '/')
        path += '/';
    path += name;
    return path;
}

bool exists(const std::string &path)
{
    return ::access(path.c_str(), F_OK) == 0;
}

void writeFile(const std::string &path, std::string_view value)
{
    priv::writeCgroupFile(path, value);
}

int makeDir(const std::string &path)
{
    if (priv::makeCgroupDir(path) == 0)
        return 0;
    if (errno != EEXIST)
        return errno;
    struct stat st {};
    // ENOENT: a concurrent rmdir removed it after mkdir saw it (the shared parent
    // of two containers), which the caller retries; it is no ENOTDIR.
    if (::lstat(path.c_str(), &st) != 0)
        return errno;
    return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

std::vector<std::string> readWords(const std::string &path)
{
    std::vector<std::string> words;
    auto text = readFileIfExists(path);
    if (!text)
        return words;
    size_t pos = 0;
    while (pos < text->size()) {
        size_t start = text->find_first_not_of(" \t\n", pos);
        if (start == std::string::npos)
            break;
        size_t end = text->find_first_of(" \t\n", start);
        if (end == std::string::npos)
            end = text->size();
        words.push_back(text->substr(start, end - start));
        pos = end;
    }
    return words;
}

std::vector<pid_t> readProcs(const std::string &dir)
{
    std::vector<pid_t> pids;
    for (const std::string &word : readWords(join(dir, "cgroup.procs"))) {
        try {
            pids.push_back(static_cast<pid_t>(std::stol(word)));
        } catch (const std::exception &) {
            // Not a pid: cgroup.procs holds nothing else, so ignore the line.
        }
    }
    return pids;
}

void killProcesses(const std::string &dir, std::chrono::steady_clock::time_point deadline)
{
    // cgroup.kill (Linux 5.14, v2 only) kills the whole subtree atomically, even
    // against concurrent forks. The loop below is still needed to wait for the
    // tasks to be gone, and is the only way on v1.
    const std::string killFile = join(dir, "cgroup.kill");
    if (exists(killFile))
        writeFile(killFile, "1");
    for (;;) {
        std::vector<pid_t> pids = readProcs(dir);
        if (pids.empty())
            return;
        if (std::chrono::steady_clock::now() >= deadline)
            throw Error("kill the processes in " + dir + ": " + std::to_string(pids.size())
                        + " still running after SIGKILL");
        for (pid_t pid : pids)
            ::kill(pid, SIGKILL); // ESRCH: it exited meanwhile
        std::this_thread::sleep_for(5ms);
    }
}

namespace {

bool isDirEntry(int dirFd, const dirent *entry)
{
    if (entry->d_type == DT_DIR)
        return true;
    if (entry->d_type != DT_UNKNOWN)
        return false;
    struct stat st {};
    return ::fstatat(dirFd, entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> childDirs(const std::string &dir)
{
    std::vector<std::string> children;
    DIR *d = ::opendir(dir.c_str());
    if (!d)
        return children;
    while (const dirent *entry = ::readdir(d)) {
        std::string_view name = entry->d_name;
        if (name != "." && name != ".." && isDirEntry(::dirfd(d), entry))
            children.push_back(join(dir, name));
    }
    ::closedir(d);
    return children;
}

} // namespace

void killTree(const std::string &dir, std::chrono::steady_clock::time_point deadline)
{
    for (const std::string &child : childDirs(dir))
        killTree(child, deadline);
    killProcesses(dir, deadline);
}

bool removeTree(const std::string &dir, std::chrono::steady_clock::time_point deadline,
                std::string *why)
{
    for (const std::string &child : childDirs(dir)) {
        if (!removeTree(child, deadline, why))
            return false;
    }
    for (;;) {
        if (priv::removeCgroupDir(dir) == 0 || errno == ENOENT)
            return true;
        if (errno != EBUSY || std::chrono::steady_clock::now() >= deadline)
            break;
        std::this_thread::sleep_for(5ms);
    }
    if (why)
        *why = Error::sys("rmdir", dir, errno).what();
    return false;
}

void removeParentIfEmpty(const std::string &dir) noexcept
{
    // EBUSY / ENOTEMPTY: another container still lives there, which is fine.
    priv::removeCgroupDir(dir);
}

} // namespace hood::cgfs
