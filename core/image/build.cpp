// The builder on the store (build.h).
#include "image/build.h"

#include "error.h"
#include "image/digest.h"
#include "image/dockerignore.h"
#include "image/layout.h"
#include "sys/fd.h"
#include "sys/fileio.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cctype>
#include <climits>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hood::image {

using nlohmann::json;

namespace {

std::vector<std::string> strings(const json &j, const char *key)
{
    std::vector<std::string> out;
    if (j.contains(key) && j[key].is_array())
        for (const json &s : j[key])
            if (s.is_string())
                out.push_back(s.get<std::string>());
    return out;
}

std::string text(const json &j, const char *key)
{
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

BuildImageConfig buildConfigOf(const json &image)
{
    BuildImageConfig c;
    const json cfg = image.contains("config") && image["config"].is_object() ? image["config"] : json::object();
    c.env = strings(cfg, "Env");
    c.cmd = strings(cfg, "Cmd");
    c.entrypoint = strings(cfg, "Entrypoint");
    if (auto shell = strings(cfg, "Shell"); !shell.empty())
        c.shell = shell;
    c.workingDir = text(cfg, "WorkingDir");
    c.user = text(cfg, "User");
    c.stopSignal = text(cfg, "StopSignal");
    if (cfg.contains("Labels") && cfg["Labels"].is_object())
        for (const auto &[k, v] : cfg["Labels"].items())
            if (v.is_string())
                c.labels[k] = v.get<std::string>();
    for (const char *key : {"ExposedPorts", "Volumes"})
        if (cfg.contains(key) && cfg[key].is_object())
            for (const auto &[k, v] : cfg[key].items())
                (std::string(key) == "Volumes" ? c.volumes : c.exposedPorts).insert(k);
    return c;
}

// The image config with what the Dockerfile set, over the base's JSON.
json configJson(json base, const BuildImageConfig &c)
{
    json &cfg = base["config"];
    if (!cfg.is_object())
        cfg = json::object();
    cfg["Env"] = c.env;
    auto setOrErase = [&](const char *key, const json &value, bool empty) {
        if (empty)
            cfg.erase(key);
        else
            cfg[key] = value;
    };
    setOrErase("Cmd", c.cmd, c.cmd.empty());
    setOrErase("Entrypoint", c.entrypoint, c.entrypoint.empty());
    setOrErase("WorkingDir", c.workingDir, c.workingDir.empty());
    setOrErase("User", c.user, c.user.empty());
    setOrErase("StopSignal", c.stopSignal, c.stopSignal.empty());
    setOrErase("Labels", c.labels, c.labels.empty());
    bool defaultShell = c.shell == std::vector<std::string>{"/bin/sh", "-c"};
    setOrErase("Shell", c.shell, defaultShell);
    json ports = json::object(), volumes = json::object();
    for (const std::string &p : c.exposedPorts)
        ports[p] = json::object();
    for (const std::string &v : c.volumes)
        volumes[v] = json::object();
    setOrErase("ExposedPorts", ports, c.exposedPorts.empty());
    setOrErase("Volumes", volumes, c.volumes.empty());
    if (!c.author.empty())
        base["author"] = c.author;
    if (!base.contains("architecture"))
        base["architecture"] = "amd64";
    if (!base.contains("os"))
        base["os"] = "linux";
    return base;
}

std::string nowRfc3339()
{
    char buf[64];
    time_t t = time(nullptr);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
    return buf;
}

class StoreBase : public BaseImageResolver {
public:
    explicit StoreBase(Store &store) : m_store(store) {}
    BuildBaseImage resolve(const std::string &ref, const std::string &, const std::string &where) override
    {
        try {
            image = resolveOrSeed(m_store, ref); // the built-in busybox is seeded on first use
        } catch (const Error &e) {
            throw Error(where + ": " + e.what() + "; hoodctl pull " + ref + " or hoodctl load brings it in");
        }
        Fd lock = m_store.lock(false);
        json c = m_store.config(image);
        config = c;
        return {image.id, buildConfigOf(c)};
    }
    ImageRecord image;
    json config = json::object();

private:
    Store &m_store;
};

// <store>/buildcache/<hex of key>: the diff_id the step made, or empty for a
// step that only changed the config. A layer gc removed is a miss.
class StoreCache : public BuildCache {
public:
    explicit StoreCache(Store &store) : m_store(store) {}
    std::string path(const std::string &key) const { return m_store.dir() + "/buildcache/" + digestHex(key, "cache key"); }
    std::optional<std::string> lookup(const std::string &key) override
    {
        std::optional<std::string> v = readFileIfExists(path(key));
        if (!v || (!v->empty() && !m_store.hasLayer(*v)))
            return std::nullopt;
        return v;
    }
    void remember(const std::string &key, const std::string &diffId)
    {
        const std::string dir = m_store.dir() + "/buildcache";
        if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
            throw Error::sys("create", dir, errno);
        replaceFile(path(key), diffId, 0644);
    }

private:
    Store &m_store;
};

int removeEntry(const char *path, const struct stat *, int, struct FTW *)
{
    return ::remove(path);
}

void removeTree(const std::string &dir)
{
    nftw(dir.c_str(), removeEntry, 16, FTW_DEPTH | FTW_PHYS);
}

std::string scratchDir(Store &store, const std::string &kind)
{
    static int counter = 0;
    {
        // The exclusive lock makes the store's directories: a FROM scratch build
        // may be the first thing a new store sees.
        Fd lock = store.lock(true);
    }
    const std::string dir = store.dir() + "/tmp/build-" + kind + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
    if (::mkdir(dir.c_str(), 0700) != 0)
        throw Error::sys("create", dir, errno);
    return dir;
}

void makeParents(const std::string &path)
{
    for (size_t i = path.find('/', 1); i != std::string::npos; i = path.find('/', i + 1))
        if (::mkdir(path.substr(0, i).c_str(), 0755) != 0 && errno != EEXIST)
            throw Error::sys("create", path.substr(0, i), errno);
}

struct Owner {
    bool set = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

Owner parseChown(const std::optional<std::string> &flag, const std::string &where)
{
    Owner o;
    if (!flag || flag->empty())
        return o;
    std::string u = flag->substr(0, flag->find(':'));
    std::string g = flag->find(':') == std::string::npos ? u : flag->substr(flag->find(':') + 1);
    auto number = [&](const std::string &s) {
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
            throw Error(where + ": --chown=" + *flag + ": only numeric uid:gid are supported by Hood's builder yet");
        return static_cast<unsigned>(std::stoul(s));
    };
    o.set = true;
    o.uid = number(u);
    o.gid = number(g);
    return o;
}

// One context entry into the staging tree at target.
void stageEntry(const BuildContext &ctx, const ContextEntry &e, const std::string &target, const Owner &owner,
                std::optional<mode_t> chmod)
{
    makeParents(target);
    const std::string src = ctx.hostPath(e.path);
    if (S_ISDIR(e.mode)) {
        if (::mkdir(target.c_str(), e.mode & 07777) != 0 && errno != EEXIST)
            throw Error::sys("create", target, errno);
    } else if (S_ISLNK(e.mode)) {
        if (::symlink(e.linkTarget.c_str(), target.c_str()) != 0)
            throw Error::sys("symlink", target, errno);
    } else if (S_ISREG(e.mode)) {
        Fd in(::open(src.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
        if (!in)
            throw Error::sys("open", src, errno);
        Fd out(::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, e.mode & 07777));
        if (!out)
            throw Error::sys("create", target, errno);
        char buf[65536];
        for (ssize_t n; (n = ::read(in.get(), buf, sizeof buf)) != 0;) {
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                throw Error::sys("read", src, errno);
            if (!writeAll(out.get(), buf, size_t(n)))
                throw Error::sys("write", target, errno);
        }
    } else {
        return; // sockets, fifos and devices are not copied, as Docker skips them
    }
    if (chmod && !S_ISLNK(e.mode) && ::chmod(target.c_str(), *chmod) != 0)
        throw Error::sys("chmod", target, errno);
    if (::lchown(target.c_str(), owner.set ? owner.uid : 0, owner.set ? owner.gid : 0) != 0 && errno != EPERM)
        throw Error::sys("chown", target, errno);
}

// COPY/ADD: the sources laid out under a staging directory as they land in the image.
void stageCopy(const BuildContext &ctx, const BuildStep &step, const std::string &staging, const std::string &where)
{
    const Owner owner = parseChown(step.instruction.flag("chown"), where);
    std::optional<mode_t> chmod;
    if (auto m = step.instruction.flag("chmod"); m && !m->empty()) {
        if (m->find_first_not_of("01234567") != std::string::npos)
            throw Error(where + ": --chmod=" + *m + ": give octal permission bits, such as 644");
        chmod = mode_t(std::stoul(*m, nullptr, 8));
    }
    const std::string &dest = step.destination;
    const bool intoDir = dest.back() == '/' || step.sources.size() > 1;
    for (const std::string &src : step.sources) {
        std::vector<ContextEntry> entries = ctx.entries(src);
        if (entries.empty())
            continue;
        const bool isDir = S_ISDIR(entries.front().mode);
        const std::string base = src.substr(src.rfind('/') == std::string::npos ? 0 : src.rfind('/') + 1);
        for (const ContextEntry &e : entries) {
            std::string rel = e.path == src ? std::string() : e.path.substr(src == "." ? 0 : src.size() + 1);
            std::string target;
            if (isDir)
                target = cleanPath(dest + "/" + rel); // a directory's contents, not itself
            else
                target = intoDir ? cleanPath(dest + "/" + base) : cleanPath(dest);
            if (target == "/")
                continue;
            stageEntry(ctx, e, staging + target, owner, chmod);
        }
    }
}

LayerInfo layerFromDir(Store &store, const std::string &dir, bool whiteouts, const std::string &what)
{
    const std::string tar = dir + ".tar";
    Fd fd(::open(tar.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!fd)
        throw Error::sys("create", tar, errno);
    writeTreeTar(dir, fd.get(), whiteouts);
    if (::lseek(fd.get(), 0, SEEK_SET) < 0)
        throw Error::sys("seek", tar, errno);
    Fd lock = store.lock(true);
    LayerInfo layer = store.addLayer(fd.get(), "", "", what);
    ::unlink(tar.c_str());
    return layer;
}

struct Builder {
    Store &store;
    const BuildRequest &request;
    BuildStepRunner *runner;
    StoreBase base{store};
    StoreCache cache{store};

    std::string dockerfilePath() const
    {
        return request.dockerfile.empty() ? request.contextDir + "/Dockerfile" : request.dockerfile;
    }

    BuildResult plan()
    {
        const std::string path = dockerfilePath();
        Dockerfile file = parseDockerfile(readFile(path), path);
        BuildContext context(request.contextDir);
        BuildResult r;
        r.plan = planBuild(file, request.buildArgs, &context, base);
        r.explanation = explainCache(r.plan, cache, request.noCache);
        for (const std::string &arg : r.plan.unusedBuildArgs)
            if (request.warn)
                request.warn("[Warning] the build-arg " + arg + " was not consumed (no ARG declares it)");
        return r;
    }

    // Only a command that exits 0 becomes a layer, made from the upper
    // directory before the container and that directory are removed.
    LayerInfo runStep(const BuildStep &step, const std::vector<LayerInfo> &layers, const std::string &where)
    {
        if (layers.empty())
            throw Error(where + ": RUN needs a base image with a shell (FROM scratch has none)");
        BuildRunRequest req;
        static int n = 0;
        req.id = "build-" + std::to_string(getpid()) + "-" + std::to_string(++n);
        for (auto it = layers.rbegin(); it != layers.rend(); ++it)
            req.lowers.push_back(it->dir);
        req.upperDir = store.upperDir(req.id);
        req.workDir = store.workDir(req.id);
        req.argv = step.runArgv;
        req.env = step.runEnv;
        req.cwd = step.configAfter.workingDir;
        req.user = step.configAfter.user;
        std::optional<LayerInfo> made;
        BuildRunResult result = runner->run(req, [&](const BuildRunResult &r) {
            if (r.status == 0 && r.sentence.empty())
                made = layerFromDir(store, req.upperDir, true, "the layer of step " + std::to_string(step.index));
        });
        if (!made)
            throw Error(where + ": the command '" + joinArgv(step.runArgv) + "' returned a non-zero code: " +
                        std::to_string(result.status) + (result.sentence.empty() ? "" : " (" + result.sentence + ")") +
                        (result.outputTail.empty() ? "" : "; its last lines: " + result.outputTail));
        return *made;
    }

    static std::string joinArgv(const std::vector<std::string> &argv)
    {
        std::string s;
        for (const std::string &a : argv)
            s += (s.empty() ? "" : " ") + a;
        return s;
    }

    LayerInfo copyStep(const BuildStep &step, const std::string &where)
    {
        BuildContext context(request.contextDir);
        const std::string staging = scratchDir(store, "copy");
        try {
            stageCopy(context, step, staging, where);
            LayerInfo l = layerFromDir(store, staging, false, "the layer of step " + std::to_string(step.index));
            removeTree(staging);
            return l;
        } catch (...) {
            removeTree(staging);
            ::unlink((staging + ".tar").c_str());
            throw;
        }
    }
};

} // namespace

BuildResult explainBuild(Store &store, const BuildRequest &request)
{
    Builder b{store, request, nullptr};
    return b.plan();
}

BuildResult buildImage(Store &store, const BuildRequest &request, BuildStepRunner &runner)
{
    Builder b{store, request, &runner};
    BuildResult r = b.plan();
    const Dockerfile file = parseDockerfile(readFile(b.dockerfilePath()), b.dockerfilePath());
    std::vector<LayerInfo> layers;
    if (!r.plan.baseDigest.empty()) {
        Fd lock = store.lock(false);
        layers = store.layers(b.base.image);
    }
    json config = b.base.config;
    if (!config.contains("history") || !config["history"].is_array())
        config["history"] = json::array();
    const int total = int(r.plan.steps.size());
    for (size_t i = 0; i < r.plan.steps.size(); ++i) {
        const BuildStep &step = r.plan.steps[i];
        const StepExplanation &why = r.explanation[i];
        const std::string where = dockerfileWhere(file, step.instruction);
        BuildEvent ev;
        ev.index = step.index;
        ev.total = total;
        ev.instruction = step.instruction.original;
        ev.key = step.key;
        ev.cached = why.hit;
        ev.reason = why.reason;
        if (request.progress)
            request.progress(ev);
        const auto start = std::chrono::steady_clock::now();
        std::string diffId;
        if (why.hit) {
            diffId = why.result;
        } else if (step.makesLayer) {
            LayerInfo made = step.instruction.keyword == "RUN" ? b.runStep(step, layers, where)
                                                               : b.copyStep(step, where);
            diffId = made.diffId;
        }
        if (!why.hit)
            b.cache.remember(step.key, diffId);
        if (!diffId.empty()) {
            Fd lock = store.lock(false);
            layers.push_back(store.layer(diffId));
            ev.size = layers.back().size;
        }
        json h = {{"created", nowRfc3339()}, {"created_by", step.text}};
        if (diffId.empty())
            h["empty_layer"] = true;
        config["history"].push_back(h);
        ev.phase = BuildEvent::Done;
        ev.layer = diffId;
        ev.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (request.progress)
            request.progress(ev);
    }
    // Every step from the cache: the image of the last build with that chain
    // of keys is this one, as Docker's classic builder returns the same ID.
    const std::string lastKey = r.plan.steps.empty() ? std::string() : r.plan.steps.back().key;
    const bool allHit = !request.noCache && std::all_of(r.explanation.begin(), r.explanation.end(),
                                                        [](const StepExplanation &e) { return e.hit; });
    Fd lock = store.lock(true);
    std::optional<ImageRecord> reused;
    if (allHit && !lastKey.empty())
        if (auto id = readFileIfExists(b.cache.path(lastKey) + ".image"))
            reused = store.find(*id);
    if (reused) {
        r.image = *reused;
    } else {
        config = configJson(config, r.plan.config);
        config["created"] = nowRfc3339();
        r.image = store.writeImage(config, layers);
        if (!lastKey.empty())
            replaceFile(b.cache.path(lastKey) + ".image", r.image.id, 0644);
    }
    for (const std::string &tag : request.tags)
        store.tag(r.image, parseReference(tag));
    r.image = store.resolve(r.image.id);
    return r;
}

namespace {

// The builder's pid in "build-1234-5", "build-copy-1234-5" or "build-1234-5-upper"; 0: none.
pid_t builderPid(const std::string &name)
{
    if (name.rfind("build-", 0) != 0)
        return 0;
    size_t at = 6;
    if (at < name.size() && !isdigit(static_cast<unsigned char>(name[at])))
        at = name.find('-', at) == std::string::npos ? name.size() : name.find('-', at) + 1;
    size_t end = at;
    while (end < name.size() && isdigit(static_cast<unsigned char>(name[end])))
        ++end;
    if (end == at || end - at > 9)
        return 0;
    return static_cast<pid_t>(std::stol(name.substr(at, end - at)));
}

std::vector<std::string> listNames(const std::string &dir)
{
    std::vector<std::string> names;
    if (DIR *d = opendir(dir.c_str())) {
        while (dirent *e = readdir(d))
            if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
                names.push_back(e->d_name);
        closedir(d);
    }
    return names;
}

// A cache entry is the step's diff_id (empty: a metadata step), <hex>.image the
// image a fully cached build reuses.
bool cacheEntryDangles(Store &store, const std::string &path, bool image)
{
    const std::optional<std::string> v = readFileIfExists(path);
    if (!v)
        return false;
    if (image)
        return !store.find(*v);
    return !v->empty() && !store.hasLayer(*v);
}

} // namespace

bool buildStepOrphaned(const std::string &name)
{
    const pid_t pid = builderPid(name);
    return pid > 0 && ::kill(pid, 0) < 0 && errno == ESRCH;
}

std::vector<std::string> gcBuildLeftovers(Store &store)
{
    std::vector<std::string> removed;
    for (const char *sub : {"/tmp/", "/containers/"}) {
        for (const std::string &name : listNames(store.dir() + sub)) {
            if (!buildStepOrphaned(name))
                continue;
            removeTree(store.dir() + sub + name);
            removed.push_back("removed what a dead build left: " + store.dir() + sub + name);
        }
    }
    const std::string cache = store.dir() + "/buildcache/";
    for (const std::string &name : listNames(cache)) {
        const bool image = name.size() > 6 && name.compare(name.size() - 6, 6, ".image") == 0;
        if (cacheEntryDangles(store, cache + name, image) && ::unlink((cache + name).c_str()) == 0)
            removed.push_back("removed the build cache entry " + name + (image ? " (its image is gone)" : " (its layer is gone)"));
    }
    return removed;
}

} // namespace hood::image
