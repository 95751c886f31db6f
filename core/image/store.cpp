#include "store.h"

#include "digest.h"
#include "error.h"
#include "extract.h"
#include "runtime/resources.h"
#include "runtime/statedir.h"
#include "sys/fileio.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <mutex>
#include <set>
#include <signal.h>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hood::image {

using nlohmann::json;

namespace {

bool destroyLayerTemp(const std::string &path, std::string *why)
{
    return removeTree(path, why);
}

// A half-finished extraction under <store>/tmp: journaled before it is made, so
// `hoodctl gc` removes what a SIGKILL left (never a half layer under layers/).
const ResourceType kLayerTemp {"layer-temp", "half-extracted layer", destroyLayerTemp};

void registerLayerTemp()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (!findResourceType(kLayerTemp.name))
            registerResourceType(kLayerTemp);
    });
}

bool exists(const std::string &path)
{
    struct stat st {};
    return lstat(path.c_str(), &st) == 0;
}

void makeDir(const std::string &path, mode_t mode)
{
    if (mkdir(path.c_str(), mode) < 0 && errno != EEXIST)
        throw Error::sys("mkdir", path, errno);
}

std::vector<std::string> listDir(const std::string &path)
{
    std::vector<std::string> names;
    DIR *d = opendir(path.c_str());
    if (!d)
        return names;
    while (dirent *de = readdir(d)) {
        std::string n = de->d_name;
        if (n != "." && n != "..")
            names.push_back(n);
    }
    closedir(d);
    std::sort(names.begin(), names.end());
    return names;
}

json parseJson(const std::string &text, const std::string &what)
{
    try {
        return json::parse(text);
    } catch (const json::exception &e) {
        throw Error(what + " is not valid JSON: " + e.what());
    }
}

std::atomic<unsigned> g_tempCounter {0};

std::vector<std::string> stringList(const json &j, const char *key)
{
    std::vector<std::string> out;
    if (j.contains(key) && j[key].is_array()) {
        for (const json &v : j[key])
            if (v.is_string())
                out.push_back(v.get<std::string>());
    }
    return out;
}

// A user name of the image's config, looked up in the image's own /etc/passwd.
std::string numericUser(const std::string &user, const std::vector<std::string> &dirsTopFirst)
{
    if (user.empty())
        return user;
    const size_t colon = user.find(':');
    std::string name = user.substr(0, colon);
    std::string group = colon == std::string::npos ? "" : user.substr(colon + 1);
    auto lookup = [&](const std::string &file, const std::string &who) -> std::string {
        if (who.empty() || who.find_first_not_of("0123456789") == std::string::npos)
            return who;
        for (const std::string &dir : dirsTopFirst) {
            auto text = readFileIfExists(dir + "/etc/" + file);
            if (!text)
                continue;
            std::istringstream in(*text);
            std::string line;
            while (std::getline(in, line)) {
                std::vector<std::string> f;
                std::stringstream ls(line);
                std::string part;
                while (std::getline(ls, part, ':'))
                    f.push_back(part);
                if (f.size() > 3 && f[0] == who)
                    return f[2] + (file == "passwd" && group.empty() && colon == std::string::npos ? ":" + f[3] : "");
            }
            break;
        }
        throw Error("image config: User \"" + user + "\": no " + (file == "passwd" ? "user " : "group ") + who
                    + " in the image's /etc/" + file);
    };
    std::string out = lookup("passwd", name);
    if (colon != std::string::npos)
        out += ":" + lookup("group", group);
    return out;
}

} // namespace

Store::Store(std::string dir) : m_dir(dir.empty() ? defaultDir() : std::move(dir))
{
    registerLayerTemp();
    while (m_dir.size() > 1 && m_dir.back() == '/')
        m_dir.pop_back();
}

