#include "journal.h"

#include "cgroups/cgroups.h"
#include "error.h"
#include "statedir.h"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/mount.h>
#include <unistd.h>

namespace hood {

namespace {
constexpr std::array<std::pair<ResourceKind, const char *>, 3> kKinds = {{
    {ResourceKind::Cgroup, "cgroup"},
    {ResourceKind::Mount, "mount"},
    {ResourceKind::Dir, "dir"},
}};

bool undoMount(const std::string &target, std::string *why)
{
    if (umount2(target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0 || errno == EINVAL
        || errno == ENOENT)
        return true; // EINVAL: not a mount point (any more)
    *why = "unmount " + target + ": " + errnoText(errno);
    return false;
}
} // namespace

const char *resourceKindName(ResourceKind kind)
{
    for (const auto &[k, name] : kKinds) {
        if (k == kind)
            return name;
    }
    return "?";
}

void Journal::record(ResourceKind kind, const std::string &value) const
{
    std::string line = std::string(resourceKindName(kind)) + " " + value + "\n";
    int fd = open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        throw Error::sys("open journal", m_path, errno);
    ssize_t n = write(fd, line.data(), line.size());
    int err = errno;
    close(fd);
    if (n != static_cast<ssize_t>(line.size()))
        throw Error::sys("write journal", m_path, n < 0 ? err : EIO);
}

std::vector<JournalEntry> parseJournal(const std::string &text, std::vector<int> *bad)
{
    std::vector<JournalEntry> entries;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        bool torn = in.eof() && !text.empty() && text.back() != '\n';
        size_t space = line.find(' ');
        bool parsed = false;
        if (!torn && space != std::string::npos && space + 1 < line.size()) {
            std::string kind = line.substr(0, space);
            for (const auto &[k, name] : kKinds) {
                if (kind == name) {
                    entries.push_back({k, line.substr(space + 1)});
                    parsed = true;
                }
            }
        }
        if (!parsed && !line.empty() && bad)
            bad->push_back(number);
    }
    return entries;
}

std::vector<JournalEntry> readJournal(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return parseJournal(text.str());
}

std::vector<std::string> replayJournal(const std::vector<JournalEntry> &entries)
{
    std::vector<std::string> left;
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        std::string why;
        bool ok = true;
        switch (it->kind) {
        case ResourceKind::Cgroup: ok = removeCgroupPath(it->value, &why); break;
        case ResourceKind::Mount: ok = undoMount(it->value, &why); break;
        case ResourceKind::Dir: ok = removeTree(it->value, &why); break;
        }
        if (!ok)
            left.push_back(why);
    }
    return left;
}

} // namespace hood
