// hoodctl save: an image of the store as podman writes it (docker-archive,
// oci-archive, oci-dir), readable by skopeo and docker load.
#include "layout.h"

#include "digest.h"
#include "error.h"
#include "image/archive_api.h"
#include "runtime/statedir.h"
#include "sys/fileio.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <set>
#include <fcntl.h>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace hood::image {

using nlohmann::json;

namespace {

// Where the files of the output go: a directory or a tar archive.
class Sink {
public:
    virtual ~Sink() = default;
    virtual void dir(const std::string &path) = 0;
    virtual void file(const std::string &path, const std::string &data) = 0;
    virtual void copy(const std::string &path, const std::string &from) = 0;
};

class DirSink : public Sink {
public:
    explicit DirSink(std::string root) : m_root(std::move(root)) {}
    void dir(const std::string &path) override
    {
        if (mkdir((m_root + "/" + path).c_str(), 0755) < 0 && errno != EEXIST)
            throw Error::sys("mkdir", m_root + "/" + path, errno);
    }
    void file(const std::string &path, const std::string &data) override
    {
        writeNewFile(m_root + "/" + path, data, 0644);
    }
    void copy(const std::string &path, const std::string &from) override
    {
        const std::string to = m_root + "/" + path;
        if (access(to.c_str(), F_OK) == 0)
            return;
        Fd in(open(from.c_str(), O_RDONLY | O_CLOEXEC));
        Fd out(open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
        if (!in || !out)
            throw Error::sys("copy", from, errno);
        struct stat st {};
        fstat(in.get(), &st);
        off_t left = st.st_size;
        while (left > 0) { // copy_file_range: a reflink where the filesystem has them
            ssize_t n = copy_file_range(in.get(), nullptr, out.get(), nullptr, static_cast<size_t>(left), 0);
            if (n <= 0)
                throw Error::sys("copy", from, n < 0 ? errno : EIO);
            left -= n;
        }
    }

private:
    std::string m_root;
};

class TarSink : public Sink {
public:
    explicit TarSink(const std::string &path) : m_a(archiveApi().write_new(), archiveApi().write_free), m_path(path)
    {
        archiveApi().write_set_format_pax_restricted(m_a.get());
        if (archiveApi().write_open_filename(m_a.get(), path.c_str()) != ARCHIVE_OK)
            throw Error("write " + path + ": " + archiveApi().error_string(m_a.get()));
    }
    void close()
    {
        if (archiveApi().write_close(m_a.get()) != ARCHIVE_OK)
            throw Error("write " + m_path + ": " + archiveApi().error_string(m_a.get()));
    }
    void dir(const std::string &path) override { header(path, AE_IFDIR, 0755, 0); }
    void file(const std::string &path, const std::string &data) override
    {
        header(path, AE_IFREG, 0644, static_cast<int64_t>(data.size()));
        write(data.data(), data.size());
    }
    void copy(const std::string &path, const std::string &from) override
    {
        if (!m_written.insert(path).second)
            return;
        Fd in(open(from.c_str(), O_RDONLY | O_CLOEXEC));
        struct stat st {};
        if (!in || fstat(in.get(), &st) < 0)
            throw Error::sys("open", from, errno);
        header(path, AE_IFREG, 0644, st.st_size);
        std::vector<char> buf(1 << 20);
        ssize_t n;
        while ((n = read(in.get(), buf.data(), buf.size())) > 0)
            write(buf.data(), static_cast<size_t>(n));
        if (n < 0)
            throw Error::sys("read", from, errno);
    }

private:
    void header(const std::string &path, unsigned type, unsigned mode, int64_t size)
    {
        std::unique_ptr<archive_entry, decltype(&archive_entry_free)> e(archiveApi().entry_new(), archiveApi().entry_free);
        archiveApi().entry_set_pathname(e.get(), path.c_str());
        archiveApi().entry_set_filetype(e.get(), type);
        archiveApi().entry_set_perm(e.get(), mode);
        archiveApi().entry_set_size(e.get(), size);
        archiveApi().entry_set_mtime(e.get(), time(nullptr), 0);
        if (archiveApi().write_header(m_a.get(), e.get()) != ARCHIVE_OK)
            throw Error("write " + m_path + ": " + archiveApi().error_string(m_a.get()));
    }
    void write(const char *data, size_t size)
    {
        if (size && archiveApi().write_data(m_a.get(), data, size) < 0)
            throw Error("write " + m_path + ": " + archiveApi().error_string(m_a.get()));
    }
    std::unique_ptr<archive, decltype(&archive_write_free)> m_a;
    std::string m_path;
    std::set<std::string> m_written;
};

std::vector<ImageRef> namesToSave(const ImageRecord &image, const std::string &asked)
{
    std::vector<ImageRef> out;
    if (isReference(asked) && parseReference(asked).digest.empty()
        && std::find(image.names.begin(), image.names.end(), parseReference(asked).nameTag()) != image.names.end())
        return {parseReference(asked)};
    for (const std::string &n : image.names)
        out.push_back(parseReference(n));
    return out;
}

void writeOci(const Store &store, const ImageRecord &image, const std::vector<ImageRef> &names, Sink &sink)
{
    sink.file("oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    sink.dir("blobs");
    sink.dir("blobs/sha256");
    auto blob = [&](const std::string &digest) { sink.copy("blobs/sha256/" + digest.substr(7), store.blobPath(digest)); };
    blob(image.id);
    blob(image.manifest);
    for (const LayerInfo &l : store.layers(image))
        blob(l.blob);
    struct stat st {};
    stat(store.blobPath(image.manifest).c_str(), &st);
    json index = {{"schemaVersion", 2}, {"mediaType", kIndexType}, {"manifests", json::array()}};
    json d = {{"mediaType", kManifestType}, {"digest", image.manifest}, {"size", st.st_size}};
    if (names.empty())
        index["manifests"].push_back(d);
    for (const ImageRef &n : names) {
        d["annotations"] = {{"io.containerd.image.name", fullyQualified(n)},
                            {"org.opencontainers.image.ref.name", n.tag}};
        index["manifests"].push_back(d);
    }
    sink.file("index.json", index.dump());
}

// docker save's classic layout: <config hex>.json, <layer>/layer.tar, manifest.json
// and repositories (for Docker before 1.10).
void writeDocker(const Store &store, const ImageRecord &image, const std::vector<ImageRef> &names, Sink &sink)
{
    const std::string configFile = image.id.substr(7) + ".json";
    sink.copy(configFile, store.blobPath(image.id));
    json entry = {{"Config", configFile}, {"RepoTags", json::array()}, {"Layers", json::array()}};
    json repositories = json::object();
    std::string top;
    for (const LayerInfo &l : store.layers(image)) {
        const std::string dir = l.blob.substr(7);
        sink.dir(dir);
        sink.copy(dir + "/layer.tar", store.blobPath(l.blob));
        entry["Layers"].push_back(dir + "/layer.tar");
        top = dir;
    }
    for (const ImageRef &n : names) {
        entry["RepoTags"].push_back(n.nameTag());
        repositories[n.name][n.tag] = top;
    }
    sink.file("manifest.json", json::array({entry}).dump());
    if (!names.empty())
        sink.file("repositories", repositories.dump());
}

} // namespace

SaveFormat parseSaveFormat(const std::string &word)
{
    if (word == "docker-archive")
        return SaveFormat::DockerArchive;
    if (word == "oci-archive")
        return SaveFormat::OciArchive;
    if (word == "oci-dir")
        return SaveFormat::OciDir;
    throw Error("--format " + word + ": not a format (docker-archive, oci-archive or oci-dir)");
}

void saveImage(const Store &store, const std::string &text, SaveFormat format, const std::string &path)
{
    Fd lock = store.lock(false);
    const ImageRecord image = store.resolve(text);
    const std::vector<ImageRef> names = namesToSave(image, text);
    struct stat st {};
    if (lstat(path.c_str(), &st) == 0)
        throw Error("save " + path + ": it exists already (remove it, or give another -o)");
    const std::string tmp = path + ".tmp-" + std::to_string(getpid());
    try {
        if (format == SaveFormat::OciDir) {
            if (mkdir(tmp.c_str(), 0755) < 0)
                throw Error::sys("mkdir", tmp, errno);
            DirSink sink(tmp);
            writeOci(store, image, names, sink);
        } else {
            TarSink sink(tmp);
            if (format == SaveFormat::OciArchive)
                writeOci(store, image, names, sink);
            else
                writeDocker(store, image, names, sink);
            sink.close();
        }
        if (rename(tmp.c_str(), path.c_str()) < 0)
            throw Error::sys("rename", path, errno);
    } catch (...) {
        if (format == SaveFormat::OciDir)
            removeTree(tmp);
        else
            unlink(tmp.c_str());
        throw;
    }
}

} // namespace hood::image
