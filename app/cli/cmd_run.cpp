// hoodctl run / create / spec: turning flags or a bundle into a RunRequest.
#include "cli.h"

#include "error.h"
#include "image/builtin.h"
#include "runtime/runtime.h"
#include "runtime/statedir.h"

#include <climits>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace hoodctl {

using hood::Error;

namespace {

const std::vector<std::string> kRunValueFlags = {"--name", "--image", "--ns", "--no-ns", "--memory",
                                                 "--cpus", "--pids", "--hostname", "--bundle", "-b",
                                                 "--pid-file", "-e", "--env", "-w", "--workdir"};
const std::vector<std::string> kRunBoolFlags = {"--chroot", "--rootless", "--trace", "-t", "--tty", "-d",
                                                "--detach", "-it", "-i"};

std::string absolute(const std::string &path, const char *what)
{
    char real[PATH_MAX];
    if (!realpath(path.c_str(), real))
        throw hood::Error::sys(what, path, errno);
    return real;
}

hood::ParsedSpec readBundleSpec(const std::string &bundle)
{
    std::string path = bundle + "/config.json";
    std::ifstream in(path);
    if (!in)
        throw hood::Error::sys("open", path, errno);
    std::stringstream text;
    text << in.rdbuf();
    return hood::parseSpec(text.str(), path);
}

// The namespaces a container gets by default: all but user and time, as docker
// does on a cgroup v2 host (where the cgroup namespace is private by default).
void applyNamespaceFlags(hood::Spec &spec, const Options &o)
{
    std::vector<hood::NsKind> chosen = {hood::NsKind::Pid, hood::NsKind::Mount, hood::NsKind::Uts,
                                        hood::NsKind::Ipc, hood::NsKind::Network, hood::NsKind::Cgroup};
    if (auto list = o.value("--ns")) {
        chosen.clear();
        std::stringstream in(*list);
        std::string name;
        while (std::getline(in, name, ',')) {
            const hood::NsInfo *info = hood::findNamespace(name);
            if (!info)
                throw Error("--ns: unknown namespace \"" + name
                            + "\" (known: pid, mnt, uts, ipc, net, user, cgroup, time)");
            chosen.push_back(info->kind);
        }
    }
    spec.namespaces.clear();
    for (hood::NsKind kind : chosen)
        spec.setNamespace(kind, true);
    for (const std::string &name : o.values("--no-ns")) {
        const hood::NsInfo *info = hood::findNamespace(name);
        if (!info)
            throw Error("--no-ns: unknown namespace \"" + name + "\"");
        spec.setNamespace(info->kind, false);
    }
}

void applyLimitFlags(hood::Spec &spec, const Options &o)
{
    if (auto m = o.value("--memory")) {
        spec.resources.memoryLimit = parseSize("--memory", *m);
        if (*spec.resources.memoryLimit < 1024 * 1024)
            throw Error("--memory " + *m + ": must be at least 1M (the kernel needs room to run anything)");
    }
    if (auto c = o.value("--cpus")) {
        double cpus = parseNumber("--cpus", *c);
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        if (cpus < 0.01 || cpus > static_cast<double>(online))
            throw Error("--cpus " + *c + ": must be between 0.01 and " + std::to_string(online)
                        + " (the CPUs this machine has)");
        spec.resources.cpuPeriod = 100000;
        spec.resources.cpuQuota = static_cast<int64_t>(cpus * 100000);
    }
    if (auto p = o.value("--pids")) {
        double pids = parseNumber("--pids", *p);
        if (pids != static_cast<double>(static_cast<int64_t>(pids)) || (pids < 1 && pids != -1))
            throw Error("--pids " + *p + ": must be a whole number of at least 1 (or -1 for no limit)");
        spec.resources.pidsLimit = static_cast<int64_t>(pids);
    }
}

void applyProcessFlags(hood::Spec &spec, const Options &o, const std::string &id)
{
    hood::Process &p = spec.process;
    p.terminal = o.has("-t") || o.has("--tty") || o.has("-it");
    if (!o.afterDashes().empty())
        p.args = o.afterDashes();
    else if (!o.positional().empty())
        p.args = o.positional();
    p.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME=" + spec.hostname};
    if (p.terminal)
        p.env.push_back("TERM=xterm");
    for (const std::string &e : o.values("-e"))
        p.env.push_back(e);
    for (const std::string &e : o.values("--env"))
        p.env.push_back(e);
    if (auto w = o.value("-w").value_or(o.value("--workdir").value_or("")); !w.empty())
        p.cwd = w;
    p.capabilities = hood::Capabilities {};
    const auto &caps = hood::dockerDefaultCapabilities();
    p.capabilities->bounding = p.capabilities->effective = p.capabilities->permitted = caps;
    (void)id;
}

// hoodctl run without --bundle: a spec made from flags, over an image.
hood::RunRequest requestFromFlags(const Options &o)
{
    hood::RunRequest r;
    r.id = o.value("--name").value_or("");
    if (r.id.empty())
        r.id = hood::generateId();
    std::string image = o.value("--image").value_or("busybox");
    hood::Spec spec = hood::defaultSpec();
    spec.hostname = o.value("--hostname").value_or(r.id.substr(0, 12));
    applyNamespaceFlags(spec, o);
    if (!spec.hasNamespace(hood::NsKind::Uts) && !o.value("--hostname"))
        spec.hostname.clear(); // no UTS namespace: the host's name is the container's
    applyLimitFlags(spec, o);
    applyProcessFlags(spec, o, r.id);
    spec.root.path = hood::isBuiltinImageName(image) ? hood::builtinImageRootfs(image) : absolute(image, "image");
    spec.root.readonly = false;
    // An image is never written to: changes go to a throw-away overlay layer.
    r.ephemeralOverlay = true;
    r.image = image;
    r.specSource = "hoodctl run";
    spec.process.noNewPrivileges = false; // as docker run: setuid binaries keep working
    r.spec = std::move(spec);
    return r;
}

hood::RunRequest requestFromBundle(const Options &o, const std::string &bundleDir)
{
    hood::RunRequest r;
    r.bundle = absolute(bundleDir, "bundle");
    hood::ParsedSpec parsed = readBundleSpec(r.bundle);
    for (const std::string &w : parsed.warnings)
        std::cerr << "hoodctl: warning: " << w << "\n";
    r.spec = std::move(parsed.spec);
    r.specSource = r.bundle + "/config.json";
    if (o.positional().size() != 1)
        throw Error("give exactly one container ID (hoodctl run --bundle DIR ID)");
    r.id = o.positional().front();
    return r;
}

void applyCommonFlags(hood::RunRequest &r, const Options &o)
{
    r.useChroot = o.has("--chroot");
    r.rootless = o.has("--rootless");
    r.pidFile = o.value("--pid-file").value_or("");
}

} // namespace