std::string Store::defaultDir()
{
    if (const char *env = getenv("HOOD_STORE"); env && *env)
        return env;
    if (geteuid() == 0)
        return "/var/lib/hood";
    if (const char *data = getenv("XDG_DATA_HOME"); data && *data)
        return std::string(data) + "/hood";
    const char *home = getenv("HOME");
    return std::string(home && *home ? home : "/tmp") + "/.local/share/hood";
}

Fd Store::lock(bool exclusive) const
{
    if (exclusive) {
        const size_t slash = m_dir.rfind('/');
        if (slash != std::string::npos && slash > 0 && !exists(m_dir.substr(0, slash)))
            throw Error("image store " + m_dir + ": its parent directory does not exist");
        makeDir(m_dir, 0700);
        for (const char *sub : {"/blobs", "/blobs/sha256", "/layers", "/images", "/tmp", "/containers"})
            makeDir(m_dir + sub, 0700);
    }
    const std::string path = m_dir + "/lock";
    Fd fd(open(path.c_str(), (exclusive ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC, 0600));
    if (!fd) {
        if (!exclusive && errno == ENOENT)
            return fd; // no store yet: nothing to read, nothing to lock
        throw Error::sys("open", path, errno);
    }
    while (flock(fd.get(), exclusive ? LOCK_EX : LOCK_SH) < 0) {
        if (errno != EINTR)
            throw Error::sys("lock", path, errno);
    }
    return fd;
}

std::string Store::blobPath(const std::string &digest) const
{
    return m_dir + "/blobs/sha256/" + digestHex(digest, "blob");
}

bool Store::hasBlob(const std::string &digest) const
{
    return isDigest(digest) && exists(blobPath(digest));
}

std::string Store::readBlob(const std::string &digest) const
{
    std::string data = readFile(blobPath(digest));
    if (sha256Digest(data) != digest)
        throw Error("blob " + digest + " in " + m_dir + " is corrupt (its content has another digest)");
    return data;
}

std::string Store::tempPath(const std::string &kind) const
{
    return m_dir + "/tmp/" + kind + "-" + std::to_string(getpid()) + "-" + std::to_string(++g_tempCounter);
}

std::string Store::putBlob(const std::string &data)
{
    const std::string digest = sha256Digest(data);
    const std::string path = blobPath(digest);
    if (exists(path))
        return digest;
    const std::string tmp = tempPath("blob");
    writeNewFile(tmp, data, 0644);
    if (rename(tmp.c_str(), path.c_str()) < 0) {
        unlink(tmp.c_str());
        throw Error::sys("rename", path, errno);
    }
    return digest;
}

void Store::putBlobFile(int fd, const std::string &digest, const std::string &what)
{
    const std::string path = blobPath(digest);
    if (exists(path))
        return;
    const std::string tmp = tempPath("blob");
    Fd out(open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!out)
        throw Error::sys("create", tmp, errno);
    Sha256 hash;
    std::vector<char> buf(1 << 20);
    try {
        for (;;) {
            ssize_t n = read(fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                throw Error::sys("read", what, errno);
            if (n == 0)
                break;
            hash.update(buf.data(), static_cast<size_t>(n));
            if (!writeAll(out.get(), buf.data(), static_cast<size_t>(n)))
                throw Error::sys("write", tmp, errno);
        }
        const std::string got = hash.finish();
        if (got != digest)
            throw Error(what + ": digest mismatch, the content is " + got + ", not " + digest);
        if (rename(tmp.c_str(), path.c_str()) < 0)
            throw Error::sys("rename", path, errno);
    } catch (...) {
        unlink(tmp.c_str());
        throw;
    }
}

bool Store::hasLayer(const std::string &diffId) const
{
    return isDigest(diffId) && exists(m_dir + "/layers/" + diffId.substr(7) + "/layer.json");
}

std::string Store::layerDir(const std::string &diffId) const
{
    return m_dir + "/layers/" + digestHex(diffId, "layer") + "/diff";
}

LayerInfo Store::layer(const std::string &diffId) const
{
    const std::string meta = m_dir + "/layers/" + digestHex(diffId, "layer") + "/layer.json";
    json j = parseJson(readFile(meta), meta);
    LayerInfo info;
    info.diffId = diffId;
    info.blob = j.value("blob", "");
    info.size = j.value("size", uint64_t {0});
    info.dir = layerDir(diffId);
    return info;
}

namespace {
// The blob as a hard link to the file being loaded, when it is a whole regular file
// that only the store's own user may change (as `git clone` of a local repository
// links its objects: content-addressed files are never written again): a 200 MB
// layer is then written once, not twice (tests/bench/layers). Else the caller
// copies it while unpacking. The digest is verified from the bytes read either way.
bool linkBlob(int fd, const std::string &to)
{
    struct stat st {};
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 022) != 0
        || lseek(fd, 0, SEEK_CUR) != 0)
        return false;
    const std::string from = "/proc/self/fd/" + std::to_string(fd);
    return linkat(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), AT_SYMLINK_FOLLOW) == 0;
}
} // namespace

