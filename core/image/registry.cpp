// The OCI distribution client (registry.h), after the distribution spec
// (github.com/opencontainers/distribution-spec, spec.md) and Docker's token
// auth (docker/distribution docs/spec/auth/token.md).
#include "image/registry.h"

#include "error.h"
#include "image/crypto_api.h"
#include "image/curl_api.h"
#include "image/digest.h"
#include "sys/fd.h"
#include "sys/fileio.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

namespace hood {

namespace {

constexpr const char *kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr const char *kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr const char *kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
constexpr const char *kDockerList = "application/vnd.docker.distribution.manifest.list.v2+json";

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string trimmed(const std::string &s)
{
    size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

bool validDigest(const std::string &d)
{
    if (d.size() != 7 + 64 || d.compare(0, 7, "sha256:") != 0)
        return false;
    return std::all_of(d.begin() + 7, d.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string base64Encode(const std::string &in)
{
    std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
    int n = cryptoApi().EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                            reinterpret_cast<const unsigned char *>(in.data()), int(in.size()));
    out.resize(size_t(n));
    return out;
}

std::optional<std::string> base64Decode(const std::string &in)
{
    if (in.empty() || in.size() % 4)
        return std::nullopt;
    std::string out(in.size() / 4 * 3 + 1, '\0');
    int n = cryptoApi().DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                            reinterpret_cast<const unsigned char *>(in.data()), int(in.size()));
    if (n < 0)
        return std::nullopt;
    size_t pad = in.size() >= 2 && in[in.size() - 2] == '=' ? 2 : in.back() == '=' ? 1 : 0;
    out.resize(size_t(n) - pad);
    return out;
}

std::string fileDigest(const std::string &path)
{
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw Error::sys("open", path, errno);
    image::Sha256 hash;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error::sys("read", path, errno);
        if (n == 0)
            break;
        hash.update(buf, size_t(n));
    }
    return "sha256:" + hash.hex();
}

std::string configKey(const std::string &registry)
{
    return registry == "docker.io" ? "https://index.docker.io/v1/" : registry;
}

// ---------------------------------------------------------------- HTTP

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers;
    std::string body;        // POST/PUT/PATCH body from memory
    int bodyFd = -1;         // or a range of a file
    uint64_t bodyOffset = 0, bodyLength = 0;
    int outFd = -1;          // a 2xx body goes here (appended) instead of into memory
    uint64_t outOffset = 0;  // bytes already in outFd (a resumed download)
    bool verifyTls = true;
    std::function<void(uint64_t done, uint64_t total)> progress;
};

struct HttpResponse {
    long status = 0;
    std::map<std::string, std::string> headers; // lower-case names
    std::string body;
    std::string header(const std::string &name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct Transfer {
    const HttpRequest *req;
    HttpResponse *resp;
    CURL *curl;
    uint64_t sent = 0;
    bool truncated = false;
    int writeErrno = 0;
};

size_t onHeader(char *data, size_t size, size_t n, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    std::string line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
        t->resp->headers.clear(); // a new response (after a redirect or 100 Continue)
    } else if (size_t colon = line.find(':'); colon != std::string::npos) {
        t->resp->headers[lower(line.substr(0, colon))] = trimmed(line.substr(colon + 1));
    }
    return size * n;
}

size_t onBody(char *data, size_t size, size_t n, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    long status = 0;
    curlApi().easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    if (t->req->outFd >= 0 && (status == 200 || status == 206)) {
        // A 200 to a Range request is the whole blob again: start the file over.
        if (status == 200 && t->req->outOffset > 0 && !t->truncated) {
            t->truncated = true;
            if (::ftruncate(t->req->outFd, 0) != 0) {
                t->writeErrno = errno;
                return 0;
            }
        }
        if (!writeAll(t->req->outFd, data, size * n)) {
            t->writeErrno = errno;
            return 0;
        }
        return size * n;
    }
    if (status >= 300 && status < 400)
        return size * n;
    if (t->resp->body.size() < (8u << 20))
        t->resp->body.append(data, size * n);
    return size * n;
}

size_t onRead(char *buf, size_t size, size_t n, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const HttpRequest &r = *t->req;
    size_t want = size * n;
    if (r.bodyFd < 0) {
        size_t left = r.body.size() - t->sent;
        size_t k = std::min(want, left);
        std::copy_n(r.body.data() + t->sent, k, buf);
        t->sent += k;
        return k;
    }
    uint64_t left = r.bodyLength - t->sent;
    size_t k = size_t(std::min<uint64_t>(want, left));
    if (k == 0)
        return 0;
    ssize_t got = ::pread(r.bodyFd, buf, k, off_t(r.bodyOffset + t->sent));
    if (got <= 0)
        return CURL_READFUNC_ABORT;
    t->sent += uint64_t(got);
    return size_t(got);
}

int onProgress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    auto *t = static_cast<Transfer *>(user);
    if (t->req->progress) {
        if (ultotal > 0)
            t->req->progress(uint64_t(ulnow), uint64_t(ultotal));
        else
            t->req->progress(t->req->outOffset + uint64_t(dlnow), dltotal > 0 ? t->req->outOffset + uint64_t(dltotal) : 0);
    }
    return 0;
}

struct CurlFree {
    void operator()(CURL *c) const { curlApi().easy_cleanup(c); }
};
struct SlistFree {
    void operator()(curl_slist *l) const { curlApi().slist_free_all(l); }
};

void globalInit()
{
    static std::once_flag once;
    // Loaded outside call_once: an exception thrown through pthread_once aborts.
    const CurlApi &api = curlApi();
    std::call_once(once, [&api] { api.global_init(CURL_GLOBAL_DEFAULT); });
}

// One request; a failure to connect is one sentence, an HTTP status is the caller's.
HttpResponse perform(const HttpRequest &req)
{
    globalInit();
    std::unique_ptr<CURL, CurlFree> curl(curlApi().easy_init());
    if (!curl)
        throw Error(req.method + " " + req.url + ": libcurl could not start a transfer");
    HttpResponse resp;
    Transfer t{&req, &resp, curl.get()};
    std::unique_ptr<curl_slist, SlistFree> headers;
    for (const std::string &h : req.headers)
        headers.reset(curlApi().slist_append(headers.release(), h.c_str()));
    CURL *c = curl.get();
    curlApi().easy_setopt(c, CURLOPT_URL, req.url.c_str());
    curlApi().easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curlApi().easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curlApi().easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curlApi().easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
    curlApi().easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curlApi().easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curlApi().easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curlApi().easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curlApi().easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
    curlApi().easy_setopt(c, CURLOPT_USERAGENT, "hood/0.1");
    curlApi().easy_setopt(c, CURLOPT_XFERINFOFUNCTION, onProgress);
    curlApi().easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    curlApi().easy_setopt(c, CURLOPT_NOPROGRESS, req.progress ? 0L : 1L);
    if (!req.verifyTls) {
        curlApi().easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curlApi().easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    uint64_t length = req.bodyFd >= 0 ? req.bodyLength : req.body.size();
    if (req.method == "HEAD") {
        curlApi().easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else if (req.method == "POST") {
        curlApi().easy_setopt(c, CURLOPT_POST, 1L);
        curlApi().easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(length));
        curlApi().easy_setopt(c, CURLOPT_READFUNCTION, onRead);
        curlApi().easy_setopt(c, CURLOPT_READDATA, &t);
    } else if (req.method == "PUT" || req.method == "PATCH") {
        curlApi().easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curlApi().easy_setopt(c, CURLOPT_INFILESIZE_LARGE, curl_off_t(length));
        curlApi().easy_setopt(c, CURLOPT_READFUNCTION, onRead);
        curlApi().easy_setopt(c, CURLOPT_READDATA, &t);
        if (req.method == "PATCH")
            curlApi().easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PATCH");
    } else if (req.method != "GET") {
        curlApi().easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    CURLcode rc = curlApi().easy_perform(c);
    if (t.writeErrno)
        throw Error::sys("write the download of", req.url, t.writeErrno);
    if (rc != CURLE_OK)
        throw Error(req.method + " " + req.url + ": " + lower(curlApi().easy_strerror(rc)));
    curlApi().easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
    return resp;
}

// The registry's own words from its error body ({"errors":[{"code","message"}]}).
std::string registryError(const HttpResponse &r)
{
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_object() && j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()) {
        const nlohmann::json &e = j["errors"][0];
        std::string code = e.value("code", "");
        std::string message = e.is_object() && e.contains("message") && e["message"].is_string()
                                  ? e["message"].get<std::string>() : "";
        return "HTTP " + std::to_string(r.status) + " " + code + (message.empty() ? "" : " (" + message + ")");
    }
    return "HTTP " + std::to_string(r.status);
}

std::string urlEscape(const std::string &s)
{
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            static const char hex[] = "0123456789ABCDEF";
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

} // namespace

// ---------------------------------------------------------------- references

RegistryRef RegistryRef::parse(const std::string &text)
{
    RegistryRef r;
    std::string rest = text;
    if (rest.empty())
        throw Error("invalid reference \"\": it is empty");
    if (size_t at = rest.find('@'); at != std::string::npos) {
        r.digest = rest.substr(at + 1);
        rest = rest.substr(0, at);
        if (!validDigest(r.digest))
            throw Error("invalid reference " + text + ": " + r.digest + " is not a sha256 digest");
    }
    size_t slash = rest.find('/');
    std::string first = rest.substr(0, slash);
    if (slash != std::string::npos
        && (first.find('.') != std::string::npos || first.find(':') != std::string::npos || first == "localhost")) {
        r.registry = first;
        rest = rest.substr(slash + 1);
    } else {
        r.registry = "docker.io";
    }
    size_t lastSlash = rest.rfind('/');
    size_t colon = rest.rfind(':');
    if (colon != std::string::npos && (lastSlash == std::string::npos || colon > lastSlash)) {
        r.tag = rest.substr(colon + 1);
        rest = rest.substr(0, colon);
    }
    if (r.tag.empty() && r.digest.empty())
        r.tag = "latest";
    if (r.registry == "docker.io" && rest.find('/') == std::string::npos)
        rest = "library/" + rest;
    auto nameChar = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
    };
    if (rest.empty() || !std::all_of(rest.begin(), rest.end(), nameChar) || rest.front() == '/' || rest.back() == '/')
        throw Error("invalid reference " + text + ": the repository name must be lower-case letters, digits and . _ - /");
    r.repository = rest;
    return r;
}

std::string RegistryRef::str() const
{
    return registry + "/" + repository + (digest.empty() ? ":" + tag : "@" + digest);
}

std::string RegistryRef::apiHost() const { return registry == "docker.io" ? "registry-1.docker.io" : registry; }

// ---------------------------------------------------------------- credentials

std::string defaultRegistryConfigDir()
{
    if (const char *d = std::getenv("DOCKER_CONFIG"); d && *d)
        return d;
    const char *home = std::getenv("HOME");
    return std::string(home && *home ? home : "/root") + "/.docker";
}

namespace {

nlohmann::json readConfig(const std::string &path)
{
    std::optional<std::string> text = readFileIfExists(path);
    if (!text || trimmed(*text).empty())
        return nlohmann::json::object();
    nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object())
        throw Error("read " + path + ": not a JSON object (Docker's config.json format)");
    return j;
}

} // namespace

