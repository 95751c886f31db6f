#include "cgroup_paths.h"

#include "cgroup_fs.h"
#include "cgroup_parse.h"

#include <algorithm>

namespace hood {

std::vector<ProcCgroupLine> parseProcCgroup(std::string_view text)
{
    std::vector<ProcCgroupLine> lines;
    while (!text.empty()) {
        size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        size_t first = line.find(':');
        size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
        auto id = parseCount(line.substr(0, first));
        if (second == std::string_view::npos || !id)
            continue;
        ProcCgroupLine entry;
        entry.hierarchyId = static_cast<unsigned>(*id);
        std::string_view names = line.substr(first + 1, second - first - 1);
        while (!names.empty()) {
            size_t comma = names.find(',');
            if (comma != 0)
                entry.controllers.emplace_back(names.substr(0, comma));
            names = comma == std::string_view::npos ? std::string_view{} : names.substr(comma + 1);
        }
        entry.path = line.substr(second + 1);
        lines.push_back(std::move(entry));
    }
    return lines;
}

std::vector<ProcCgroupLine> readProcCgroup(pid_t pid, const std::string &procRoot)
{
    const std::string who = pid == 0 ? "self" : std::to_string(pid);
    return parseProcCgroup(readFile(procRoot + "/" + who + "/cgroup"));
}

const ProcCgroupLine *cgroupLineFor(const std::vector<ProcCgroupLine> &lines,
                                    std::string_view controller)
{
    for (const ProcCgroupLine &line : lines) {
        bool match = controller.empty()
                         ? line.isUnified()
                         : std::find(line.controllers.begin(), line.controllers.end(), controller)
                               != line.controllers.end();
        if (match)
            return &line;
    }
    return nullptr;
}

std::vector<CgroupHierarchyMount> v1HierarchyMounts(const std::vector<ProcCgroupLine> &lines)
{
    std::vector<CgroupHierarchyMount> mounts;
    for (const ProcCgroupLine &line : lines) {
        if (line.controllers.empty())
            continue;
        std::string list;
        for (const std::string &c : line.controllers)
            list += (list.empty() ? "" : ",") + c;
        // A named hierarchy has no controller: mount(2) wants "none,name=X" for it.
        if (std::string named = namedHierarchyDir(list); !named.empty())
            mounts.push_back({std::move(named), "none," + list, line.path});
        else
            mounts.push_back({list, list, line.path});
    }
    return mounts;
}

std::string namedHierarchyDir(std::string_view controllers)
{
    return controllers.starts_with("name=") ? std::string(controllers.substr(5)) : std::string();
}

std::optional<CgroupLocation> cgroupLocation(const std::string &dir, CgroupMode mode,
                                             const std::string &root)
{
    if (dir.compare(0, root.size(), root) != 0
        || (dir.size() > root.size() && dir[root.size()] != '/'))
        return std::nullopt;
    std::string rest = dir.substr(root.size());
    if (mode == CgroupMode::V2)
        return CgroupLocation{"", rest.empty() ? "/" : rest};
    size_t end = rest.find('/', 1);
    std::string hierarchy = rest.substr(1, end == std::string::npos ? std::string::npos : end - 1);
    std::string path = end == std::string::npos ? "/" : rest.substr(end);
    if (hierarchy.empty())
        return std::nullopt;
    if (hierarchy == "unified") // hybrid's v2 hierarchy: the "0::" line
        return CgroupLocation{"", path};
    return CgroupLocation{hierarchy.substr(0, hierarchy.find(',')), path};
}

std::optional<CgroupLocation> processCgroupLocation(const std::vector<std::string> &dirs,
                                                    CgroupMode mode, const std::string &root)
{
    std::optional<CgroupLocation> first;
    for (const std::string &dir : dirs) {
        auto where = cgroupLocation(dir, mode, root);
        if (!where)
            continue;
        if (where->controller.empty() || where->controller == "pids")
            return where;
        if (!first)
            first = where;
    }
    return first;
}

std::string containerCgroupDir(CgroupMode mode, const std::string &controller,
                               const CgroupOptions &options)
{
    if (mode == CgroupMode::V2) {
        const std::string &base = options.base.empty() ? options.root : options.base;
        return cgfs::join(cgfs::join(base, options.parent), options.name);
    }
    return cgfs::join(cgfs::join(cgfs::join(options.root, controller), options.parent), options.name);
}

} // namespace hood
