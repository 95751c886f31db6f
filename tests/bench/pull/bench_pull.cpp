// bench-pull [--size MB] [--runs N]: starts /usr/bin/docker-registry on
// 127.0.0.1 (own config and storage, stopped by pid), pushes an image with one
// layer of MB random bytes, then times N pulls of it by Hood's registry client
// (download, digest check, files named by digest) against N of
// `skopeo copy docker://... oci:DIR` (the same work, into an OCI layout).
// Prints the medians and the goal (Hood <= 1.2x skopeo).
#include "error.h"
#include "image/registry.h"
#include "image/digest.h"
#include "sys/fd.h"
#include "sys/fileio.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

int freePort()
{
    hood::Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s.get(), reinterpret_cast<sockaddr *>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s.get(), reinterpret_cast<sockaddr *>(&a), &len);
    return ntohs(a.sin_port);
}

bool canConnect(int port)
{
    hood::Fd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return ::connect(s.get(), reinterpret_cast<sockaddr *>(&a), sizeof a) == 0;
}

class Dir : public hood::BlobSink, public hood::BlobSource {
public:
    explicit Dir(std::string d) : dir(std::move(d)) { ::mkdir(dir.c_str(), 0700); }
    std::string path(const std::string &digest) const { return dir + "/" + digest.substr(7); }
    bool has(const std::string &digest) override { return ::access(path(digest).c_str(), F_OK) == 0; }
    std::string partialPath(const std::string &digest) override { return path(digest) + ".partial"; }
    void commit(const std::string &digest, const std::string &p, const std::string &) override
    {
        ::rename(p.c_str(), path(digest).c_str());
    }
    std::string blobPath(const std::string &digest) override { return path(digest); }
    std::string put(const std::string &bytes)
    {
        std::string d = hood::image::sha256Digest(bytes);
        hood::replaceFile(path(d), bytes, 0644);
        return d;
    }
    std::string dir;
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

template <typename F> double seconds(F f)
{
    auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char **argv)
{
    int sizeMb = 100, runs = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string a = argv[i];
        if (a == "--size")
            sizeMb = std::atoi(argv[i + 1]);
        else if (a == "--runs")
            runs = std::atoi(argv[i + 1]);
    }
    char tmpl[] = "/tmp/bench-pull.XXXXXX";
    const std::string work = ::mkdtemp(tmpl);
    const int port = freePort();
    const std::string host = "127.0.0.1:" + std::to_string(port);
    hood::replaceFile(work + "/config.yml",
                      "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: " + work +
                          "/storage\nhttp:\n  addr: " + host + "\n", 0644);
    pid_t registry = ::fork();
    if (registry == 0) {
        int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
        ::execl("/usr/bin/docker-registry", "docker-registry", "serve", (work + "/config.yml").c_str(), nullptr);
        _exit(127);
    }
    for (int i = 0; i < 100 && !canConnect(port); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    int rc = 0;
    try {
        Dir src(work + "/src");
        std::string layer(size_t(sizeMb) << 20, '\0');
        hood::Fd urandom(::open("/dev/urandom", O_RDONLY | O_CLOEXEC));
        for (size_t off = 0; off < layer.size();) {
            ssize_t n = ::read(urandom.get(), layer.data() + off, layer.size() - off);
            if (n <= 0)
                throw hood::Error("read /dev/urandom failed");
            off += size_t(n);
        }
        const std::string layerDigest = src.put(layer);
        nlohmann::json config = {{"architecture", "amd64"}, {"os", "linux"},
                                 {"rootfs", {{"type", "layers"}, {"diff_ids", {layerDigest}}}}};
        const std::string configText = config.dump();
        const std::string configDigest = src.put(configText);
        nlohmann::json manifest = {
            {"schemaVersion", 2},
            {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
            {"config", {{"mediaType", "application/vnd.oci.image.config.v1+json"}, {"digest", configDigest}, {"size", configText.size()}}},
            {"layers", {{{"mediaType", "application/vnd.oci.image.layer.v1.tar"}, {"digest", layerDigest}, {"size", layer.size()}}}}};
        hood::RegistryOptions opts;
        opts.tlsVerify = false;
        hood::RegistryClient client(opts);
        const hood::RegistryRef ref = hood::RegistryRef::parse(host + "/bench/big:v1");
        client.push(ref, "application/vnd.oci.image.manifest.v1+json", manifest.dump(), src);
        std::vector<double> hood, skopeo;
        for (int r = 0; r < runs; ++r) {
            const std::string d = work + "/hood-" + std::to_string(r);
            hood.push_back(seconds([&] {
                Dir sink(d);
                hood::RegistryClient c(opts);
                c.pull(ref, sink);
            }));
            const std::string oci = work + "/oci-" + std::to_string(r);
            const std::string cmd = "skopeo copy -q --src-tls-verify=false docker://" + host + "/bench/big:v1 oci:" + oci + ":v1";
            skopeo.push_back(seconds([&] {
                if (std::system(cmd.c_str()) != 0)
                    throw hood::Error("skopeo copy failed: " + cmd);
            }));
            std::system(("rm -rf " + d + " " + oci).c_str());
        }
        const double h = median(hood), s = median(skopeo);
        std::printf("pull of a %d MB image from a local docker-registry, median of %d runs\n", sizeMb, runs);
        std::printf("  hood registry client   %.3f s\n  skopeo copy to oci:DIR %.3f s\n", h, s);
        std::printf("  ratio %.2fx (goal <= 1.2x): %s\n", h / s, h / s <= 1.2 ? "met" : "not met");
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench-pull: %s\n", e.what());
        rc = 1;
    }
    ::kill(registry, SIGTERM);
    ::waitpid(registry, nullptr, 0);
    std::system(("rm -rf " + work).c_str());
    return rc;
}