std::optional<RegistryCredentials> loadCredentials(const std::string &configDir, const std::string &registry)
{
    if (configDir.empty())
        return std::nullopt;
    const std::string path = configDir + "/config.json";
    nlohmann::json j = readConfig(path);
    if (!j.contains("auths") || !j["auths"].is_object())
        return std::nullopt;
    const nlohmann::json &auths = j["auths"];
    auto it = auths.find(configKey(registry));
    if (it == auths.end() || !it->is_object() || !it->contains("auth") || !(*it)["auth"].is_string())
        return std::nullopt;
    std::optional<std::string> plain = base64Decode((*it)["auth"].get<std::string>());
    size_t colon = plain ? plain->find(':') : std::string::npos;
    if (colon == std::string::npos)
        throw Error("read " + path + ": the auth of " + registry + " is not base64 of user:password");
    return RegistryCredentials{plain->substr(0, colon), plain->substr(colon + 1)};
}

void storeCredentials(const std::string &configDir, const std::string &registry, const RegistryCredentials &c)
{
    if (::mkdir(configDir.c_str(), 0700) != 0 && errno != EEXIST)
        throw Error::sys("create", configDir, errno);
    const std::string path = configDir + "/config.json";
    nlohmann::json j = readConfig(path);
    if (!j.contains("auths") || !j["auths"].is_object())
        j["auths"] = nlohmann::json::object();
    j["auths"][configKey(registry)] = {{"auth", base64Encode(c.username + ":" + c.password)}};
    replaceFile(path, j.dump(1, '\t') + "\n", 0600);
}

