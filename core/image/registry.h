// An OCI distribution client over libcurl: ping /v2/, anonymous, bearer-token
// (from the WWW-Authenticate challenge) and basic auth, manifests (OCI and
// Docker schema2; an OCI index or a Docker manifest list resolved to
// linux/amd64), blob GET verified against its digest and resumed with Range,
// blob HEAD, monolithic or chunked upload, cross-repository mounts, manifest
// PUT. Credentials are Docker's config.json (`auths` with a base64 `auth`) in a
// directory the caller chooses.
//
// The client knows no image store: a pull writes blobs into a BlobSink and a
// push reads them from a BlobSource, which the builder/CLI glue to the store
// (Store::putBlobFile / addLayer / writeImage, Store::blobPath).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hood {

// "busybox" -> docker.io/library/busybox:latest; "127.0.0.1:5000/a/b:t";
// "host/repo@sha256:..." (a digest wins over a tag).
struct RegistryRef {
    std::string registry;   // "docker.io", "127.0.0.1:5000"
    std::string repository; // "library/busybox"
    std::string tag;        // "latest" unless a digest is given
    std::string digest;

    // Throws hood::Error ("invalid reference X: ...").
    static RegistryRef parse(const std::string &text);
    std::string reference() const { return digest.empty() ? tag : digest; }
    std::string str() const; // "127.0.0.1:5000/a/b:t"
    // The host the API is on (docker.io's is registry-1.docker.io).
    std::string apiHost() const;
};

struct RegistryCredentials {
    std::string username;
    std::string password;
};

// Docker's config.json under configDir ("<configDir>/config.json"): the
// `auths` entry of registry, its `auth` being base64("user:password").
std::optional<RegistryCredentials> loadCredentials(const std::string &configDir, const std::string &registry);
// Adds or replaces the entry, keeping the rest of the file (mode 0600).
void storeCredentials(const std::string &configDir, const std::string &registry, const RegistryCredentials &c);
// Returns false when there was no entry.
bool removeCredentials(const std::string &configDir, const std::string &registry);
// hoodctl's default: $DOCKER_CONFIG, else ~/.docker, as docker and skopeo read it.
std::string defaultRegistryConfigDir();

struct TransferProgress {
    std::string what;   // "layer 2/3 sha256:ab12..."
    uint64_t done = 0;
    uint64_t total = 0; // 0 when unknown
};

struct RegistryOptions {
    bool tlsVerify = true;  // false: http, or https without certificate checks
    std::string configDir;  // where config.json is read (empty: no stored credentials)
    std::optional<RegistryCredentials> credentials; // wins over config.json
    uint64_t chunkSize = 0; // upload in PATCH chunks of this many bytes; 0: one PUT
    std::string os = "linux", architecture = "amd64";
    std::function<void(const TransferProgress &)> progress;
};

struct RegistryManifest {
    std::string mediaType;
    std::string digest; // "sha256:...", verified
    std::string body;
};

// Where a pull puts blobs (the store, in hoodctl).
class BlobSink {
public:
    virtual ~BlobSink() = default;
    virtual bool has(const std::string &digest) = 0;
    // A file the client appends to; what is already there is kept and the
    // download resumes after it (Range). The sink keeps it between attempts.
    virtual std::string partialPath(const std::string &digest) = 0;
    // The complete blob, its digest verified: the sink takes the file over.
    virtual void commit(const std::string &digest, const std::string &path, const std::string &what) = 0;
};

// Where a push reads blobs from.
class BlobSource {
public:
    virtual ~BlobSource() = default;
    virtual std::string blobPath(const std::string &digest) = 0; // a readable file
};

struct PulledImage {
    RegistryManifest manifest;           // the platform's image manifest
    std::optional<RegistryManifest> index; // the index or list it was chosen from
    std::string configDigest;
    std::vector<std::string> layerDigests; // bottom first
};

class RegistryClient {
public:
    explicit RegistryClient(RegistryOptions options = {});
    ~RegistryClient();
    RegistryClient(const RegistryClient &) = delete;
    RegistryClient &operator=(const RegistryClient &) = delete;

    // GET /v2/: throws one sentence when the registry cannot be reached.
    void ping(const std::string &registry);
    // Logs in as `hoodctl login` does: a 200 from /v2/ with these credentials.
    void checkLogin(const std::string &registry, const RegistryCredentials &c);

    // The manifest of ref; an index or a manifest list resolved to the
    // options' os/architecture when resolveIndex.
    RegistryManifest manifest(const RegistryRef &ref, bool resolveIndex = true);
    bool hasBlob(const RegistryRef &repo, const std::string &digest);
    // Downloads into sink (verifying, resuming a partial file).
    void fetchBlob(const RegistryRef &repo, const std::string &digest, BlobSink &sink, const std::string &what);
    // A small blob (a config) into memory, verified.
    std::string fetchBlobBytes(const RegistryRef &repo, const std::string &digest);
    // Mounts digest from fromRepository on the same registry; false when the
    // registry would rather have it uploaded.
    bool mountBlob(const RegistryRef &repo, const std::string &digest, const std::string &fromRepository);
    // Uploads the file at path as digest (POST, then PATCH chunks and/or PUT ?digest=).
    void uploadBlob(const RegistryRef &repo, const std::string &digest, const std::string &path,
                    const std::string &what);
    // PUT the manifest under ref's tag (or digest); returns its digest.
    std::string putManifest(const RegistryRef &ref, const std::string &mediaType, const std::string &body);

    // The whole pull: manifest, config and layers into sink (blobs it has are skipped).
    PulledImage pull(const RegistryRef &ref, BlobSink &sink);
    // The whole push: every blob the manifest names (skipped when the registry
    // has it, mounted when mountFrom is on the same registry), then the manifest.
    std::string push(const RegistryRef &ref, const std::string &mediaType, const std::string &manifestBody,
                     BlobSource &source, const std::string &mountFrom = {});

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

// The entry of an index or manifest list for os/architecture; throws when none.
std::string selectPlatform(const std::string &indexBody, const std::string &os, const std::string &architecture,
                           const std::string &what);
// The config and layer digests an image manifest names; throws hood::Error on
// a manifest that is not one (the fuzz target's contract).
std::pair<std::string, std::vector<std::string>> manifestBlobs(const std::string &manifestBody);
// The parameters of a WWW-Authenticate challenge: {"scheme": "bearer", "realm": ..., ...}.
std::map<std::string, std::string> parseChallenge(const std::string &header);

} // namespace hood
