#include "procfs.h"

#include "error.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <dirent.h>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

namespace hood::inspect {

namespace {

struct DirCloser {
    void operator()(DIR *dir) const { ::closedir(dir); }
};

using DirPtr = std::unique_ptr<DIR, DirCloser>;

} // namespace

std::string procPath(const std::string &procRoot, pid_t pid, std::string_view rest)
{
    std::string path = procRoot + "/" + std::to_string(pid);
    if (!rest.empty()) {
        path += '/';
        path += rest;
    }
    return path;
}

std::optional<pid_t> parsePid(std::string_view text)
{
    pid_t pid = 0;
    const char *end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, pid);
    if (text.empty() || ec != std::errc() || ptr != end || pid <= 0)
        return std::nullopt;
    return pid;
}

int listNumericNoThrow(const std::string &dir, std::vector<pid_t> &out)
{
    out.clear();
    DirPtr handle(::opendir(dir.c_str()));
    if (!handle)
        return errno;
    while (const dirent *entry = ::readdir(handle.get())) {
        if (auto pid = parsePid(entry->d_name))
            out.push_back(*pid);
    }
    std::sort(out.begin(), out.end());
    return 0;
}

std::vector<pid_t> listPids(const std::string &procRoot)
{
    std::vector<pid_t> pids;
    if (int err = listNumericNoThrow(procRoot, pids))
        throw Error::sys("list", procRoot, err);
    return pids;
}

std::vector<std::string_view> splitFields(std::string_view text, std::string_view separators)
{
    std::vector<std::string_view> fields;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t start = text.find_first_not_of(separators, pos);
        if (start == std::string_view::npos)
            break;
        size_t end = text.find_first_of(separators, start);
        if (end == std::string_view::npos)
            end = text.size();
        fields.push_back(text.substr(start, end - start));
        pos = end;
    }
    return fields;
}

} // namespace hood::inspect