bool removeCredentials(const std::string &configDir, const std::string &registry)
{
    const std::string path = configDir + "/config.json";
    nlohmann::json j = readConfig(path);
    if (!j.contains("auths") || !j["auths"].is_object() || !j["auths"].erase(configKey(registry)))
        return false;
    replaceFile(path, j.dump(1, '\t') + "\n", 0600);
    return true;
}

// ---------------------------------------------------------------- parsing (pure)

std::map<std::string, std::string> parseChallenge(const std::string &header)
{
    std::map<std::string, std::string> out;
    size_t sp = header.find(' ');
    out["scheme"] = lower(trimmed(header.substr(0, sp)));
    if (sp == std::string::npos)
        return out;
    size_t i = sp + 1;
    const std::string &h = header;
    while (i < h.size()) {
        while (i < h.size() && (h[i] == ' ' || h[i] == ','))
            ++i;
        size_t eq = h.find('=', i);
        if (eq == std::string::npos)
            break;
        std::string key = lower(trimmed(h.substr(i, eq - i)));
        std::string value;
        i = eq + 1;
        if (i < h.size() && h[i] == '"') {
            for (++i; i < h.size() && h[i] != '"'; ++i) {
                if (h[i] == '\\' && i + 1 < h.size())
                    ++i;
                value += h[i];
            }
            ++i;
        } else {
            size_t end = h.find(',', i);
            value = trimmed(h.substr(i, end == std::string::npos ? std::string::npos : end - i));
            i = end == std::string::npos ? h.size() : end;
        }
        out[key] = value;
    }
    return out;
}

