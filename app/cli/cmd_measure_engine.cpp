// hoodctl measure image|build|network|seccomp|runc: the lessons' live figures about
// the engine itself, each made here and now in a state root and store of its own
// (a temporary directory, removed afterwards), with the method printed beside it.
//   image    save busybox as an OCI layout, check its digests, load it into another
//            store, and push and pull it through a local docker-registry
//   build    a Dockerfile built, rebuilt unchanged, and rebuilt after an edit of the
//            file its COPY takes: how many steps the cache gave each time
//   network  a container on a bridge with a published port, reached with curl;
//            the packets its veth counted
//   seccomp  keyctl(2) and mount(2) in a container with the default profile, and
//            with --security-opt seccomp=unconfined
//   runc     runc's verbs on an OCI bundle (spec, create, start, state, delete),
//            each timed
// network and image work in a network namespace of their own (unshare), so the
// machine's own network is never changed.
#include "cli.h"
#include "measure.h"

#include "error.h"
#include "image/builtin.h"
#include "image/digest.h"
#include "runtime/statedir.h"
#include "sys/fileio.h"
#include "vm/subprocess.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <sstream>
#include <cstdio>
#include <cstdlib>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace hoodctl {

namespace {

using namespace measure;
using hood::vm::ProgramResult;
using nlohmann::json;

// A temporary directory for one measurement's state root, store and files.
class Scratch {
public:
    explicit Scratch(const std::string &what)
    {
        std::string name = "/tmp/hood-measure-" + what + "-XXXXXX";
        if (!mkdtemp(name.data()))
            throw hood::Error::sys("mkdtemp", name, errno);
        m_dir = name;
    }
    ~Scratch() { hood::removeTree(m_dir); }
    Scratch(const Scratch &) = delete;
    Scratch &operator=(const Scratch &) = delete;
    const std::string &dir() const { return m_dir; }
    std::string root() const { return m_dir + "/state"; }
    std::string store() const { return m_dir + "/store"; }
    // hoodctl with this scratch's state root and store.
    std::vector<std::string> cmd(std::vector<std::string> words, const std::string &store = {}) const
    {
        words.insert(words.begin(), {"--store", store.empty() ? this->store() : store});
        return hoodctl(root(), std::move(words));
    }

private:
    std::string m_dir;
};

// "hoodctl save" for a sentence: the verb after --root R --store S.
std::string verbOf(const std::vector<std::string> &argv)
{
    return argv.size() > 5 && argv[3] == "--store" ? "hoodctl " + argv[5] : argv[0];
}

ProgramResult mustRun(const std::string &what, const std::vector<std::string> &argv, double *ms = nullptr)
{
    ProgramResult r;
    const double t = timedMs(argv, &r);
    if (ms)
        *ms = t;
    if (r.status != 0)
        throw hood::Error("measure " + what + ": " + verbOf(argv) + " failed: " + firstLine(r.output));
    return r;
}

std::string shortDigest(const std::string &digest)
{
    return digest.substr(0, 7 + 12) + "…";
}

std::string sha256OfFile(const std::string &path)
{
    hood::image::Sha256 h;
    h.update(hood::readFile(path));
    return h.finish();
}

std::string blobPath(const std::string &layout, const std::string &digest)
{
    return layout + "/blobs/sha256/" + digest.substr(7);
}

// A network namespace of our own, loopback up: the bridge, veths, nft rules and the
// registry's port exist only in it and go when this process ends.
void ownNetworkNamespace(const std::string &what)
{
    if (geteuid() != 0)
        throw hood::Error("measure " + what + ": needs root (a network namespace of its own, bridges and nft rules)");
    if (unshare(CLONE_NEWNET) != 0)
        throw hood::Error::sys("unshare", "CLONE_NEWNET", errno);
    hood::vm::runProgram({"ip", "link", "set", "lo", "up"});
}

// One background program (docker-registry), killed by its pid when done.
class Background {
public:
    explicit Background(const std::vector<std::string> &argv, const std::string &log)
    {
        m_pid = fork();
        if (m_pid < 0)
            throw hood::Error::sys("fork", argv[0], errno);
        if (m_pid == 0) {
            if (freopen(log.c_str(), "w", stdout) && freopen(log.c_str(), "a", stderr)) {
                std::vector<char *> args;
                for (const std::string &a : argv)
                    args.push_back(const_cast<char *>(a.c_str()));
                args.push_back(nullptr);
                execv(args[0], args.data());
            }
            _exit(127);
        }
    }
    ~Background()
    {
        ::kill(m_pid, SIGTERM);
        waitpid(m_pid, nullptr, 0);
    }
    Background(const Background &) = delete;
    Background &operator=(const Background &) = delete;

private:
    pid_t m_pid = -1;
};

bool waitForHttp(const std::string &url)
{
    for (int i = 0; i < 50; ++i) {
        if (hood::vm::runProgram({"curl", "-s", "-o", "/dev/null", "-m", "1", url}).status == 0)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

void needCurl(const std::string &what)
{
    if (hood::vm::findInPath("curl").empty())
        throw hood::Error("measure " + what + ": curl not found: install the Debian package curl");
}

// --- image ---------------------------------------------------------------------------

struct Layout {
    std::string manifest, config;
    std::vector<std::pair<std::string, uint64_t>> layers; // digest, size
    bool verified = true; // every blob's bytes hash to its name
};

Layout readLayout(const std::string &dir)
{
    Layout l;
    const json index = json::parse(hood::readFile(dir + "/index.json"));
    l.manifest = index.at("manifests").at(0).at("digest").get<std::string>();
    const json manifest = json::parse(hood::readFile(blobPath(dir, l.manifest)));
    l.config = manifest.at("config").at("digest").get<std::string>();
    l.verified = sha256OfFile(blobPath(dir, l.manifest)) == l.manifest && sha256OfFile(blobPath(dir, l.config)) == l.config;
    for (const json &layer : manifest.at("layers")) {
        const std::string d = layer.at("digest").get<std::string>();
        l.layers.emplace_back(d, layer.value("size", uint64_t(0)));
        l.verified = l.verified && sha256OfFile(blobPath(dir, d)) == d;
    }
    return l;
}

std::string imageIdIn(const Scratch &s, const std::string &store, const std::string &name)
{
    const ProgramResult r = hood::vm::runProgram(s.cmd({"images", "--json"}, store));
    const json j = json::parse(r.output, nullptr, false);
    for (const json &image : j.is_array() ? j : json::array()) {
        for (const json &tag : image.value("names", json::array()))
            if (tag.get<std::string>().starts_with(name))
                return image.value("id", "");
    }
    return {};
}

void pushAndPull(const Scratch &s, Figures &f, std::string &summary)
{
    const std::string registry = "/usr/bin/docker-registry";
    if (access(registry.c_str(), X_OK) != 0) {
        summary += " No push and pull: " + registry + " is missing (the Debian package docker-registry).";
        return;
    }
    needCurl("image");
    const std::string reg = s.dir() + "/registry";
    hood::replaceFile(s.dir() + "/registry.yml", "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: "
                                                   + reg + "\nhttp:\n  addr: 127.0.0.1:5000\n");
    Background server({registry, "serve", s.dir() + "/registry.yml"}, s.dir() + "/registry.log");
    if (!waitForHttp("http://127.0.0.1:5000/v2/"))
        throw hood::Error("measure image: docker-registry did not answer on 127.0.0.1:5000 within 5 s");
    double push = 0, pull = 0;
    mustRun("image", s.cmd({"push", "--tls-verify=false", "busybox", "127.0.0.1:5000/lesson/busybox:1"}), &push);
    const std::string other = s.dir() + "/store-pulled";
    mustRun("image", s.cmd({"pull", "--tls-verify=false", "127.0.0.1:5000/lesson/busybox:1"}, other), &pull);
    f.bars.push_back({"push", push});
    f.bars.push_back({"pull", pull});
    const std::string pulled = imageIdIn(s, other, "127.0.0.1:5000/lesson/busybox");
    summary += " Pushed and pulled back through docker-registry on 127.0.0.1:5000 (in a network namespace of "
               "its own): the image ID after the pull is "
               + (pulled.empty() ? std::string("not listed") : shortDigest(pulled)) + ".";
}

int measureImage(const Words &words)
{
    Options o(words, {}, {"--json"});
    ownNetworkNamespace("image");
    Scratch s("image");
    Figures f;
    f.title = "The busybox image saved, loaded, pushed and pulled";
    f.unit = "ms";
    double save = 0, load = 0;
    const std::string layout = s.dir() + "/oci";
    mustRun("image", s.cmd({"save", "--format", "oci-dir", "-o", layout, "busybox"}), &save);
    const Layout l = readLayout(layout);
    mustRun("image", s.cmd({"load", layout}, s.dir() + "/store-loaded"), &load);
    f.bars = {{"save", save},
              {"load", load}};
    const std::string loaded = imageIdIn(s, s.dir() + "/store-loaded", "busybox");
    uint64_t bytes = 0;
    for (const auto &layer : l.layers)
        bytes += layer.second;
    std::string summary = "index.json names the manifest " + shortDigest(l.manifest) + "; it names the config "
                          + shortDigest(l.config) + " (the image ID) and " + std::to_string(l.layers.size())
                          + " layer(s) of " + std::to_string(bytes / 1024) + " KiB"
                          + (l.layers.empty() ? std::string() : ", the first " + shortDigest(l.layers[0].first)) + ". "
                          + (l.verified ? "Every blob's SHA-256 equals its name. " : "A blob's SHA-256 differs from its name! ")
                          + "Loaded into another store, its ID is "
                          + (loaded.empty() ? std::string("not listed") : shortDigest(loaded))
                          + (loaded == l.config ? " again: the same bytes, the same name." : ".");
    pushAndPull(s, f, summary);
    f.summary = summary;
    f.method = "hoodctl save --format oci-dir, then sha256 of every blob in blobs/sha256/ beside its file name; "
               "hoodctl load of that directory into an empty store and hoodctl images --json; hoodctl push and "
               "pull --tls-verify=false through /usr/bin/docker-registry serve; wall time of each command.";
    return print(f, o.has("--json"));
}

// --- build ---------------------------------------------------------------------------

struct BuildRun {
    double ms = 0;
    int steps = 0;
    int cached = 0;
};

BuildRun build(const Scratch &s, const std::string &context)
{
    BuildRun b;
    const ProgramResult r =
        mustRun("build", s.cmd({"build", "-t", "lesson:latest", "--progress", "json", context}), &b.ms);
    size_t pos = 0;
    while (pos < r.output.size()) {
        const size_t end = std::min(r.output.find('\n', pos), r.output.size());
        const json e = json::parse(r.output.substr(pos, end - pos), nullptr, false);
        if (e.is_object() && e.value("phase", "") == "done") {
            ++b.steps;
            b.cached += e.value("cached", false) ? 1 : 0;
        }
        pos = end + 1;
    }
    return b;
}

std::string oneLine(std::string text)
{
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    for (size_t at; (at = text.find('\n')) != std::string::npos;)
        text.replace(at, 1, " / ");
    return text;
}

const char *const kDockerfile = "FROM busybox\n"
                                "RUN echo made by the first RUN > /first\n"
                                "COPY message.txt /message.txt\n"
                                "RUN wc -c /message.txt > /size\n";

int measureBuild(const Words &words)
{
    Options o(words, {}, {"--json"});
    Scratch s("build");
    const std::string context = s.dir() + "/context";
    std::filesystem::create_directories(context);
    hood::replaceFile(context + "/Dockerfile", kDockerfile);
    hood::replaceFile(context + "/message.txt", "hello\n");
    const BuildRun first = build(s, context);
    const BuildRun again = build(s, context);
    hood::replaceFile(context + "/message.txt", "hello, edited\n");
    const BuildRun edited = build(s, context);
    Figures f;
    f.title = "One Dockerfile built three times";
    f.unit = "ms";
    f.bars = {{"first build", first.ms}, {"unchanged", again.ms}, {"after an edit", edited.ms}};
    auto cached = [](const BuildRun &b) { return std::to_string(b.cached) + " of " + std::to_string(b.steps); };
    f.summary = "Steps from the cache: " + cached(first) + " in the first build, " + cached(again)
                + " unchanged, " + cached(edited) + " after the edit of message.txt. A step's key is its "
                  "instruction and the layer below it, and a COPY's also the content of its files: the edit "
                  "misses at the COPY, and every step after it runs again.";
    f.method = std::string("hoodctl build --progress json on a fresh store, three times, counting the steps "
                           "reported \"cached\"; the Dockerfile: ")
               + oneLine(kDockerfile) + "; wall time of each build.";
    return print(f, o.has("--json"));
}

// --- network ---------------------------------------------------------------------------

// {tx, rx} packets of a link, from /proc/net/dev: it follows the reader's network
// namespace, where /sys/class/net shows the namespace sysfs was mounted in.
std::pair<uint64_t, uint64_t> packets(const std::string &link)
{
    const std::string dev = hood::readFile("/proc/net/dev");
    size_t at = dev.find(" " + link + ":");
    if (at == std::string::npos)
        at = dev.find("\n" + link + ":"); // a name of six letters or more fills its column
    if (at == std::string::npos)
        throw hood::Error("measure network: no link " + link + " in /proc/net/dev");
    std::istringstream fields(dev.substr(at + link.size() + 2, dev.find('\n', at) - at - link.size() - 2));
    uint64_t v[10] = {};
    for (uint64_t &x : v)
        fields >> x;
    return {v[9], v[1]}; // receive: bytes packets ... (8 fields), transmit: bytes packets ...
}

std::string addressOf(const Scratch &s, const std::string &id)
{
    const ProgramResult r = hood::vm::runProgram(s.cmd({"exec", id, "--", "ip", "-4", "-o", "addr", "show", "eth0"}));
    const size_t at = r.output.find("inet ");
    return at == std::string::npos ? "?" : r.output.substr(at + 5, r.output.find('/', at) - at - 5);
}

int measureNetwork(const Words &words)
{
    Options o(words, {"--requests"}, {"--json"});
    const int requests = o.value("--requests") ? int(parseNumber("--requests", *o.value("--requests"))) : 10;
    needCurl("network");
    ownNetworkNamespace("network");
    Scratch s("network");
    const std::string id = "lesson-web";
    mustRun("network", s.cmd({"run", "-d", "--name", id, "--network", "bridge", "-p", "8080:80", "--", "sh", "-c",
                               "mkdir /w && echo hello-from-hood > /w/index.html && exec httpd -f -p 80 -h /w"}));
    struct Cleanup {
        const Scratch &s;
        std::string id;
        ~Cleanup() { hood::vm::runProgram(s.cmd({"delete", "--force", id})); }
    } cleanup {s, id};
    const std::string url = "http://127.0.0.1:8080/";
    if (!waitForHttp(url))
        throw hood::Error("measure network: " + url + " did not answer within 5 s");
    const std::string veth = "h-" + id;
    const auto before = packets(veth);
    int answered = 0;
    for (int i = 0; i < requests; ++i)
        answered += hood::vm::runProgram({"curl", "-sS", "-m", "3", url}).output.find("hello-from-hood") != std::string::npos;
    const auto after = packets(veth);
    Figures f;
    f.title = std::to_string(requests) + " HTTP requests to a published port, counted on the container's veth";
    f.unit = "packets";
    f.bars = {{"to the container", double(after.first - before.first)},
              {"from the container", double(after.second - before.second)}};
    f.summary = std::to_string(answered) + " of " + std::to_string(requests) + " requests to " + url
                + " were answered by httpd in the container at " + addressOf(s, id)
                + ":80: nft's rule in table inet hood rewrote 127.0.0.1:8080 to it (DNAT), and the packets "
                  "went through the bridge hood0 and the veth pair " + veth + " ↔ eth0.";
    f.method = "in a network namespace of its own (the machine's network is not touched): hoodctl run -d "
               "--network bridge -p 8080:80 busybox httpd; the packets /proc/net/dev counts for " + veth
               + " before and after " + std::to_string(requests)
               + " runs of curl " + url + " (a TCP handshake, request, reply and close each).";
    return print(f, o.has("--json"));
}

// --- seccomp ---------------------------------------------------------------------------

// The value of "key: value" in hood-demo's output.
std::string field(const std::string &output, const std::string &key)
{
    const size_t at = output.find(key + ": ");
    if (at == std::string::npos)
        return {};
    const size_t from = at + key.size() + 2;
    return output.substr(from, output.find('\n', from) - from);
}

// hood-demo syscall's answer in a few words: "refused: EPERM ..." or "allowed (returned 0)".
std::string answerOf(const Scratch &s, const std::string &syscall, bool unconfined)
{
    std::vector<std::string> words = {"run"};
    if (unconfined)
        words.insert(words.end(), {"--security-opt", "seccomp=unconfined"});
    words.insert(words.end(), {"--", "hood-demo", "syscall", syscall});
    const ProgramResult r = hood::vm::runProgram(s.cmd(words));
    const std::string result = field(r.output, "result");
    if (result == "refused")
        return "refused: " + field(r.output, "error");
    if (result == "allowed")
        return "allowed (it returned " + field(r.output, "returned") + ")";
    return "hoodctl run ended with status " + std::to_string(r.status) + ": " + firstLine(r.output);
}

int measureSeccomp(const Words &words)
{
    Options o(words, {}, {"--json"});
    Scratch s("seccomp");
    Figures f;
    f.title = "Two system calls in a container, with Docker's default seccomp profile and without";
    std::string summary;
    bool mountStillRefused = false;
    for (const std::string call : {"keyctl", "mount"}) {
        const std::string confined = answerOf(s, call, false), unconfined = answerOf(s, call, true);
        summary += call + " with the default profile: " + confined + ". With seccomp=unconfined: " + unconfined + ". ";
        mountStillRefused = mountStillRefused || (call == "mount" && unconfined.find("EPERM") != std::string::npos);
    }
    f.summary = summary
                + (mountStillRefused ? "Without the filter mount is still refused, by the capability check: "
                                       "mounting needs CAP_SYS_ADMIN, which the container's root does not hold. "
                                       "seccomp is one layer of several."
                                     : "seccomp is one layer of several: capabilities are checked too.");
    f.method = "hoodctl run -- hood-demo syscall NAME, once as it is and once with --security-opt "
               "seccomp=unconfined; hood-demo makes the call with harmless arguments and prints errno's name.";
    return print(f, o.has("--json"));
}

// --- runc's verbs ---------------------------------------------------------------------------

// The bundle's config.json as `hoodctl spec` writes it, pointed at the built-in
// busybox and made to run one short command without a terminal.
void makeBundle(const Scratch &s, const std::string &bundle)
{
    std::filesystem::create_directories(bundle);
    mustRun("runc", s.cmd({"spec", "--bundle", bundle}));
    json config = json::parse(hood::readFile(bundle + "/config.json"));
    config["root"]["path"] = hood::builtinImageRootfs("busybox");
    config["process"]["terminal"] = false;
    config["process"]["args"] = {"sh", "-c", "echo hello from the bundle"};
    hood::replaceFile(bundle + "/config.json", config.dump(2));
}

// A runc-mode verb with its stdio on /dev/null: create's init keeps what it was
// given, and our pipe would stay open until the container ended.
double verb(const Scratch &s, std::vector<std::string> words)
{
    std::string line;
    for (const std::string &w : s.cmd(std::move(words)))
        line += "'" + w + "' ";
    double ms = 0;
    mustRun("runc", {"/bin/sh", "-c", "exec " + line + "</dev/null >/dev/null 2>&1"}, &ms);
    return ms;
}

std::string statusOf(const Scratch &s, const std::string &id)
{
    const json j = json::parse(hood::vm::runProgram(s.cmd({"state", id})).output, nullptr, false);
    return j.is_object() ? j.value("status", "") : "";
}

// podman (through conmon) with hoodctl as its runtime, every root its own (as
// tests/integration/tst_clients.cpp): the time of one `podman run --rm`, and what the
// container printed; empty when podman or conmon is missing (why in *why).
std::optional<std::pair<double, std::string>> podmanOnHood(const Scratch &s, std::string &why)
{
    const bool conmon = access("/usr/bin/conmon", X_OK) == 0 || access("/usr/libexec/podman/conmon", X_OK) == 0;
    if (hood::vm::findInPath("podman").empty() || !conmon) {
        why = "podman or conmon is not installed (the Debian packages podman and conmon)";
        return std::nullopt;
    }
    const std::string runtime = s.dir() + "/hoodctl-runtime", p = s.dir() + "/podman";
    // podman's cleanup calls `delete` without the flags it gave `run`: the root goes in the script.
    const std::vector<std::string> self = hoodctl(s.root(), {});
    hood::replaceFile(runtime, "#!/bin/sh\nexec '" + self[0] + "' --root '" + s.root() + "' \"$@\"\n", 0700);
    const std::vector<std::string> base = {"podman", "--root", p + "/root", "--runroot", p + "/run", "--tmpdir",
                                           p + "/tmp", "--cgroup-manager", "cgroupfs", "--events-backend", "file",
                                           "--storage-driver", "vfs", "--runtime", runtime};
    auto podman = [&](std::vector<std::string> words) {
        words.insert(words.begin(), base.begin(), base.end());
        return words;
    };
    const std::string tar = s.dir() + "/busybox.tar";
    mustRun("runc", {"tar", "-C", hood::builtinImageRootfs("busybox"), "-cf", tar, "."});
    mustRun("runc", podman({"import", tar, "localhost/hood-busybox:latest"}));
    ProgramResult r;
    // Root here may lack CAP_SYS_RESOURCE: podman's default ulimits would be refused.
    const double ms = timedMs(podman({"run", "--rm", "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit",
                                      "nproc=1024:1024", "localhost/hood-busybox:latest", "echo", "hello from podman"}),
                              &r);
    hood::vm::runProgram(podman({"system", "reset", "--force"}));
    if (r.status != 0) {
        why = "podman run with hoodctl as its runtime failed: " + firstLine(r.output);
        return std::nullopt;
    }
    return std::make_pair(ms, firstLine(r.output));
}

int measureRunc(const Words &words)
{
    Options o(words, {}, {"--json"});
    Scratch s("runc");
    // The init re-parents to us when create's hoodctl ends (runtime-modes.md): we reap it.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    const std::string bundle = s.dir() + "/bundle", id = "lesson-runc";
    double spec = 0;
    for (const char *dir : {"/spare", "/timed"})
        std::filesystem::create_directories(s.dir() + dir);
    timedMs(s.cmd({"spec", "--bundle", s.dir() + "/spare"}), nullptr);
    makeBundle(s, bundle);
    mustRun("runc", s.cmd({"spec", "--bundle", s.dir() + "/timed"}), &spec);
    const double create = verb(s, {"create", "--bundle", bundle, id});
    const std::string created = statusOf(s, id);
    double state = 0;
    timedMs(s.cmd({"state", id}), nullptr);
    state = timedMs(s.cmd({"state", id}), nullptr);
    const double start = verb(s, {"start", id});
    std::string after;
    for (int i = 0; i < 50 && (after = statusOf(s, id)) != "stopped"; ++i) {
        while (waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    const double del = verb(s, {"delete", "--force", id});
    std::string why;
    const auto podman = podmanOnHood(s, why);
    Figures f;
    f.title = "runc's verbs on an OCI bundle, as podman's conmon and containerd's shim call them";
    f.unit = "ms";
    f.bars = {{"spec", spec}, {"create", create},
              {"state", state}, {"start", start},
              {"delete", del}};
    f.summary = "After create the container was \"" + created + "\", after start \"" + after
                + "\": create does all the setup and leaves the init waiting before execve, so a client can "
                  "add hooks or networking in between; start only lets it go. "
                + (podman ? "podman, through conmon, ran a container on Hood's engine with these verbs: it printed \""
                                + podman->second + "\"."
                          : "No podman run: " + why + ".");
    if (podman)
        f.bars.push_back({"podman run --rm", podman->first});
    f.method = "hoodctl spec, then config.json's root.path set to the built-in busybox and process.args to sh "
               "-c 'echo ...' without a terminal; hoodctl create --bundle, state, start, state until stopped, "
               "delete: wall time of each (the first spec and state untimed, to warm the page cache); then podman "
               "--runtime (a script running hoodctl) --storage-driver vfs run --rm of the built-in busybox imported "
               "with podman import, in roots of its own, reset afterwards.";
    return print(f, o.has("--json"));
}

} // namespace

int measureEngine(Context &, const std::string &what, const Words &words)
{
    if (what == "image")
        return measureImage(words);
    if (what == "build")
        return measureBuild(words);
    if (what == "network")
        return measureNetwork(words);
    if (what == "seccomp")
        return measureSeccomp(words);
    if (what == "runc")
        return measureRunc(words);
    return -1;
}

} // namespace hoodctl
