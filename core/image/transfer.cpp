// Pull and push (transfer.h): the registry client's BlobSink and BlobSource
// implemented by the store.
#include "image/transfer.h"

#include "error.h"
#include "image/digest.h"
#include "sys/fd.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <fcntl.h>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

namespace hood::image {

namespace {

// Layers go through Store::addLayer (unpacked once, diff_id checked); the lock
// is held only while the store changes, not during the download.
class StoreSink : public BlobSink {
public:
    StoreSink(Store &store, std::map<std::string, std::string> diffIds, WarnFn warn)
        : m_store(store), m_diffIds(std::move(diffIds)), m_warn(std::move(warn)) {}

    bool has(const std::string &digest) override
    {
        auto it = m_diffIds.find(digest);
        return it != m_diffIds.end() ? m_store.hasLayer(it->second) : m_store.hasBlob(digest);
    }
    std::string partialPath(const std::string &digest) override
    {
        const std::string dir = m_store.dir() + "/downloads";
        if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
            throw Error::sys("create", dir, errno);
        return dir + "/" + digestHex(digest) + ".partial";
    }
    void commit(const std::string &digest, const std::string &path, const std::string &what) override
    {
        Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd)
            throw Error::sys("open", path, errno);
        Fd lock = m_store.lock(true);
        auto it = m_diffIds.find(digest);
        if (it != m_diffIds.end())
            m_store.addLayer(fd.get(), digest, it->second, what, m_warn);
        else
            m_store.putBlobFile(fd.get(), digest, what);
        ::unlink(path.c_str());
    }

private:
    Store &m_store;
    std::map<std::string, std::string> m_diffIds; // layer blob -> diff_id
    WarnFn m_warn;
};

class StoreSource : public BlobSource {
public:
    explicit StoreSource(Store &store) : m_store(store) {}
    std::string blobPath(const std::string &digest) override
    {
        if (!m_store.hasBlob(digest))
            throw Error("push: the blob " + digest + " is not in the store " + m_store.dir());
        return m_store.blobPath(digest);
    }

private:
    Store &m_store;
};

} // namespace

ImageRecord pullImage(Store &store, RegistryClient &client, const RegistryRef &ref, const std::string &name,
                      const WarnFn &warn)
{
    {
        Fd lock = store.lock(true); // makes the store's directories on a first pull
    }
    const RegistryManifest m = client.manifest(ref);
    const auto [configDigest, layers] = manifestBlobs(m.body);
    const std::string config = client.fetchBlobBytes(ref, configDigest);
    const nlohmann::json c = nlohmann::json::parse(config, nullptr, false);
    if (!c.is_object() || !c.contains("rootfs") || !c["rootfs"].is_object() || !c["rootfs"].contains("diff_ids")
        || !c["rootfs"]["diff_ids"].is_array())
        throw Error("pull " + ref.str() + ": the config " + configDigest + " has no rootfs.diff_ids");
    const nlohmann::json &diffs = c["rootfs"]["diff_ids"];
    if (diffs.size() != layers.size())
        throw Error("pull " + ref.str() + ": the manifest has " + std::to_string(layers.size()) +
                    " layers but its config " + std::to_string(diffs.size()) + " diff_ids");
    std::map<std::string, std::string> diffIds;
    for (size_t i = 0; i < layers.size(); ++i)
        diffIds[layers[i]] = diffs[i].is_string() ? diffs[i].get<std::string>() : std::string();
    StoreSink sink(store, diffIds, warn);
    for (size_t i = 0; i < layers.size(); ++i)
        client.fetchBlob(ref, layers[i], sink,
                         "layer " + std::to_string(i + 1) + "/" + std::to_string(layers.size()) + " " + shortId(layers[i]));
    Fd lock = store.lock(true);
    store.putBlob(config);
    if (store.putBlob(m.body) != m.digest)
        throw Error("pull " + ref.str() + ": the store computed another digest for the manifest " + m.digest);
    ImageRecord image = store.writeImage(m.digest);
    if (!name.empty() && ref.digest.empty()) // NAME@sha256:... names the image, no tag to give
        store.tag(image, parseReference(name));
    return store.resolve(image.id);
}

std::string pushImage(Store &store, RegistryClient &client, const ImageRecord &image, const RegistryRef &ref)
{
    Fd lock = store.lock(false); // blobs are immutable; shared keeps gc away meanwhile
    const std::string body = store.readBlob(image.manifest);
    const nlohmann::json m = nlohmann::json::parse(body, nullptr, false);
    std::string mediaType = m.is_object() && m.contains("mediaType") && m["mediaType"].is_string()
                                ? m["mediaType"].get<std::string>()
                                : std::string(kManifestType);
    StoreSource source(store);
    return client.push(ref, mediaType, body, source);
}

} // namespace hood::image