std::string selectPlatform(const std::string &indexBody, const std::string &os, const std::string &architecture,
                           const std::string &what)
{
    nlohmann::json j = nlohmann::json::parse(indexBody, nullptr, false);
    if (!j.is_object() || !j.contains("manifests") || !j["manifests"].is_array())
        throw Error(what + ": the index has no manifests list");
    std::vector<std::string> seen;
    for (const nlohmann::json &m : j["manifests"]) {
        if (!m.is_object() || !m.contains("digest") || !m["digest"].is_string())
            continue;
        std::string mos, march;
        if (m.contains("platform") && m["platform"].is_object()) {
            const nlohmann::json &p = m["platform"];
            if (p.contains("os") && p["os"].is_string())
                mos = p["os"].get<std::string>();
            if (p.contains("architecture") && p["architecture"].is_string())
                march = p["architecture"].get<std::string>();
        }
        if (mos == os && march == architecture) {
            std::string d = m["digest"].get<std::string>();
            if (!validDigest(d))
                throw Error(what + ": the index names " + d + ", which is not a sha256 digest");
            return d;
        }
        seen.push_back(mos + "/" + march);
    }
    std::string list;
    for (const std::string &s : seen)
        list += (list.empty() ? "" : ", ") + s;
    throw Error(what + ": no image for " + os + "/" + architecture + " in the index (it has " +
                (list.empty() ? std::string("none") : list) + ")");
}

std::pair<std::string, std::vector<std::string>> manifestBlobs(const std::string &manifestBody)
{
    nlohmann::json j = nlohmann::json::parse(manifestBody, nullptr, false);
    if (!j.is_object() || !j.contains("config") || !j["config"].is_object() || !j.contains("layers")
        || !j["layers"].is_array())
        throw Error("the manifest is not an image manifest (it needs config and layers)");
    auto digestOf = [](const nlohmann::json &d) {
        if (!d.is_object() || !d.contains("digest") || !d["digest"].is_string()
            || !validDigest(d["digest"].get<std::string>()))
            throw Error("the manifest has a descriptor without a sha256 digest");
        return d["digest"].get<std::string>();
    };
    std::vector<std::string> layers;
    for (const nlohmann::json &l : j["layers"])
        layers.push_back(digestOf(l));
    return {digestOf(j["config"]), layers};
}