LayerInfo Store::addLayer(int fd, const std::string &blobDigest, const std::string &diffId,
                          const std::string &what, const WarnFn &warn)
{
    if (!diffId.empty() && hasLayer(diffId)) {
        if (!blobDigest.empty())
            putBlobFile(fd, blobDigest, what);
        LayerInfo info = layer(diffId);
        info.blob = blobDigest.empty() ? info.blob : blobDigest;
        return info;
    }
    const std::string tmp = tempPath("layer");
    HostResources journal(tmp + ".journal");
    journal.acquire(kLayerTemp, tmp, [&] { makeDir(tmp, 0700); });
    try {
        makeDir(tmp + "/diff", 0755);
        Fd target(open((tmp + "/diff").c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        Fd blob;
        if (!linkBlob(fd, tmp + "/blob"))
            blob.reset(open((tmp + "/blob").c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (!target || (!blob && !exists(tmp + "/blob")))
            throw Error::sys("create", tmp, errno);
        ExtractOptions o;
        o.layer = what;
        o.asRoot = geteuid() == 0;
        o.userXattr = !o.asRoot;
        o.warn = warn;
        ExtractResult r = extractTar(fd, blob ? blob.get() : -1, target.get(), o);
        if (!blobDigest.empty() && r.blobDigest != blobDigest)
            throw Error(what + ": digest mismatch, blob " + blobDigest + " has the content " + r.blobDigest);
        if (!diffId.empty() && r.diffId != diffId)
            throw Error(what + ": the uncompressed layer is " + r.diffId + ", not the config's diff_id " + diffId);
        json meta = {{"diffId", r.diffId}, {"blob", r.blobDigest}, {"size", r.size}, {"blobSize", r.blobSize}};
        writeNewFile(tmp + "/layer.json", meta.dump(), 0644);
        const std::string blobFinal = blobPath(r.blobDigest);
        if (!exists(blobFinal) && rename((tmp + "/blob").c_str(), blobFinal.c_str()) < 0)
            throw Error::sys("rename", blobFinal, errno);
        unlink((tmp + "/blob").c_str());
        const std::string final = m_dir + "/layers/" + r.diffId.substr(7);
        if (rename(tmp.c_str(), final.c_str()) < 0) {
            if (errno != EEXIST && errno != ENOTEMPTY)
                throw Error::sys("rename", final, errno);
            removeTree(tmp); // the same layer was unpacked meanwhile
        }
        unlink((tmp + ".journal").c_str());
        LayerInfo info;
        info.diffId = r.diffId;
        info.blob = r.blobDigest;
        info.size = r.size;
        info.dir = final + "/diff";
        return info;
    } catch (...) {
        std::vector<std::string> left = journal.releaseAll();
        if (left.empty())
            unlink((tmp + ".journal").c_str());
        throw;
    }
}

std::string Store::recordPath(const std::string &id) const
{
    return m_dir + "/images/" + digestHex(id, "image ID") + ".json";
}

json Store::references() const
{
    auto text = readFileIfExists(m_dir + "/references.json");
    if (!text)
        return json::object();
    return parseJson(*text, m_dir + "/references.json");
}

void Store::writeReferences(const json &refs)
{
    replaceFile(m_dir + "/references.json", refs.dump(2) + "\n", 0644);
}

ImageRecord Store::recordOf(const std::string &id, const json &refs) const
{
    const std::string path = recordPath(id);
    json j = parseJson(readFile(path), path);
    ImageRecord r;
    r.id = id;
    r.manifest = j.value("manifest", "");
    r.added = j.value("added", int64_t {0});
    r.created = j.value("created", "");
    r.size = j.value("size", uint64_t {0});
    for (auto it = refs.begin(); it != refs.end(); ++it) {
        if (it.value() == id)
            r.names.push_back(it.key());
    }
    return r;
}

ImageRecord Store::writeImage(const std::string &manifestDigest)
{
    json m = parseJson(readBlob(manifestDigest), "manifest " + manifestDigest);
    const std::string configDigest = m["config"].value("digest", "");
    json c = parseJson(readBlob(configDigest), "config " + configDigest);
    uint64_t size = 0;
    for (const std::string &diff : stringList(c.value("rootfs", json::object()), "diff_ids")) {
        if (!hasLayer(diff))
            throw Error("image " + shortId(configDigest) + ": layer " + diff + " is not in the store");
        size += layer(diff).size;
    }
    json record = {{"manifest", manifestDigest},
                   {"added", static_cast<int64_t>(time(nullptr))},
                   {"created", c.value("created", "")},
                   {"size", size}};
    replaceFile(recordPath(configDigest), record.dump() + "\n", 0644);
    return recordOf(configDigest, references());
}

ImageRecord Store::writeManifest(const std::string &configDigest, const std::vector<LayerInfo> &layers)
{
    json manifest = {{"schemaVersion", 2}, {"mediaType", kManifestType}, {"layers", json::array()}};
    for (const LayerInfo &l : layers) {
        const std::string path = blobPath(l.blob);
        struct stat st {};
        if (stat(path.c_str(), &st) < 0)
            throw Error::sys("stat", path, errno);
        Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
        const std::string comp = fd ? compressionOf(fd.get()) : "";
        manifest["layers"].push_back({{"mediaType", std::string(kLayerTarType) + (comp.empty() ? "" : "+" + comp)},
                                      {"digest", l.blob},
                                      {"size", st.st_size}});
    }
    struct stat st {};
    if (stat(blobPath(configDigest).c_str(), &st) < 0)
        throw Error::sys("stat", blobPath(configDigest), errno);
    manifest["config"] = {{"mediaType", kConfigType}, {"digest", configDigest}, {"size", st.st_size}};
    // The key order of nlohmann's object is sorted: the same image gives the same bytes.
    return writeImage(putBlob(manifest.dump()));
}

ImageRecord Store::writeImage(const json &configIn, const std::vector<LayerInfo> &layers)
{
    json config = configIn;
    config["rootfs"] = {{"type", "layers"}, {"diff_ids", json::array()}};
    for (const LayerInfo &l : layers)
        config["rootfs"]["diff_ids"].push_back(l.diffId);
    return writeManifest(putBlob(config.dump()), layers);
}

std::vector<ImageRecord> Store::images() const
{
    std::vector<ImageRecord> out;
    const json refs = references();
    for (const std::string &name : listDir(m_dir + "/images")) {
        if (name.size() == 69 && name.substr(64) == ".json")
            out.push_back(recordOf("sha256:" + name.substr(0, 64), refs));
    }
    std::sort(out.begin(), out.end(), [](const ImageRecord &a, const ImageRecord &b) { return a.added > b.added; });
    return out;
}

std::optional<ImageRecord> Store::find(const std::string &text) const
{
    const json refs = references();
    auto byId = [&](const std::string &id) -> std::optional<ImageRecord> {
        if (exists(recordPath(id)))
            return recordOf(id, refs);
        return std::nullopt;
    };
    if (isDigest(text))
        return byId(text);
    // An ID prefix (Docker accepts any unique one); names win over IDs.
    if (isReference(text)) {
        const ImageRef ref = parseReference(text);
        if (!ref.digest.empty()) {
            for (const ImageRecord &r : images()) {
                if (r.manifest == ref.digest || r.id == ref.digest)
                    return r;
            }
            return std::nullopt;
        }
        if (refs.contains(ref.nameTag()))
            return byId(refs[ref.nameTag()].get<std::string>());
    }
    if (text.size() >= 4 && text.find_first_not_of("0123456789abcdef") == std::string::npos) {
        std::optional<ImageRecord> found;
        for (const ImageRecord &r : images()) {
            if (r.id.compare(7, text.size(), text) == 0) {
                if (found)
                    throw Error("image ID prefix " + text + " names more than one image: give more of it");
                found = r;
            }
        }
        return found;
    }
    return std::nullopt;
}

ImageRecord Store::resolve(const std::string &text) const
{
    if (auto r = find(text))
        return *r;
    throw Error("image " + text + " not found in the store " + m_dir + " (hoodctl images lists them)");
}

void Store::tag(const ImageRecord &image, const ImageRef &ref)
{
    if (ref.tag.empty())
        throw Error("tag " + ref.str() + ": give a NAME:TAG, not a digest");
    json refs = references();
    refs[ref.nameTag()] = image.id;
    writeReferences(refs);
}

std::vector<std::string> Store::remove(const std::string &text)
{
    const ImageRecord image = resolve(text);
    json refs = references();
    std::vector<std::string> lines;
    const bool byName = isReference(text) && refs.contains(parseReference(text).nameTag())
                        && parseReference(text).digest.empty();
    if (byName) {
        const std::string key = parseReference(text).nameTag();
        refs.erase(key);
        lines.push_back("Untagged: " + key);
    } else {
        for (const std::string &n : image.names) {
            refs.erase(n);
            lines.push_back("Untagged: " + n);
        }
    }
    writeReferences(refs);
    bool named = false;
    for (auto it = refs.begin(); it != refs.end(); ++it)
        named = named || it.value() == image.id;
    if (!named) {
        if (unlink(recordPath(image.id).c_str()) < 0 && errno != ENOENT)
            throw Error::sys("remove", recordPath(image.id), errno);
        lines.push_back("Deleted: " + image.id);
        gc();
    }
    return lines;
}

// The manifest and config as JSON are read without hashing them again: the store
// verified them when it wrote them (renamed into place whole, under its lock), and
// every `run --image` reads them three times, which cost each start the loading of
// libcrypto (tests/bench/layers). readBlob, which save and push use for the bytes
// they hand on, still verifies.
json Store::manifest(const ImageRecord &image) const
{
    return parseJson(readFile(blobPath(image.manifest)), "manifest " + image.manifest);
}

json Store::config(const ImageRecord &image) const
{
    return parseJson(readFile(blobPath(image.id)), "config " + image.id);
}

std::vector<LayerInfo> Store::layers(const ImageRecord &image) const
{
    const json c = config(image);
    const json m = manifest(image);
    std::vector<LayerInfo> out;
    const std::vector<std::string> diffs = stringList(c.value("rootfs", json::object()), "diff_ids");
    for (size_t i = 0; i < diffs.size(); ++i) {
        LayerInfo l = layer(diffs[i]);
        if (m.contains("layers") && i < m["layers"].size())
            l.blob = m["layers"][i].value("digest", l.blob);
        out.push_back(l);
    }
    return out;
}

std::vector<std::string> Store::layerDirs(const ImageRecord &image) const
{
    std::vector<std::string> dirs;
    for (const LayerInfo &l : layers(image))
        dirs.insert(dirs.begin(), l.dir);
    return dirs;
}

std::vector<HistoryEntry> Store::history(const ImageRecord &image) const
{
    const json c = config(image);
    const std::vector<LayerInfo> ls = layers(image);
    std::vector<HistoryEntry> out;
    size_t next = 0;
    if (c.contains("history") && c["history"].is_array()) {
        for (const json &h : c["history"]) {
            HistoryEntry e;
            e.created = h.value("created", "");
            e.createdBy = h.value("created_by", "");
            e.comment = h.value("comment", "");
            e.emptyLayer = h.value("empty_layer", false);
            if (!e.emptyLayer && next < ls.size()) {
                e.diffId = ls[next].diffId;
                e.size = ls[next].size;
                e.dir = ls[next].dir;
                ++next;
            }
            out.push_back(e);
        }
    }
    for (; next < ls.size(); ++next) { // layers the history does not describe
        HistoryEntry e;
        e.diffId = ls[next].diffId;
        e.size = ls[next].size;
        e.dir = ls[next].dir;
        out.push_back(e);
    }
    std::reverse(out.begin(), out.end());
    return out;
}

ImageConfig Store::runConfig(const ImageRecord &image) const
{
    const json c = config(image).value("config", json::object());
    ImageConfig ic;
    ic.env = stringList(c, "Env");
    ic.entrypoint = stringList(c, "Entrypoint");
    ic.cmd = stringList(c, "Cmd");
    ic.workingDir = c.value("WorkingDir", "");
    ic.user = numericUser(c.value("User", ""), layerDirs(image));
    return ic;
}

std::string Store::upperDir(const std::string &containerId) const
{
    return m_dir + "/containers/" + containerId + "-upper";
}

std::string Store::workDir(const std::string &containerId) const
{
    return m_dir + "/containers/" + containerId + "-work";
}

std::vector<std::string> Store::gc()
{
    std::vector<std::string> removed;
    // Half extractions: under the exclusive lock no extraction runs, but a process
    // that holds no lock (a crashed one) may have left its journal.
    for (const std::string &name : listDir(m_dir + "/tmp")) {
        const std::string path = m_dir + "/tmp/" + name;
        if (name.size() > 8 && name.substr(name.size() - 8) == ".journal") {
            std::vector<std::string> left = replayJournal(readJournal(path));
            if (left.empty()) {
                unlink(path.c_str());
                removed.push_back("removed the half extraction " + path.substr(0, path.size() - 8));
            }
        } else if (name.rfind("blob-", 0) == 0) {
            const pid_t pid = static_cast<pid_t>(atoi(name.c_str() + 5));
            if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH && unlink(path.c_str()) == 0)
                removed.push_back("removed the half-written blob " + path);
        }
    }
    std::set<std::string> blobs, diffs;
    for (const ImageRecord &r : images()) {
        blobs.insert(r.manifest);
        blobs.insert(r.id);
        try {
            for (const LayerInfo &l : layers(r)) {
                blobs.insert(l.blob);
                diffs.insert(l.diffId);
            }
        } catch (const Error &) {
            continue; // a broken image keeps what it names; rmi removes it
        }
    }
    for (const std::string &hex : listDir(m_dir + "/blobs/sha256")) {
        if (!blobs.count("sha256:" + hex) && unlink((m_dir + "/blobs/sha256/" + hex).c_str()) == 0)
            removed.push_back("removed the blob sha256:" + hex);
    }
    for (const std::string &hex : listDir(m_dir + "/layers")) {
        if (!diffs.count("sha256:" + hex) && removeTree(m_dir + "/layers/" + hex))
            removed.push_back("removed the layer sha256:" + hex);
    }
    return removed;
}

std::vector<std::string> layerDirs(const ImageRef &ref, const std::string &storeDir)
{
    Store store(storeDir);
    Fd lock = store.lock(false);
    return store.layerDirs(store.resolve(ref.str()));
}

std::vector<HistoryEntry> imageHistory(const ImageRef &ref, const std::string &storeDir)
{
    Store store(storeDir);
    Fd lock = store.lock(false);
    return store.history(store.resolve(ref.str()));
}

} // namespace hood::image
