// Upper directories as changes (diff), as tar layers (commit, import).
#include "changes.h"

#include "digest.h"
#include "error.h"
#include "image/archive_api.h"
#include "layout.h"
#include "runtime/resources.h"
#include "sys/fd.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <map>
#include <memory>
#include <set>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace hood::image {

using nlohmann::json;

namespace {

std::vector<std::string> entriesOf(int dirFd)
{
    std::vector<std::string> names;
    DIR *d = fdopendir(fcntl(dirFd, F_DUPFD_CLOEXEC, 0));
    if (!d)
        throw Error::sys("read directory", "", errno);
    while (dirent *de = readdir(d)) {
        std::string n = de->d_name;
        if (n != "." && n != "..")
            names.push_back(n);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

Fd openDir(int at, const std::string &name, const std::string &path)
{
    Fd fd(openat(at, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd)
        throw Error::sys("open", path, errno);
    return fd;
}

bool isWhiteout(const struct stat &st)
{
    return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

bool isOpaque(int dirFd)
{
    char v[4] = {};
    for (const char *attr : {"trusted.overlay.opaque", "user.overlay.opaque"}) {
        if (fgetxattr(dirFd, attr, v, sizeof v) == 1 && v[0] == 'y')
            return true;
    }
    return false;
}

// rel inside a layer directory, as overlayfs looks it up there: no symlink is
// followed on the way (a layer's absolute /lib64 -> /usr/lib64 would otherwise lead
// to the host's), and the last component is not followed either.
Fd openInLayer(int layer, const std::string &rel, int flags)
{
    open_how how {};
    how.flags = static_cast<uint64_t>(flags | O_NOFOLLOW | O_CLOEXEC);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
    return Fd(static_cast<int>(syscall(SYS_openat2, layer, rel.c_str(), &how, sizeof how)));
}

bool statInLayer(int layer, const std::string &rel, struct stat &st)
{
    const size_t slash = rel.rfind('/');
    if (slash == std::string::npos)
        return fstatat(layer, rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
    Fd parent = openInLayer(layer, rel.substr(0, slash), O_PATH | O_DIRECTORY);
    return parent && fstatat(parent.get(), rel.c_str() + slash + 1, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

class Differ {
public:
    explicit Differ(const std::vector<std::string> &lowers)
    {
        for (const std::string &l : lowers) {
            Fd fd(open(l.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            if (!fd)
                throw Error::sys("open", l, errno);
            m_lowers.push_back(std::move(fd));
        }
    }
    // Whether the lowers show rel ("etc/hostname"): the topmost that has it decides.
    bool inLowers(const std::string &rel) const
    {
        for (const Fd &l : m_lowers) {
            struct stat st {};
            if (statInLayer(l.get(), rel, st))
                return !isWhiteout(st);
        }
        return false;
    }
    // The names the lowers show in the directory rel, as overlayfs merges them: a
    // whiteout hides a name of the layers below it, and an opaque directory or a
    // non-directory ends the merge.
    std::set<std::string> lowerNames(const std::string &rel) const
    {
        std::set<std::string> shown, seen; // seen: a higher layer has the name
        for (const Fd &l : m_lowers) {
            Fd dir = openInLayer(l.get(), rel, O_RDONLY | O_DIRECTORY);
            if (!dir) {
                struct stat st {};
                if (statInLayer(l.get(), rel, st))
                    break; // a file or a whiteout here covers what is below
                continue;
            }
            for (const std::string &name : entriesOf(dir.get())) {
                struct stat st {};
                if (!seen.insert(name).second || fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
                    continue;
                if (!isWhiteout(st))
                    shown.insert(name);
            }
            if (isOpaque(dir.get()))
                break;
        }
        return shown;
    }
    // Under an opaque directory (a directory replaced in the upper: `rm -rf d;
    // mkdir d`) overlayfs shows nothing of the lowers, so what they had and the
    // upper has not is deleted: docker diff prints the directory C and those D.
    // Below a directory the lowers do not have, everything is added: no lookups
    // (10,000 new files cost 10,000 stats, not 60,000 on a 5-layer image).
    enum class Below { Lowers, Opaque, New };
    void walk(int dir, const std::string &rel, std::vector<Change> &out, Below below = Below::Lowers) const
    {
        const std::vector<std::string> names = entriesOf(dir);
        if (below == Below::Opaque && !rel.empty()) {
            for (const std::string &name : lowerNames(rel)) {
                if (!std::binary_search(names.begin(), names.end(), name))
                    out.push_back({'D', "/" + rel + "/" + name});
            }
        }
        for (const std::string &name : names) {
            const std::string path = rel.empty() ? name : rel + "/" + name;
            struct stat st {};
            if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
                continue; // removed meanwhile: the container is running
            if (isWhiteout(st)) {
                out.push_back({'D', "/" + path});
                continue;
            }
            const bool known = below != Below::New && inLowers(path);
            out.push_back({known ? 'C' : 'A', "/" + path});
            if (!S_ISDIR(st.st_mode))
                continue;
            Fd sub = openDir(dir, name, path);
            walk(sub.get(), path, out,
                 !known ? Below::New : below == Below::Opaque || isOpaque(sub.get()) ? Below::Opaque : Below::Lowers);
        }
    }

private:
    std::vector<Fd> m_lowers;
};

using Writer = std::unique_ptr<archive, decltype(&archive_write_free)>;
using Entry = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

class TreeTar {
public:
    TreeTar(int fd, bool whiteouts) : m_a(archiveApi().write_new(), archiveApi().write_free), m_whiteouts(whiteouts)
    {
        archiveApi().write_set_format_pax_restricted(m_a.get());
        archiveApi().write_set_bytes_in_last_block(m_a.get(), 1);
        if (archiveApi().write_open_fd(m_a.get(), fd) != ARCHIVE_OK)
            fail("open");
    }
    void finish()
    {
        if (archiveApi().write_close(m_a.get()) != ARCHIVE_OK)
            fail("close");
    }
    void walk(int dir, const std::string &rel)
    {
        for (const std::string &name : entriesOf(dir)) {
            const std::string path = rel.empty() ? name : rel + "/" + name;
            struct stat st {};
            if (fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
                throw Error::sys("stat", path, errno);
            if (m_whiteouts && isWhiteout(st)) {
                st.st_mode = S_IFREG | 0644;
                st.st_size = 0;
                header((rel.empty() ? "" : rel + "/") + ".wh." + name, st, "");
                continue;
            }
            if (S_ISDIR(st.st_mode)) {
                Fd sub = openDir(dir, name, path);
                header(path, st, "");
                if (m_whiteouts && isOpaque(sub.get())) {
                    struct stat wh = st;
                    wh.st_mode = S_IFREG | 0644;
                    wh.st_size = 0;
                    header(path + "/.wh..wh..opq", wh, "");
                }
                walk(sub.get(), path);
            } else if (S_ISLNK(st.st_mode)) {
                std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
                ssize_t n = readlinkat(dir, name.c_str(), target.data(), target.size());
                if (n < 0)
                    throw Error::sys("readlink", path, errno);
                target.resize(static_cast<size_t>(n));
                header(path, st, target);
            } else if (S_ISREG(st.st_mode)) {
                regular(dir, name, path, st);
            } else {
                header(path, st, "");
            }
        }
    }

private:
    [[noreturn]] void fail(const char *op)
    {
        const char *why = archiveApi().error_string(m_a.get());
        throw Error(std::string("tar ") + op + ": " + (why ? why : "failed"));
    }
    void header(const std::string &path, const struct stat &st, const std::string &symlink,
                const std::string &hardlink = {})
    {
        Entry e(archiveApi().entry_new(), archiveApi().entry_free);
        archiveApi().entry_copy_stat(e.get(), &st);
        archiveApi().entry_set_pathname(e.get(), path.c_str());
        if (!m_whiteouts) { // an imported tree belongs to root inside, whoever built it
            archiveApi().entry_set_uid(e.get(), 0);
            archiveApi().entry_set_gid(e.get(), 0);
        }
        if (!symlink.empty())
            archiveApi().entry_set_symlink(e.get(), symlink.c_str());
        if (!hardlink.empty()) {
            archiveApi().entry_set_hardlink(e.get(), hardlink.c_str());
            archiveApi().entry_set_size(e.get(), 0);
        }
        if (!S_ISREG(st.st_mode) || !hardlink.empty())
            archiveApi().entry_set_size(e.get(), 0);
        if (archiveApi().write_header(m_a.get(), e.get()) != ARCHIVE_OK)
            fail("header");
    }
    void regular(int dir, const std::string &name, const std::string &path, const struct stat &st)
    {
        if (st.st_nlink > 1) {
            auto key = std::make_pair(st.st_dev, st.st_ino);
            auto it = m_links.find(key);
            if (it != m_links.end())
                return header(path, st, "", it->second);
            m_links[key] = path;
        }
        Fd in(openat(dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
        if (!in)
            throw Error::sys("open", path, errno);
        header(path, st, "");
        std::vector<char> buf(1 << 20);
        ssize_t n;
        while ((n = read(in.get(), buf.data(), buf.size())) > 0) {
            if (archiveApi().write_data(m_a.get(), buf.data(), static_cast<size_t>(n)) < 0)
                fail("write");
        }
        if (n < 0)
            throw Error::sys("read", path, errno);
    }
    Writer m_a;
    bool m_whiteouts;
    std::map<std::pair<dev_t, ino_t>, std::string> m_links;
};

std::string nowRfc3339()
{
    char buf[64];
    time_t t = time(nullptr);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    return buf;
}

// The tree as a tar file under <store>/tmp (journaled), added as a layer.
LayerInfo layerFromTree(Store &store, const std::string &dir, bool whiteouts, const std::string &what)
{
    const std::string tmp = store.dir() + "/tmp/tree-" + std::to_string(getpid()) + ".tar";
    HostResources journal(tmp + ".journal");
    const ResourceType *temp = findResourceType("layer-temp");
    Fd out;
    journal.acquire(*temp, tmp, [&] {
        unlink(tmp.c_str());
        out.reset(open(tmp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
        if (!out)
            throw Error::sys("create", tmp, errno);
    });
    auto cleanup = [&] {
        unlink(tmp.c_str());
        unlink((tmp + ".journal").c_str());
    };
    try {
        Fd root(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        if (!root)
            throw Error::sys("open", dir, errno);
        TreeTar tar(out.get(), whiteouts);
        tar.walk(root.get(), "");
        tar.finish();
        if (lseek(out.get(), 0, SEEK_SET) < 0)
            throw Error::sys("seek", tmp, errno);
        LayerInfo l = store.addLayer(out.get(), "", "", what);
        cleanup();
        return l;
    } catch (...) {
        cleanup();
        throw;
    }
}

} // namespace

void writeTreeTar(const std::string &dir, int fd, bool whiteouts)
{
    Fd root(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root)
        throw Error::sys("open", dir, errno);
    TreeTar tar(fd, whiteouts);
    tar.walk(root.get(), "");
    tar.finish();
}

std::vector<Change> diffUpper(const std::string &upper, const std::vector<std::string> &lowersTopFirst)
{
    Differ d(lowersTopFirst);
    Fd root(open(upper.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!root)
        throw Error::sys("open", upper, errno);
    std::vector<Change> out;
    d.walk(root.get(), "", out);
    std::sort(out.begin(), out.end(), [](const Change &a, const Change &b) { return a.path < b.path; });
    return out;
}

ImageRecord commitUpper(Store &store, const ImageRecord &parentIn, const std::string &upper, const ImageRef &ref,
                        const std::string &createdBy)
{
    Fd lock = store.lock(true);
    const ImageRecord parent = store.resolve(parentIn.id);
    LayerInfo top = layerFromTree(store, upper, true, "the new layer of " + ref.nameTag());
    json config = store.config(parent);
    const std::string now = nowRfc3339();
    config["created"] = now;
    if (!config.contains("history") || !config["history"].is_array())
        config["history"] = json::array();
    config["history"].push_back({{"created", now}, {"created_by", createdBy}});
    std::vector<LayerInfo> layers = store.layers(parent);
    layers.push_back(top);
    ImageRecord r = store.writeImage(config, layers);
    store.tag(r, ref);
    return store.resolve(r.id);
}

ImageRecord importDirectory(Store &store, const std::string &dir, const ImageRef &ref,
                            const std::string &configJson, const std::string &createdBy)
{
    Fd lock = store.lock(true);
    LayerInfo layer = layerFromTree(store, dir, false, "the layer of " + dir);
    json runConfig = json::object();
    if (!configJson.empty()) {
        try {
            runConfig = json::parse(configJson);
        } catch (const json::exception &) {
            throw Error("import: the config is not valid JSON");
        }
    }
    const std::string now = nowRfc3339();
    json config = {{"architecture", "amd64"},
                   {"os", "linux"},
                   {"created", now},
                   {"config", runConfig},
                   {"history", json::array({{{"created", now}, {"created_by", createdBy}}})}};
    ImageRecord r = store.writeImage(config, {layer});
    store.tag(r, ref);
    return store.resolve(r.id);
}

} // namespace hood::image