// ---------------------------------------------------------------- the client

struct RegistryClient::Impl {
    RegistryOptions options;
    std::map<std::string, std::string> schemes;    // registry -> "https" / "http"
    std::map<std::string, std::string> authHeader; // registry + " " + scope -> "Authorization: ..."

    std::string base(const RegistryRef &ref) { return scheme(ref) + "://" + ref.apiHost(); }

    // https, or with --tls-verify=false https without checks and else plain http,
    // as Docker treats an insecure registry.
    std::string scheme(const RegistryRef &ref)
    {
        auto it = schemes.find(ref.registry);
        if (it != schemes.end())
            return it->second;
        std::string s = "https";
        if (!options.tlsVerify) {
            HttpRequest probe;
            probe.url = "https://" + ref.apiHost() + "/v2/";
            probe.verifyTls = false;
            try {
                perform(probe);
            } catch (const Error &) {
                s = "http";
            }
        }
        return schemes[ref.registry] = s;
    }

    std::optional<RegistryCredentials> credentials(const std::string &registry)
    {
        if (options.credentials)
            return options.credentials;
        return loadCredentials(options.configDir, registry);
    }

    std::string fetchToken(const RegistryRef &ref, const std::map<std::string, std::string> &ch,
                           const std::string &scope)
    {
        auto realm = ch.find("realm");
        if (realm == ch.end() || realm->second.empty())
            throw Error(ref.registry + ": the registry asked for a bearer token without saying where to get one");
        HttpRequest req;
        req.verifyTls = options.tlsVerify;
        std::string url = realm->second;
        std::string sep = url.find('?') == std::string::npos ? "?" : "&";
        if (auto svc = ch.find("service"); svc != ch.end()) {
            url += sep + "service=" + urlEscape(svc->second);
            sep = "&";
        }
        std::string wanted = ch.count("scope") ? ch.at("scope") : scope;
        if (!wanted.empty())
            url += sep + "scope=" + urlEscape(wanted);
        req.url = url;
        std::optional<RegistryCredentials> creds = credentials(ref.registry);
        if (creds)
            req.headers.push_back("Authorization: Basic " + base64Encode(creds->username + ":" + creds->password));
        HttpResponse r = perform(req);
        if (r.status == 401 || r.status == 403)
            throw Error("GET " + realm->second + ": the token service refused " +
                        (creds ? "the credentials of " + creds->username : std::string("an anonymous token")) +
                        " (" + registryError(r) + ")");
        if (r.status != 200)
            throw Error("GET " + realm->second + ": " + registryError(r));
        nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
        for (const char *k : {"token", "access_token"})
            if (j.is_object() && j.contains(k) && j[k].is_string())
                return j[k].get<std::string>();
        throw Error("GET " + realm->second + ": the token service answered without a token");
    }

    // Sends req with the auth this registry wants: anonymous first, then the
    // challenge's bearer token or basic credentials, once.
    HttpResponse send(const RegistryRef &ref, const std::string &scope, HttpRequest req)
    {
        req.verifyTls = options.tlsVerify;
        const std::string key = ref.registry + " " + scope;
        std::vector<std::string> plain = req.headers;
        if (auto it = authHeader.find(key); it != authHeader.end())
            req.headers.push_back(it->second);
        HttpResponse r = perform(req);
        if (r.status != 401)
            return r;
        std::map<std::string, std::string> ch = parseChallenge(r.header("www-authenticate"));
        std::optional<RegistryCredentials> creds = credentials(ref.registry);
        if (ch["scheme"] == "bearer") {
            authHeader[key] = "Authorization: Bearer " + fetchToken(ref, ch, scope);
        } else if (ch["scheme"] == "basic") {
            if (!creds)
                throw Error(req.method + " " + req.url + ": the registry requires credentials (" + registryError(r) +
                            "); log in with hoodctl login " + ref.registry);
            authHeader[key] = "Authorization: Basic " + base64Encode(creds->username + ":" + creds->password);
        } else {
            throw Error(req.method + " " + req.url + ": the registry refused access (" + registryError(r) + ")");
        }
        req.headers = plain;
        req.headers.push_back(authHeader[key]);
        r = perform(req);
        if (r.status == 401)
            throw Error(req.method + " " + req.url + ": the registry refused " +
                        (creds ? "the credentials of " + creds->username : std::string("anonymous access")) + " (" +
                        registryError(r) + ")" + (creds ? "" : "; log in with hoodctl login " + ref.registry));
        return r;
    }

