// hoodctl run / create / spec: flags, a spec file or a bundle -> a RunRequest.
// Flags become hood::RunOptions and core's specFromRunOptions makes the Spec (the
// GUI's launcher and the lessons use the same function), so no spec rule lives here.
#include "cli.h"
#include "report.h"

#include "error.h"
#include "image/builtin.h"
#include "image/layout.h"
#include "runtime/runtime.h"
#include "runtime/statedir.h"
#include "spec/runoptions.h"
#include "spec/units.h"
#include "sys/fileio.h"

#include <climits>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace hoodctl {

using hood::Error;

namespace {

const std::vector<std::string> kRunValueFlags = {"--name",   "--image",    "--ns",    "--no-ns", "--memory",
                                                 "--cpus",   "--pids",     "--hostname", "--bundle", "-b",
                                                 "--pid-file", "-e",       "--env",   "-w",      "--workdir",
                                                 "--spec", "--network", "--net", "--ip", "--mac-address",
                                                 "-p", "--publish", "--security-opt"};
const std::vector<std::string> kRunBoolFlags = {"--chroot", "--rootless", "-t",     "--tty",        "-d",
                                                "--detach", "-it",        "-i",     "--json", "--print-spec", "--trace"};
// The flags that shape a spec; with --spec the file says all of it.
const std::vector<std::string> kSpecShapingFlags = {"--image", "--ns", "--no-ns", "--memory", "--cpus",
                                                    "--pids", "--hostname", "-e", "--env", "-w",
                                                    "--workdir", "-t", "--tty", "-it", "--network", "--net",
                                                    "--ip", "--mac-address", "-p", "--publish", "--security-opt"};

std::string absolute(const std::string &path, const char *what)
{
    char real[PATH_MAX];
    if (!realpath(path.c_str(), real))
        throw hood::Error::sys(what, path, errno);
    return real;
}

// root.path for --image: a built-in image's rootfs, or the directory. A spec to print
// keeps a built-in image's name, so it reads the same on every machine (--spec
// resolves the name again).
std::string imageRoot(const std::string &image, bool keepBuiltinName)
{
    if (hood::isBuiltinImageName(image))
        return keepBuiltinName ? image : hood::builtinImageRootfs(image);
    return absolute(image, "image");
}

// --image DIR keeps naming a directory: a path that starts with / or ., or one with a
// slash that is a directory. Every other word is an image of the store.
bool isDirectoryImage(const std::string &image)
{
    if (image.empty() || image[0] == '/' || image[0] == '.')
        return !image.empty();
    struct stat st {};
    return image.find('/') != std::string::npos && stat(image.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// --image NAME: an image of the store (the flag given; without it the built-in
// busybox directory is used as before, with no store involved).
bool storeImageFlag(const Options &o)
{
    auto image = o.value("--image");
    return image && !isDirectoryImage(*image);
}

const hood::NsInfo &namespaceNamed(const std::string &flag, const std::string &name)
{
    const hood::NsInfo *info = hood::findNamespace(name);
    if (!info)
        throw Error(flag + ": unknown namespace \"" + name
                    + "\" (known: pid, mnt, uts, ipc, net, user, cgroup, time)");
    return *info;
}

// --ns replaces the default list; --no-ns takes kinds out of it.
std::vector<hood::NsKind> namespaceFlags(const Options &o)
{
    std::vector<hood::NsKind> chosen = hood::defaultNamespaces();
    if (auto list = o.value("--ns")) {
        chosen.clear();
        std::stringstream in(*list);
        std::string name;
        while (std::getline(in, name, ','))
            chosen.push_back(namespaceNamed("--ns", name).kind);
    }
    for (const std::string &name : o.values("--no-ns"))
        std::erase(chosen, namespaceNamed("--no-ns", name).kind);
    return chosen;
}

// --network (docker's --net too), --ip, --mac-address, -p/--publish.
hood::net::NetworkOptions networkFlags(const Options &o)
{
    hood::net::NetworkOptions n;
    std::optional<std::string> mode = o.value("--network") ? o.value("--network") : o.value("--net");
    if (mode)
        hood::net::parseNetworkFlag(*mode, n);
    n.ip = o.value("--ip").value_or("");
    n.mac = o.value("--mac-address").value_or("");
    for (const char *flag : {"-p", "--publish"}) {
        for (const std::string &p : o.values(flag))
            n.ports.push_back(hood::net::parsePublish(p));
    }
    return n;
}

// --security-opt as docker run spells it (KEY=VALUE or KEY:VALUE):
// seccomp=unconfined|FILE (a Docker profile), no-new-privileges[=true|false].
void securityOptions(const Options &o, hood::RunOptions &r)
{
    for (const std::string &opt : o.values("--security-opt")) {
        const size_t sep = opt.find_first_of("=:");
        const std::string key = opt.substr(0, sep);
        const std::string value = sep == std::string::npos ? "" : opt.substr(sep + 1);
        if (key == "seccomp" && value == "unconfined") {
            r.seccomp = hood::RunOptions::Seccomp::Unconfined;
        } else if (key == "seccomp" && !value.empty()) {
            r.seccomp = hood::RunOptions::Seccomp::Profile;
            r.seccompProfile = hood::readFile(value);
            r.seccompSource = value;
        } else if (key == "no-new-privileges" && (value.empty() || value == "true" || value == "false")) {
            r.noNewPrivileges = value != "false";
        } else {
            throw Error("--security-opt " + opt
                        + ": unknown option (known: seccomp=unconfined, seccomp=FILE, no-new-privileges=true|false)");
        }
    }
}

hood::RunOptions runOptionsFromFlags(const Options &o, bool keepBuiltinName)
{
    hood::RunOptions r;
    r.id = o.value("--name").value_or("");
    if (r.id.empty())
        r.id = hood::generateId();
    hood::validateId(r.id); // before the hostname made from it: the name is the mistake
    if (storeImageFlag(o))
        r.rootfs = keepBuiltinName ? *o.value("--image") : std::string();
    else
        r.rootfs = imageRoot(o.value("--image").value_or("busybox"), keepBuiltinName);
    r.command = !o.afterDashes().empty() ? o.afterDashes() : o.positional();
    r.env = envFlags(o);
    r.cwd = o.value("-w").value_or(o.value("--workdir").value_or(""));
    r.hostname = o.value("--hostname").value_or("");
    r.namespaces = namespaceFlags(o);
    if (auto m = o.value("--memory"))
        r.memory = hood::parseBytes(*m, "--memory");
    if (auto c = o.value("--cpus"))
        r.cpus = hood::parseCpus(*c, "--cpus");
    if (auto p = o.value("--pids"))
        r.pids = hood::parsePids(*p, "--pids");
    r.terminal = o.has("-t") || o.has("--tty") || o.has("-it");
    r.rootless = o.has("--rootless");
    securityOptions(o, r);
    r.network = networkFlags(o);
    return r;
}

// hoodctl run --image NAME: the image's layers as the overlay's lowers, its config
// merged under the flags (specFromRunOptions), and a writable layer on disk in the
// store (journaled by the monitor, removed by delete) that diff and commit read.
hood::RunRequest requestFromStore(const Context &ctx, const Options &o)
{
    hood::RunOptions options = runOptionsFromFlags(o, false);
    hood::image::Store store(ctx.store);
    const hood::image::ImageRecord image = hood::image::resolveOrSeed(
        store, *o.value("--image"), [&](const std::string &w) { ctx.report.warn(w); });
    hood::RunRequest r;
    {
        hood::Fd lock = store.lock(true); // makes <store>/containers
        r.lowers = store.layerDirs(image);
        options.rootfs = r.lowers.front();
        r.spec = hood::specFromRunOptions(options, store.runConfig(image));
        // Root's --rootless maps the init to a uid that may not write a directory of
        // root's: a scratch layer then, as for the built-in image.
        // A foreground run's state (and so its upper) goes when it ends: a scratch
        // tmpfs then, which also spares overlayfs the sync of a disk upper on umount.
        const bool detached = o.has("-d") || o.has("--detach");
        if (detached && !(o.has("--rootless") && geteuid() == 0)) {
            r.upperDir = store.upperDir(options.id);
            r.workDir = store.workDir(options.id);
        }
    }
    r.id = options.id;
    r.image = image.names.empty() ? *o.value("--image") : image.names.front();
    r.imageId = image.id;
    r.ephemeralOverlay = r.upperDir.empty();
    r.specSource = options.source;
    return r;
}

// hoodctl run without --bundle or --spec: a spec made from flags, over an image.
hood::RunRequest requestFromFlags(const Context &ctx, const Options &o)
{
    if (storeImageFlag(o))
        return requestFromStore(ctx, o);
    const hood::RunOptions options = runOptionsFromFlags(o, false);
    hood::RunRequest r;
    r.id = options.id;
    r.image = o.value("--image").value_or("busybox");
    r.spec = hood::specFromRunOptions(options);
    // An image is never written to: changes go to a throw-away overlay layer.
    r.ephemeralOverlay = true;
    r.specSource = options.source;
    r.network = options.network;
    return r;
}

// root.path of a --spec file, by --image's rules: a bare name is a built-in image;
// otherwise a path, relative to the file's directory (stdin: the current one) as in
// a bundle.
void resolveSpecRoot(hood::RunRequest &r, const std::string &file)
{
    std::string &path = r.spec.root.path;
    if (hood::isBuiltinImageName(path)) {
        r.image = path;
        path = hood::builtinImageRootfs(path);
        return;
    }
    if (path[0] != '/') {
        const size_t slash = file.rfind('/');
        path = (file == "-" || slash == std::string::npos ? std::string(".") : file.substr(0, slash)) + "/" + path;
    }
    path = absolute(path, "rootfs");
}

// hoodctl run --spec FILE|-: a config.json (hoodctl run --print-spec makes one) run as
// hoodctl run runs its own, over a throw-away layer.
hood::RunRequest requestFromSpecFile(const Options &o, const std::string &file, Report &report)
{
    for (const std::string &flag : kSpecShapingFlags) {
        if (o.has(flag))
            throw Error(flag + ": not with --spec (the spec says it: change the spec)");
    }
    if (!o.positional().empty() || !o.afterDashes().empty())
        throw Error("--spec: the command is the spec's process.args; give no command");
    const std::string source = file == "-" ? "stdin" : file;
    // fd 0 itself, not /dev/stdin: a minimal system (the VM's initramfs) has no such link.
    std::string text;
    if (file == "-" && !hood::preadAll(0, text))
        throw hood::Error::sys("read", "standard input", errno);
    hood::ParsedSpec parsed = hood::parseSpec(file == "-" ? text : hood::readFile(file), source);
    for (const std::string &w : parsed.warnings)
        report.warn(w);
    hood::RunRequest r;
    r.spec = std::move(parsed.spec);
    r.specSource = source;
    r.id = o.value("--name").value_or("");
    if (r.id.empty())
        r.id = hood::generateId();
    resolveSpecRoot(r, file);
    r.ephemeralOverlay = true;
    return r;
}

hood::RunRequest requestFromBundle(const Options &o, const std::string &bundleDir, Report &report)
{
    hood::RunRequest r;
    r.bundle = absolute(bundleDir, "bundle");
    const std::string path = r.bundle + "/config.json";
    hood::ParsedSpec parsed = hood::parseSpec(hood::readFile(path), path);
    for (const std::string &w : parsed.warnings)
        report.warn(w);
    r.spec = std::move(parsed.spec);
    r.specSource = path;
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

std::optional<std::string> bundleFlag(const Options &o)
{
    return o.value("--bundle") ? o.value("--bundle") : o.value("-b");
}

} // namespace

int cmdRun(Context &ctx, const Words &words)
{
    Options o(words, kRunValueFlags, kRunBoolFlags);
    if (o.has("--print-spec")) {
        if (o.has("--json"))
            throw Error("--print-spec prints a config.json already: give it without --json");
        std::cout << hood::specToJson(hood::specFromRunOptions(runOptionsFromFlags(o, true)));
        return 0;
    }
    const auto bundle = bundleFlag(o);
    const auto specFile = o.value("--spec");
    if (bundle && specFile)
        throw Error("give --bundle or --spec, not both");
    hood::RunRequest r = bundle     ? requestFromBundle(o, *bundle, ctx.report)
                         : specFile ? requestFromSpecFile(o, *specFile, ctx.report)
                                    : requestFromFlags(ctx, o);
    applyCommonFlags(r, o);
    ctx.report.id = r.id;
    if (o.has("-d") || o.has("--detach")) {
        const std::string id = ctx.runtime.spawn(std::move(r), false);
        if (!ctx.report.json)
            std::cout << id << std::endl;
        if (o.has("--trace") && !ctx.report.json) {
            // The monitor writes trace.json right after it answered us.
            const std::string path = ctx.runtime.containerDir(id) + "/trace.json";
            for (int i = 0; i < 200 && access(path.c_str(), F_OK) != 0; ++i)
                usleep(10000);
            return cmdTrace(ctx, {id});
        }
        return 0;
    }
    std::string sentence;
    hood::trace::Trace trace;
    const int status = ctx.runtime.run(std::move(r), &sentence, o.has("--trace") ? &trace : nullptr);
    ctx.report.exitCode = status;
    ctx.report.exitReason = sentence;
    if (!sentence.empty() && !ctx.report.json)
        std::cerr << "hoodctl: " << sentence << "\n";
    if (o.has("--trace"))
        printTrace(trace);
    return status;
}

// runc's create, as conmon and containerd's shim call it: no monitor (runc mode,
// docs/runtime-modes.md). --no-pivot and --no-new-keyring are accepted: Hood
// always pivots (chroot only with --chroot) and makes no session keyring.
int cmdCreate(Context &ctx, const Words &words)
{
    ctx.report.stderrIsContainers = true;
    Options o(words, {"--bundle", "-b", "--pid-file", "--console-socket", "--preserve-fds"},
              {"--no-pivot", "--no-new-keyring", "--chroot", "--rootless"});
    hood::RunRequest r = requestFromBundle(o, bundleFlag(o).value_or("."), ctx.report);
    applyCommonFlags(r, o);
    hood::CreateOptions options;
    options.consoleSocket = o.value("--console-socket").value_or("");
    if (auto n = o.value("--preserve-fds"))
        options.preserveFds = static_cast<int>(parseNumber("--preserve-fds", *n));
    ctx.runtime.create(std::move(r), options);
    return 0;
}

int cmdSpec(Context &, const Words &words)
{
    Options o(words, {"--bundle", "-b"}, {"--rootless"});
    const std::string path = bundleFlag(o).value_or(".") + "/config.json";
    if (access(path.c_str(), F_OK) == 0)
        throw Error("File " + path + " exists. Remove it first");
    hood::Spec spec = hood::defaultSpec();
    if (o.has("--rootless"))
        spec.setNamespace(hood::NsKind::User, true);
    hood::writeNewFile(path, hood::specToJson(spec), 0644);
    return 0;
}

} // namespace hoodctl