int cmdRun(Context &ctx, const Words &words)
{
    Options o(words, kRunValueFlags, kRunBoolFlags);
    auto bundle = o.value("--bundle") ? o.value("--bundle") : o.value("-b");
    hood::RunRequest r = bundle ? requestFromBundle(o, *bundle) : requestFromFlags(o);
    applyCommonFlags(r, o);
    if (o.has("-d") || o.has("--detach")) {
        std::string id = ctx.runtime.spawn(std::move(r), false);
        std::cout << id << std::endl;
        if (o.has("--trace"))
            return cmdTrace(ctx, {id});
        return 0;
    }
    std::string sentence;
    hood::trace::Trace trace;
    int status = ctx.runtime.run(std::move(r), &sentence, o.has("--trace") ? &trace : nullptr);
    if (!sentence.empty())
        std::cerr << "hoodctl: " << sentence << "\n";
    if (o.has("--trace"))
        printTrace(trace);
    return status;
}

int cmdCreate(Context &ctx, const Words &words)
{
    Options o(words, kRunValueFlags, kRunBoolFlags);
    auto bundle = o.value("--bundle") ? o.value("--bundle") : o.value("-b");
    hood::RunRequest r = requestFromBundle(o, bundle.value_or("."));
    applyCommonFlags(r, o);
    ctx.runtime.spawn(std::move(r), true);
    return 0;
}

int cmdSpec(Context &, const Words &words)
{
    Options o(words, {"--bundle", "-b"}, {"--rootless"});
    std::string dir = o.value("--bundle").value_or(o.value("-b").value_or("."));
    std::string path = dir + "/config.json";
    if (access(path.c_str(), F_OK) == 0)
        throw Error("File " + path + " exists. Remove it first");
    hood::Spec spec = hood::defaultSpec();
    if (o.has("--rootless"))
        spec.setNamespace(hood::NsKind::User, true);
    std::ofstream out(path);
    out << hood::specToJson(spec);
    if (!out)
        throw hood::Error::sys("write", path, errno);
    return 0;
}

} // namespace hoodctl