    std::string location(const RegistryRef &ref, const HttpResponse &r, const std::string &what)
    {
        std::string loc = r.header("location");
        if (loc.empty())
            throw Error(what + ": the registry started an upload without a Location");
        if (loc.rfind("http://", 0) == 0 || loc.rfind("https://", 0) == 0)
            return loc;
        return base(ref) + (loc[0] == '/' ? "" : "/") + loc;
    }

    void report(const std::string &what, uint64_t done, uint64_t total)
    {
        if (options.progress)
            options.progress({what, done, total});
    }
};

static std::string pullScope(const RegistryRef &r) { return "repository:" + r.repository + ":pull"; }
static std::string pushScope(const RegistryRef &r) { return "repository:" + r.repository + ":pull,push"; }

RegistryClient::RegistryClient(RegistryOptions options) : m_impl(std::make_unique<Impl>())
{
    m_impl->options = std::move(options);
}

RegistryClient::~RegistryClient() = default;

void RegistryClient::ping(const std::string &registry)
{
    RegistryRef ref{registry, "", "", ""};
    HttpRequest req;
    req.url = m_impl->base(ref) + "/v2/";
    HttpResponse r = m_impl->send(ref, "", req);
    if (r.status != 200)
        throw Error("GET " + req.url + ": " + registryError(r));
}

void RegistryClient::checkLogin(const std::string &registry, const RegistryCredentials &c)
{
    m_impl->options.credentials = c;
    ping(registry);
}

RegistryManifest RegistryClient::manifest(const RegistryRef &ref, bool resolveIndex)
{
    HttpRequest req;
    req.url = m_impl->base(ref) + "/v2/" + ref.repository + "/manifests/" + ref.reference();
    req.headers = {std::string("Accept: ") + kOciManifest + ", " + kDockerManifest + ", " + kOciIndex + ", " + kDockerList};
    HttpResponse r = m_impl->send(ref, pullScope(ref), req);
    if (r.status != 200)
        throw Error("GET " + req.url + ": " + registryError(r));
    RegistryManifest m;
    m.body = r.body;
    m.mediaType = trimmed(r.header("content-type").substr(0, r.header("content-type").find(';')));
    m.digest = image::sha256Digest(m.body);
    if (!ref.digest.empty() && m.digest != ref.digest)
        throw Error("GET " + req.url + ": the registry sent a manifest whose digest is " + m.digest + ", not " + ref.digest);
    bool isIndex = m.mediaType == kOciIndex || m.mediaType == kDockerList;
    if (!isIndex && (m.mediaType.empty() || m.mediaType == "application/json")) {
        nlohmann::json j = nlohmann::json::parse(m.body, nullptr, false);
        isIndex = j.is_object() && j.contains("manifests");
    }
    if (!isIndex || !resolveIndex)
        return m;
    RegistryRef chosen = ref;
    chosen.digest = selectPlatform(m.body, m_impl->options.os, m_impl->options.architecture, ref.str());
    return manifest(chosen, false);
}

bool RegistryClient::hasBlob(const RegistryRef &repo, const std::string &digest)
{
    HttpRequest req;
    req.method = "HEAD";
    req.url = m_impl->base(repo) + "/v2/" + repo.repository + "/blobs/" + digest;
    HttpResponse r = m_impl->send(repo, pullScope(repo), req);
    if (r.status == 200)
        return true;
    if (r.status == 404)
        return false;
    throw Error("HEAD " + req.url + ": " + registryError(r));
}

