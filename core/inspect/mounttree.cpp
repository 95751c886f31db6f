#include "mounttree.h"

#include "error.h"
#include "procfs.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <map>
#include <memory>
#include <sys/mount.h>
#include <sys/sysmacros.h>
#include <tuple>
#include <unordered_map>

#include <libmount/libmount.h>

namespace hood::inspect {

namespace {

// mnt_unref_table, not mnt_free_table: the table is refcounted and libmount's
// documentation asks callers to drop their reference rather than free it.
using TablePtr = std::unique_ptr<libmnt_table, decltype(&mnt_unref_table)>;
using IterPtr = std::unique_ptr<libmnt_iter, decltype(&mnt_free_iter)>;
using FilePtr = std::unique_ptr<FILE, decltype(&std::fclose)>;

// libmount reports a malformed line through this callback; returning 1 skips the
// line, and the first bad line number is kept to turn into a hood::Error.
int onParseError(libmnt_table *table, const char *, int line)
{
    auto *firstBad = static_cast<int *>(mnt_table_get_userdata(table));
    if (*firstBad == 0)
        *firstBad = line;
    return 1;
}

std::string text(const char *value)
{
    return value ? value : "";
}

int groupNumber(std::string_view field, std::string_view prefix)
{
    if (field.substr(0, prefix.size()) != prefix)
        return 0;
    int number = 0;
    std::from_chars(field.data() + prefix.size(), field.data() + field.size(), number);
    return number;
}

// libmount gives the propagation flags; the peer group numbers that let a page
// say "shared with the host's /" are only in the optional fields themselves.
Propagation readPropagation(libmnt_fs *fs, const std::string &optionalFields)
{
    Propagation propagation;
    unsigned long flags = 0;
    mnt_fs_get_propagation(fs, &flags);
    propagation.unbindable = flags & MS_UNBINDABLE;
    for (std::string_view field : splitFields(optionalFields)) {
        if (int group = groupNumber(field, "shared:"))
            propagation.sharedGroup = group;
        else if (int master = groupNumber(field, "master:"))
            propagation.masterGroup = master;
        else if (int from = groupNumber(field, "propagate_from:"))
            propagation.propagateFrom = from;
    }
    return propagation;
}

MountEntry readEntry(libmnt_fs *fs)
{
    MountEntry entry;
    entry.id = mnt_fs_get_id(fs);
    entry.parentId = mnt_fs_get_parent_id(fs);
    dev_t dev = mnt_fs_get_devno(fs);
    entry.devMajor = major(dev);
    entry.devMinor = minor(dev);
    entry.root = text(mnt_fs_get_root(fs));
    entry.target = text(mnt_fs_get_target(fs));
    entry.source = text(mnt_fs_get_source(fs));
    entry.fstype = text(mnt_fs_get_fstype(fs));
    entry.vfsOptions = text(mnt_fs_get_vfs_options(fs));
    entry.fsOptions = text(mnt_fs_get_fs_options(fs));
    entry.options = text(mnt_fs_get_options(fs));
    entry.optionalFields = text(mnt_fs_get_optional_fields(fs));
    entry.propagation = readPropagation(fs, entry.optionalFields);
    return entry;
}

TablePtr parseTable(std::string_view bytes, const std::string &origin)
{
    TablePtr table(mnt_new_table(), &mnt_unref_table);
    if (!table)
        throw Error::sys("parse", origin, ENOMEM);
    // fmemopen needs a writable buffer pointer even in read mode.
    std::string copy(bytes);
    FilePtr stream(::fmemopen(copy.data(), copy.size(), "r"), &std::fclose);
    if (!stream)
        throw Error::sys("parse", origin, errno);
    int firstBad = 0;
    mnt_table_set_userdata(table.get(), &firstBad);
    mnt_table_set_parser_errcb(table.get(), onParseError);
    int rc = mnt_table_parse_stream(table.get(), stream.get(), origin.c_str());
    if (rc < 0)
        throw Error::sys("parse", origin, -rc);
    if (firstBad != 0)
        throw Error("parse " + origin + ": line " + std::to_string(firstBad)
                    + " is not a mountinfo entry");
    return table;
}

void linkTree(MountTree &tree)
{
    std::unordered_map<int, int> indexById;
    for (size_t i = 0; i < tree.mounts.size(); ++i)
        indexById.emplace(tree.mounts[i].id, static_cast<int>(i));
    for (size_t i = 0; i < tree.mounts.size(); ++i) {
        MountEntry &mount = tree.mounts[i];
        auto parent = indexById.find(mount.parentId);
        if (parent == indexById.end() || mount.parentId == mount.id) {
            tree.roots.push_back(static_cast<int>(i));
            continue;
        }
        mount.parent = parent->second;
        tree.mounts[static_cast<size_t>(parent->second)].children.push_back(static_cast<int>(i));
    }
}

using MountKey = std::tuple<std::string, std::string, std::string, unsigned, unsigned, std::string>;

MountKey keyOf(const MountEntry &mount)
{
    return {mount.target, mount.fstype, mount.source, mount.devMajor, mount.devMinor, mount.root};
}

// Indexes of `mounts` whose key is not matched by one of `other`'s, counting
// duplicates: each mount of `other` matches at most one.
std::vector<int> unmatched(const MountTree &mounts, const MountTree &other)
{
    std::map<MountKey, int> available;
    for (const MountEntry &mount : other.mounts)
        ++available[keyOf(mount)];
    std::vector<int> result;
    for (size_t i = 0; i < mounts.mounts.size(); ++i) {
        int &count = available[keyOf(mounts.mounts[i])];
        if (count > 0)
            --count;
        else
            result.push_back(static_cast<int>(i));
    }
    return result;
}

} // namespace

std::string propagationName(const Propagation &propagation)
{
    std::string name = propagation.isShared() ? "shared" : "private";
    if (propagation.isSlave())
        name += ",slave";
    if (propagation.unbindable)
        name += ",unbindable";
    return name;
}

std::string findmntSource(const MountEntry &mount)
{
    if (mount.root.empty() || mount.root == "/")
        return mount.source;
    return mount.source + "[" + mount.root + "]";
}

const MountEntry *MountTree::byId(int id) const
{
    for (const MountEntry &mount : mounts) {
        if (mount.id == id)
            return &mount;
    }
    return nullptr;
}

MountTree parseMountInfo(std::string_view bytes, const std::string &origin)
{
    MountTree tree;
    if (bytes.empty())
        return tree;
    TablePtr table = parseTable(bytes, origin);
    IterPtr iter(mnt_new_iter(MNT_ITER_FORWARD), &mnt_free_iter);
    if (!iter)
        throw Error::sys("parse", origin, ENOMEM);
    libmnt_fs *fs = nullptr;
    while (mnt_table_next_fs(table.get(), iter.get(), &fs) == 0)
        tree.mounts.push_back(readEntry(fs));
    linkTree(tree);
    return tree;
}

MountTree readMountTree(pid_t pid, const std::string &procRoot)
{
    std::string path = procPath(procRoot, pid, "mountinfo");
    return parseMountInfo(readFile(path), path);
}

MountDiff diffMounts(const MountTree &tree, const MountTree &host)
{
    return {unmatched(tree, host), unmatched(host, tree)};
}

} // namespace hood::inspect
