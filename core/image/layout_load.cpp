// hoodctl load: OCI layouts, OCI archives and docker-save tarballs into the store.
#include "layout.h"

#include "builtin.h"
#include "digest.h"
#include "error.h"
#include "extract.h"
#include "runtime/resources.h"
#include "runtime/statedir.h"
#include "sys/fileio.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hood::image {

using nlohmann::json;

namespace {

// A file of the layout, opened inside it: symlinks (docker save links identical
// layers) resolve as if the layout were "/", so none leads out of it.
Fd openInLayout(int root, const std::string &path, const std::string &what)
{
    open_how how {};
    how.flags = O_RDONLY | O_CLOEXEC;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    int fd = static_cast<int>(syscall(SYS_openat2, root, path.c_str(), &how, sizeof how));
    if (fd < 0 && errno == ENOSYS) {
        if (path.find("..") != std::string::npos)
            throw Error(what + ": the path " + path + " climbs out of the layout");
        fd = openat(root, path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0)
        throw Error::sys("open " + what + ":", path, errno);
    return Fd(fd);
}

bool hasFile(int root, const std::string &path)
{
    struct stat st {};
    return fstatat(root, path.c_str(), &st, 0) == 0;
}

std::string readAllFd(int fd, const std::string &what)
{
    std::string out;
    if (!preadAll(fd, out))
        throw Error::sys("read", what, errno);
    return out;
}

json parse(const std::string &text, const std::string &what)
{
    try {
        return json::parse(text);
    } catch (const json::exception &) {
        throw Error(what + " is not valid JSON");
    }
}

std::string baseName(std::string path)
{
    while (path.size() > 1 && path.back() == '/')
        path.pop_back();
    return path.substr(path.rfind('/') + 1);
}

class Loader {
public:
    Loader(Store &store, const std::string &source, int root, const WarnFn &warn)
        : m_store(store), m_source(source), m_root(root), m_warn(warn)
    {
    }
    void loadOci(LoadResult &out);
    void loadDocker(LoadResult &out);

private:
    std::string blobText(const std::string &digest, const std::string &what);
    json resolveIndex(const json &descriptor, const std::string &what);
    ImageRecord loadManifest(const std::string &digest, const std::string &what);
    std::vector<ImageRef> namesOf(const json &descriptor) const;

    Store &m_store;
    std::string m_source; // names the layout or archive in sentences
    int m_root;
    const WarnFn &m_warn;
};

// A blob of the layout, verified against its digest before anything uses it.
std::string Loader::blobText(const std::string &digest, const std::string &what)
{
    const std::string path = "blobs/sha256/" + digestHex(digest, what);
    if (!hasFile(m_root, path))
        throw Error(m_source + ": " + what + " names the blob " + digest + ", which is not in it");
    std::string text = readAllFd(openInLayout(m_root, path, m_source).get(), m_source + "/" + path);
    const std::string got = sha256Digest(text);
    if (got != digest)
        throw Error(m_source + ": digest mismatch, blob " + digest + " (" + what + ") has the content " + got);
    return text;
}

bool isIndex(const json &j)
{
    return j.value("mediaType", "") == kIndexType
           || j.value("mediaType", "") == "application/vnd.docker.distribution.manifest.list.v2+json"
           || (j.contains("manifests") && !j.contains("layers"));
}

// Down an index to the manifest for linux/amd64 (Hood runs amd64 binaries only).
json Loader::resolveIndex(const json &descriptor, const std::string &what)
{
    json d = descriptor;
    for (int depth = 0; depth < 4; ++depth) {
        const json j = parse(blobText(d.value("digest", ""), what), m_source + ": " + what);
        if (!isIndex(j))
            return d;
        const json manifests = j.value("manifests", json::array());
        const json *pick = nullptr;
        std::string seen;
        for (const json &m : manifests) {
            const json p = m.value("platform", json::object());
            const std::string os = p.value("os", ""), arch = p.value("architecture", "");
            if (os == "linux" && arch == "amd64" && !pick)
                pick = &m;
            if (!os.empty())
                seen += (seen.empty() ? "" : ", ") + os + "/" + arch;
        }
        if (!pick)
            throw Error(m_source + ": the index " + d.value("digest", "") + " has no manifest for linux/amd64"
                        + (seen.empty() ? "" : " (it has " + seen + ")"));
        d = *pick;
    }
    throw Error(m_source + ": indexes nest more than 4 deep");
}

ImageRecord Loader::loadManifest(const std::string &digest, const std::string &what)
{
    const std::string mtext = blobText(digest, what);
    const json m = parse(mtext, m_source + ": manifest " + digest);
    const std::string configDigest = m.value("config", json::object()).value("digest", "");
    const std::string ctext = blobText(configDigest, "config of manifest " + shortId(digest));
    const json c = parse(ctext, m_source + ": config " + configDigest);
    const json diffs = c.value("rootfs", json::object()).value("diff_ids", json::array());
    const json layers = m.value("layers", json::array());
    if (diffs.size() != layers.size())
        throw Error(m_source + ": manifest " + digest + " has " + std::to_string(layers.size())
                    + " layers but its config " + std::to_string(diffs.size()) + " diff_ids");
    for (size_t i = 0; i < layers.size(); ++i) {
        const std::string blob = layers[i].value("digest", "");
        const std::string path = "blobs/sha256/" + digestHex(blob, "layer");
        const std::string name = "layer " + std::to_string(i + 1) + " (blob " + blob + ") of " + m_source;
        if (!hasFile(m_root, path))
            throw Error(m_source + ": manifest " + shortId(digest) + " names the blob " + blob
                        + ", which is not in it");
        Fd fd = openInLayout(m_root, path, m_source);
        m_store.addLayer(fd.get(), blob, diffs[i].get<std::string>(), name, m_warn);
    }
    m_store.putBlob(ctext);
    m_store.putBlob(mtext);
    return m_store.writeImage(digest);
}

// The names a descriptor gives: containerd's full name, or OCI's ref.name (a tag as
// umoci writes it, named after the layout directory; or a NAME[:TAG] as skopeo's
// oci:DIR:NAME writes it).
std::vector<ImageRef> Loader::namesOf(const json &d) const
{
    const json a = d.value("annotations", json::object());
    std::string full = a.value("io.containerd.image.name", "");
    std::string ref = a.value("org.opencontainers.image.ref.name", "");
    std::vector<ImageRef> out;
    if (!full.empty() && isReference(full)) {
        out.push_back(parseReference(full));
    } else if (!ref.empty()) {
        const bool tagOnly = ref == "latest" || std::isdigit(static_cast<unsigned char>(ref[0]));
        const std::string text = tagOnly ? baseName(m_source) + ":" + ref : ref;
        if (isReference(text))
            out.push_back(parseReference(text));
        else
            m_warn(m_source + ": the name \"" + ref + "\" is not a valid image name; the image is kept by ID");
    }
    return out;
}

void Loader::loadOci(LoadResult &out)
{
    if (hasFile(m_root, "oci-layout")) {
        const json l = parse(readAllFd(openInLayout(m_root, "oci-layout", m_source).get(), m_source),
                             m_source + "/oci-layout");
        if (l.value("imageLayoutVersion", "") != "1.0.0")
            throw Error(m_source + ": oci-layout version \"" + l.value("imageLayoutVersion", "")
                        + "\" is not 1.0.0");
    }
    const json index = parse(readAllFd(openInLayout(m_root, "index.json", m_source).get(), m_source),
                             m_source + "/index.json");
    const json manifests = index.value("manifests", json::array());
    if (manifests.empty())
        throw Error(m_source + ": index.json lists no image");
    for (const json &d : manifests) {
        const std::string what = "manifest " + d.value("digest", "?");
        const json picked = resolveIndex(d, what);
        ImageRecord r = loadManifest(picked.value("digest", ""), what);
        std::vector<ImageRef> names = namesOf(d);
        for (const ImageRef &n : names) {
            m_store.tag(r, n);
            out.lines.push_back("Loaded image: " + n.nameTag());
        }
        if (names.empty())
            out.lines.push_back("Loaded image ID: " + r.id);
        out.images.push_back(m_store.resolve(r.id));
    }
}

void Loader::loadDocker(LoadResult &out)
{
    const json manifest = parse(readAllFd(openInLayout(m_root, "manifest.json", m_source).get(), m_source),
                                m_source + "/manifest.json");
    if (!manifest.is_array() || manifest.empty())
        throw Error(m_source + ": manifest.json lists no image");
    for (const json &entry : manifest) {
        const std::string configPath = entry.value("Config", "");
        const std::string ctext = readAllFd(openInLayout(m_root, configPath, m_source).get(), configPath);
        const std::string configDigest = sha256Digest(ctext);
        // Its name says its digest: "<hex>.json" (classic) or "blobs/sha256/<hex>".
        std::string named = baseName(configPath);
        if (named.size() > 5 && named.substr(named.size() - 5) == ".json")
            named = named.substr(0, named.size() - 5);
        if (named.size() == 64 && "sha256:" + named != configDigest)
            throw Error(m_source + ": digest mismatch, config " + configPath + " has the content " + configDigest);
        const json c = parse(ctext, m_source + ": " + configPath);
        const json diffs = c.value("rootfs", json::object()).value("diff_ids", json::array());
        const json layers = entry.value("Layers", json::array());
        if (diffs.size() != layers.size())
            throw Error(m_source + ": " + configPath + " has " + std::to_string(diffs.size())
                        + " diff_ids but manifest.json " + std::to_string(layers.size()) + " layers");
        std::vector<LayerInfo> infos;
        for (size_t i = 0; i < layers.size(); ++i) {
            const std::string path = layers[i].get<std::string>();
            const std::string hex = baseName(path);
            const std::string blob = path.rfind("blobs/sha256/", 0) == 0 ? "sha256:" + hex : "";
            const std::string name = "layer " + std::to_string(i + 1) + " (" + path + ") of " + m_source;
            Fd fd = openInLayout(m_root, path, m_source);
            infos.push_back(m_store.addLayer(fd.get(), blob, diffs[i].get<std::string>(), name, m_warn));
        }
        m_store.putBlob(ctext);
        ImageRecord r = m_store.writeManifest(configDigest, infos);
        bool named2 = false;
        for (const json &t : entry.value("RepoTags", json::array())) {
            if (!t.is_string() || !isReference(t.get<std::string>()))
                continue;
            const ImageRef ref = parseReference(t.get<std::string>());
            m_store.tag(r, ref);
            out.lines.push_back("Loaded image: " + ref.nameTag());
            named2 = true;
        }
        if (!named2)
            out.lines.push_back("Loaded image ID: " + r.id);
        out.images.push_back(m_store.resolve(r.id));
    }
}

void loadDirectory(Store &store, const std::string &path, int root, const WarnFn &warn, LoadResult &out)
{
    Loader loader(store, path, root, warn);
    // Docker 25 writes both: the OCI index keeps the manifest's own digest.
    if (hasFile(root, "index.json"))
        loader.loadOci(out);
    else if (hasFile(root, "manifest.json"))
        loader.loadDocker(out);
    else
        throw Error(path + ": neither an OCI layout (index.json) nor a docker save archive (manifest.json)");
}

// An archive is unpacked (as files only: no owners, devices or whiteouts) into a
// journaled temporary directory of the store, then read as a layout.
void loadArchive(Store &store, const std::string &path, const WarnFn &warn, LoadResult &out)
{
    Fd src(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!src)
        throw Error::sys("open", path, errno);
    const std::string tmp = store.dir() + "/tmp/archive-" + std::to_string(getpid());
    HostResources journal(tmp + ".journal");
    const ResourceType *temp = findResourceType("layer-temp");
    journal.acquire(*temp, tmp, [&] {
        removeTree(tmp);
        if (mkdir(tmp.c_str(), 0700) < 0)
            throw Error::sys("mkdir", tmp, errno);
    });
    try {
        Fd root(open(tmp.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        ExtractOptions o;
        o.layer = "archive " + path;
        o.overlayWhiteouts = false;
        o.asRoot = false;
        o.warn = warn;
        extractTar(src.get(), -1, root.get(), o);
        loadDirectory(store, path, root.get(), warn, out);
    } catch (...) {
        journal.releaseAll();
        unlink((tmp + ".journal").c_str());
        throw;
    }
    journal.releaseAll();
    unlink((tmp + ".journal").c_str());
}

} // namespace

LoadResult loadImages(Store &store, const std::string &path, const WarnFn &warnIn)
{
    const WarnFn warn = warnIn ? warnIn : [](const std::string &) {};
    Fd lock = store.lock(true);
    struct stat st {};
    if (stat(path.c_str(), &st) < 0)
        throw Error::sys("load", path, errno);
    LoadResult out;
    try {
        if (S_ISDIR(st.st_mode)) {
            Fd root(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
            if (!root)
                throw Error::sys("open", path, errno);
            loadDirectory(store, path, root.get(), warn, out);
        } else {
            loadArchive(store, path, warn, out);
        }
    } catch (const json::exception &e) {
        // A field of the wrong type (a number where an object belongs).
        throw Error(path + ": a manifest, index or config has a field of the wrong type (" + e.what() + ")");
    }
    return out;
}

ImageRecord resolveOrSeed(Store &store, const std::string &text, const WarnFn &warn)
{
    {
        Fd lock = store.lock(false);
        if (auto r = store.find(text))
            return *r;
    }
    if (!isReference(text) || parseReference(text).nameTag() != "busybox:latest")
        return store.resolve(text); // throws: not found
    const std::string layout = builtinImageRootfs("busybox") + "/../oci";
    struct stat st {};
    if (stat((layout + "/index.json").c_str(), &st) < 0)
        throw Error("image busybox not found in the store " + store.dir() + ", and the built-in image has no "
                    "OCI layout at " + layout + " (rebuild Hood)");
    LoadResult r = loadImages(store, layout, warn);
    Fd lock = store.lock(false);
    return store.resolve(text);
}

} // namespace hood::image