void RegistryClient::fetchBlob(const RegistryRef &repo, const std::string &digest, BlobSink &sink, const std::string &what)
{
    if (!validDigest(digest))
        throw Error(what + ": " + digest + " is not a sha256 digest");
    if (sink.has(digest)) {
        m_impl->report(what + " (already here)", 1, 1);
        return;
    }
    const std::string path = sink.partialPath(digest);
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (!fd)
        throw Error::sys("open", path, errno);
    struct stat st;
    if (::fstat(fd.get(), &st) != 0)
        throw Error::sys("stat", path, errno);
    HttpRequest req;
    req.url = m_impl->base(repo) + "/v2/" + repo.repository + "/blobs/" + digest;
    req.outFd = fd.get();
    req.outOffset = uint64_t(st.st_size);
    if (st.st_size > 0)
        req.headers.push_back("Range: bytes=" + std::to_string(st.st_size) + "-");
    req.progress = [&](uint64_t done, uint64_t total) { m_impl->report(what, done, total); };
    HttpResponse r = m_impl->send(repo, pullScope(repo), req);
    // 416: the partial file already holds the whole blob; the digest decides.
    if (r.status != 200 && r.status != 206 && !(r.status == 416 && st.st_size > 0))
        throw Error("GET " + req.url + ": " + registryError(r));
    fd.reset();
    std::string got = fileDigest(path);
    if (got != digest) {
        ::unlink(path.c_str());
        throw Error(what + ": the registry sent data whose digest is " + got + ", not " + digest);
    }
    sink.commit(digest, path, what);
}

std::string RegistryClient::fetchBlobBytes(const RegistryRef &repo, const std::string &digest)
{
    HttpRequest req;
    req.url = m_impl->base(repo) + "/v2/" + repo.repository + "/blobs/" + digest;
    HttpResponse r = m_impl->send(repo, pullScope(repo), req);
    if (r.status != 200)
        throw Error("GET " + req.url + ": " + registryError(r));
    if (image::sha256Digest(r.body) != digest)
        throw Error("GET " + req.url + ": the registry sent data whose digest is " + image::sha256Digest(r.body) + ", not " + digest);
    return r.body;
}

bool RegistryClient::mountBlob(const RegistryRef &repo, const std::string &digest, const std::string &fromRepository)
{
    HttpRequest req;
    req.method = "POST";
    req.url = m_impl->base(repo) + "/v2/" + repo.repository + "/blobs/uploads/?mount=" + urlEscape(digest) +
              "&from=" + urlEscape(fromRepository);
    std::string scope = pushScope(repo) + " repository:" + fromRepository + ":pull";
    HttpResponse r = m_impl->send(repo, scope, req);
    if (r.status == 201)
        return true;
    if (r.status == 202)
        return false; // an upload was started instead; it expires unused
    throw Error("POST " + req.url + ": " + registryError(r));
}

void RegistryClient::uploadBlob(const RegistryRef &repo, const std::string &digest, const std::string &path,
                                const std::string &what)
{
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd)
        throw Error::sys("open", path, errno);
    struct stat st;
    if (::fstat(fd.get(), &st) != 0)
        throw Error::sys("stat", path, errno);
    const uint64_t size = uint64_t(st.st_size);
    HttpRequest start;
    start.method = "POST";
    start.url = m_impl->base(repo) + "/v2/" + repo.repository + "/blobs/uploads/";
    HttpResponse r = m_impl->send(repo, pushScope(repo), start);
    if (r.status != 202)
        throw Error("POST " + start.url + ": " + registryError(r));
    std::string loc = m_impl->location(repo, r, what);
    uint64_t offset = 0;
    const uint64_t chunk = m_impl->options.chunkSize;
    while (chunk > 0 && offset < size) {
        HttpRequest patch;
        patch.method = "PATCH";
        patch.url = loc;
        patch.bodyFd = fd.get();
        patch.bodyOffset = offset;
        patch.bodyLength = std::min(chunk, size - offset);
        patch.headers = {"Content-Type: application/octet-stream",
                         "Content-Range: " + std::to_string(offset) + "-" + std::to_string(offset + patch.bodyLength - 1)};
        patch.progress = [&, base = offset](uint64_t done, uint64_t) { m_impl->report(what, base + done, size); };
        HttpResponse pr = m_impl->send(repo, pushScope(repo), patch);
        if (pr.status != 202)
            throw Error("PATCH " + loc + ": " + registryError(pr));
        loc = m_impl->location(repo, pr, what);
        offset += patch.bodyLength;
    }
    HttpRequest put;
    put.method = "PUT";
    put.url = loc + (loc.find('?') == std::string::npos ? "?" : "&") + "digest=" + urlEscape(digest);
    put.headers = {"Content-Type: application/octet-stream"};
    if (offset < size) {
        put.bodyFd = fd.get();
        put.bodyOffset = offset;
        put.bodyLength = size - offset;
        put.progress = [&](uint64_t done, uint64_t) { m_impl->report(what, offset + done, size); };
    }
    HttpResponse pr = m_impl->send(repo, pushScope(repo), put);
    if (pr.status != 201)
        throw Error("PUT " + loc + ": " + registryError(pr));
    m_impl->report(what, size, size);
}

std::string RegistryClient::putManifest(const RegistryRef &ref, const std::string &mediaType, const std::string &body)
{
    HttpRequest req;
    req.method = "PUT";
    req.url = m_impl->base(ref) + "/v2/" + ref.repository + "/manifests/" + ref.reference();
    req.headers = {"Content-Type: " + mediaType};
    req.body = body;
    HttpResponse r = m_impl->send(ref, pushScope(ref), req);
    if (r.status != 201)
        throw Error("PUT " + req.url + ": " + registryError(r));
    std::string digest = image::sha256Digest(body);
    std::string said = r.header("docker-content-digest");
    if (!said.empty() && said != digest)
        throw Error("PUT " + req.url + ": the registry stored the manifest as " + said + ", not " + digest);
    return digest;
}

PulledImage RegistryClient::pull(const RegistryRef &ref, BlobSink &sink)
{
    PulledImage out;
    RegistryManifest top = manifest(ref, false);
    bool isIndex = top.mediaType == kOciIndex || top.mediaType == kDockerList;
    if (isIndex) {
        out.index = top;
        RegistryRef chosen = ref;
        chosen.digest = selectPlatform(top.body, m_impl->options.os, m_impl->options.architecture, ref.str());
        out.manifest = manifest(chosen, false);
    } else {
        out.manifest = top;
    }
    auto [config, layers] = manifestBlobs(out.manifest.body);
    out.configDigest = config;
    out.layerDigests = layers;
    fetchBlob(ref, config, sink, "config " + config.substr(7, 12));
    for (size_t i = 0; i < layers.size(); ++i)
        fetchBlob(ref, layers[i], sink,
                  "layer " + std::to_string(i + 1) + "/" + std::to_string(layers.size()) + " " + layers[i].substr(7, 12));
    return out;
}

std::string RegistryClient::push(const RegistryRef &ref, const std::string &mediaType, const std::string &manifestBody,
                                 BlobSource &source, const std::string &mountFrom)
{
    auto [config, layers] = manifestBlobs(manifestBody);
    std::vector<std::pair<std::string, std::string>> blobs;
    for (size_t i = 0; i < layers.size(); ++i)
        blobs.emplace_back(layers[i], "layer " + std::to_string(i + 1) + "/" + std::to_string(layers.size()) + " " +
                                          layers[i].substr(7, 12));
    blobs.emplace_back(config, "config " + config.substr(7, 12));
    for (const auto &[digest, what] : blobs) {
        if (hasBlob(ref, digest)) {
            m_impl->report(what + " (already in the registry)", 1, 1);
            continue;
        }
        if (!mountFrom.empty() && mountFrom != ref.repository && mountBlob(ref, digest, mountFrom)) {
            m_impl->report(what + " (mounted from " + mountFrom + ")", 1, 1);
            continue;
        }
        uploadBlob(ref, digest, source.blobPath(digest), what);
    }
    return putManifest(ref, mediaType, manifestBody);
}

} // namespace hood
