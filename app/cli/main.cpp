// hoodctl: Hood's command line. `hoodctl help` lists the verbs.
#include "cli.h"
#include "log.h"
#include "report.h"

#include "error.h"
#include "net/slirp.h"
#include "runtime/runtime.h"
#include "runtime/sealedexe.h"
#include "runtime/statedir.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <iostream>

namespace hoodctl {
namespace {

struct Verb {
    const char *name;
    int (*run)(Context &, const Words &);
    const char *summary;
};

const auto kVerbs = std::to_array<Verb>({
    {"run", cmdRun, "run [--name N] [--image NAME|DIR] [--ns pid,mnt,...] [--no-ns KIND] [--memory 64M]\n"
                    "        [--cpus 0.5] [--pids 100] [--hostname H] [-e K=V] [-w DIR] [--chroot] [--rootless]\n"
                    "        [--network none|bridge|host|container:ID|slirp4netns|NAME] [--ip A] [--mac-address M]\n"
                    "        [-p [HOST_IP:]HOST_PORT:PORT[/tcp|udp]]\n"
                    "        [--security-opt seccomp=unconfined|FILE] [--security-opt no-new-privileges=false]\n"
                    "        [-t] [-d] [--json] [--print-spec] -- CMD...\n"
                    "      run --spec FILE|- [--name N] [-d] [--json]   run a config.json (--print-spec makes one)\n"
                    "      run --bundle DIR ID      run an OCI bundle (as runc run)"},
    {"create", cmdCreate, "create [--bundle DIR] [--pid-file F] ID   set up a bundle's container; start runs it"},
    {"start", cmdStart, "start ID                 run the command of a created container"},
    {"state", cmdState, "state ID                 the OCI state as JSON"},
    {"kill", cmdKill, "kill [--all] ID [SIGNAL]  send a signal (SIGTERM by default); --all: every process"},
    {"pause", cmdPause, "pause ID                 freeze every process of a container (cgroup freezer)"},
    {"resume", cmdResume, "resume ID                thaw a paused container"},
    {"ps", cmdPs, "ps [--format json] ID    the host pids of a container's processes"},
    {"update", cmdUpdate, "update --resources FILE|- ID   new memory, CPU and pids limits (linux.resources JSON, as runc)"},
    {"events", cmdEvents, "events --stats ID        one stats object of a container's cgroup, as runc prints it"},
    {"features", cmdFeatures, "features                 what this runtime supports, as runc's JSON"},
    {"stop", cmdStop, "stop [-t SECONDS] [--json] ID   SIGTERM, then SIGKILL after the grace period (10 s)"},
    {"delete", cmdDelete, "delete [--force] [--json] ID   remove a stopped container and all it holds"},
    {"list", cmdList, "list [--json] [-q]       containers and their status"},
    {"attach", cmdAttach, "attach ID                share the terminal of a container run with -t -d (^P^Q detaches)"},
    {"exec", cmdExec, "exec [-t] [-e K=V] [-w DIR] [--json] ID -- CMD...   run a command in a running container\n"
                      "                           (status: the command's; 1 no such container, 125 Hood failed,\n"
                      "                           126 cannot run, 127 not found)"},
    {"inspect", cmdInspect, "inspect ID|--pid PID [--json]   namespaces, mounts, cgroup usage, processes, network"},
    {"top", cmdTop, "top [-n N] [-d SECONDS]  live CPU, memory and pids of running containers (^C ends)"},
    {"logs", cmdLogs, "logs [-f] ID             what a detached container wrote"},
    {"trace", cmdTrace, "trace ID [--json]        the start-up steps of a container: every privileged call, timed"},
    {"network", cmdNetwork, "network create NAME [--subnet CIDR] | ls [--json] | inspect NAME | rm NAME\n"
                            "                           bridge networks (the default one, hood, is made on first use)"},
    {"port", cmdPort, "port ID [--json]         the ports a container publishes"},
    {"gc", cmdGc, "gc                       remove what dead containers left behind"},
    {"info", cmdInfo, "info [--json]            what this machine allows: cgroups, user namespaces, overlay, ..."},
    {"load", cmdLoad, "load [-i] PATH            images from an OCI layout or archive, or a docker save tarball"},
    {"save", cmdSave, "save [--format docker-archive|oci-archive|oci-dir] -o PATH IMAGE   write an image out"},
    {"images", cmdImages, "images [--json] [-q]     the images of the store"},
    {"rmi", cmdRmi, "rmi IMAGE...             untag an image; delete it with its last name (or by ID)"},
    {"tag", cmdTag, "tag IMAGE NAME[:TAG]     give an image another name"},
    {"history", cmdHistory, "history [--json] IMAGE   an image's layers: the instruction that made each, its size"},
    {"image", cmdImage, "image inspect IMAGE      an image's record, manifest and config as JSON"},
    {"diff", cmdDiff, "diff ID                  what a container changed: A added, C changed, D deleted"},
    {"commit", cmdCommit, "commit ID NAME[:TAG]     a new image: the container's image and its writable layer on top"},
    {"import", cmdImport, "import [--config JSON] DIR NAME[:TAG]   a one-layer image of a directory tree"},
    {"build", cmdBuild, "build -t NAME[:TAG] [-f Dockerfile] [--build-arg K=V] [--no-cache] [--progress plain|json] [--explain] DIR\n"
                        "                         an image from a Dockerfile, with a layer cache"},
    {"pull", cmdPull, "pull [--tls-verify=false] [--platform OS/ARCH] [--progress plain|json] REF   an image from a registry into the store"},
    {"push", cmdPush, "push [--tls-verify=false] [--progress plain|json] IMAGE [REF]   an image of the store to a registry"},
    {"login", cmdLogin, "login -u USER --password-stdin [--tls-verify=false] REGISTRY   store credentials as docker does"},
    {"vm", cmdVm, "vm boot [--accel auto|kvm|tcg] [--json]   a QEMU VM booted to /init beside a container start, timed\n"
                  "      vm kernel [--cache DIR]  the VM's kernel (apt-get download into a cache, not installed)\n"
                  "      vm kvm [--json]          whether KVM really runs a guest here\n"
                  "      vm translate [--arch aarch64|x86_64] [--json] [APPLET...]   qemu-user's translation blocks,\n"
                  "                               and a workload timed native vs translated"},
    {"measure", cmdMeasure, "measure switches|proot|image|build|network|seccomp|runc [--json]   the lessons' live\n"
                            "                           figures: context switches of two busy containers on one CPU; PRoot\n"
                            "                           (ptrace) vs native vs a container; save/load/push/pull; a build and\n"
                            "                           its cache; a published port's packets; seccomp on and off; runc's verbs"},
    {"spec", cmdSpec, "spec [--bundle DIR]      write a default config.json (as runc spec)"},
    {"help", nullptr, "help                     this text"},
});

void usage(std::ostream &out)
{
    out << "usage: hoodctl [--root DIR] [--store DIR] [--log FILE] [--log-format text|json] [--systemd-cgroup] [--debug] VERB [OPTIONS]\n\nverbs:\n";
    for (const Verb &v : kVerbs)
        out << "  " << v.summary << "\n";
}

} // namespace
} // namespace hoodctl

namespace hoodctl {
namespace {

// The flags every OCI client puts before the verb (go-runc: --root R --log F
// --log-format json; conmon: --root R [--systemd-cgroup]), in both the
// "--flag value" and the "--flag=value" form.
struct GlobalFlags {
    std::string root;
    std::string store;
    std::string log;
    std::string logFormat = "text";
    bool systemdCgroup = false;
    bool debug = false;
    bool version = false;
};

// Takes the global flags off the front of words; throws on a flag without value.
GlobalFlags globalFlags(Words &words)
{
    GlobalFlags g;
    static const std::array<std::pair<const char *, std::string GlobalFlags::*>, 4> kValued = {{
        {"--root", &GlobalFlags::root}, {"--store", &GlobalFlags::store}, {"--log", &GlobalFlags::log},
        {"--log-format", &GlobalFlags::logFormat}}};
    while (!words.empty() && words[0].rfind("--", 0) == 0) {
        const std::string w = words[0];
        const size_t eq = w.find('=');
        const std::string flag = w.substr(0, eq);
        bool known = false;
        for (const auto &[name, member] : kValued) {
            if (flag != name)
                continue;
            known = true;
            if (eq != std::string::npos) {
                g.*member = w.substr(eq + 1);
                words.erase(words.begin());
            } else if (words.size() >= 2) {
                g.*member = words[1];
                words.erase(words.begin(), words.begin() + 2);
            } else {
                throw hood::Error("option " + flag + " needs a value");
            }
        }
        if (!known && (w == "--systemd-cgroup" || w == "--debug" || w == "--version")) {
            known = true;
            (w == "--debug" ? g.debug : w == "--version" ? g.version : g.systemdCgroup) = true;
            words.erase(words.begin());
        }
        if (!known)
            break; // a verb's own flag (--help) or a mistake the verb names
    }
    if (g.logFormat != "text" && g.logFormat != "json")
        throw hood::Error("--log-format " + g.logFormat + ": give text or json");
    return g;
}

} // namespace
} // namespace hoodctl

int main(int argc, char **argv)
{
    using namespace hoodctl;
    Words words(argv + 1, argv + argc);
    GlobalFlags global;
    try {
        global = globalFlags(words);
    } catch (const std::exception &e) {
        std::cerr << "hoodctl: " << e.what() << "\n";
        return kEngineError;
    }
    Log &log = Log::instance();
    if (!global.log.empty())
        log.open(global.log, global.logFormat == "json");
    log.debug = global.debug;
    if (global.version) {
        std::cout << "hoodctl version " << HOOD_VERSION << "\nspec: 1.0.2\n";
        return 0;
    }
    if (global.systemdCgroup)
        log.info("--systemd-cgroup: Hood makes the cgroup itself (cgroupfs), at the path linux.cgroupsPath "
                 "names as runc reads it without systemd");
    const std::string root = global.root;
    if (words.empty() || words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
        usage(words.empty() ? std::cerr : std::cout);
        return words.empty() ? 2 : 0;
    }
    // CVE-2019-5736 (runtime/sealedexe.h): the verbs whose process enters a
    // container where no Hood monitor of this same binary keeps it busy run from a
    // sealed copy of it.
    if (words[0] == "create" || words[0] == "exec") {
        try {
            hood::reexecFromSealedCopy(argv);
        } catch (const std::exception &e) {
            log.error(e.what());
            std::cerr << "hoodctl: " << e.what() << "\n";
            return kEngineError;
        }
    }
    for (const Verb &v : kVerbs) {
        if (words[0] != v.name || !v.run)
            continue;
        const Words args(words.begin() + 1, words.end());
        if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
            std::cout << "usage: hoodctl " << v.summary << "\n";
            if (std::string_view(v.name) == "run")
                std::cout << "\nNetwork: bridge is the default as root on /run/hood, none with --root/HOOD_ROOT (no change to "
                             "the machine's network unless asked). "
                          << hood::net::rootlessNetworkNote() << "\n";
            return 0;
        }
        Report report;
        report.json = wantsJson(v.name, args);
        try {
            hood::Runtime runtime(root, report.warnFn());
            Context ctx {runtime.root(), runtime, report, global.store};
            const int status = v.run(ctx, args);
            if (report.json)
                std::cout << successJson(report) << std::endl;
            return status;
        } catch (const std::exception &e) {
            Failure failure = failureOf(e);
            // An unknown ID: runc's status, on every verb that names a container
            // (clients look for "does not exist" and 1; `docker exec nosuch` exits 1
            // too, runc 1.1's exec alone 255). Not for run, create and build: there
            // the container is another one (--network container:ID), and 125 is
            // `docker run`'s "could not start".
            static const Words kStartingVerbs = {"run", "create", "build"};
            if (dynamic_cast<const hood::NoSuchContainer *>(&e)
                && std::find(kStartingVerbs.begin(), kStartingVerbs.end(), v.name) == kStartingVerbs.end())
                failure.status = 1;
            log.error(failure.sentence);
            if (report.json)
                std::cout << failureJson(report, failure) << std::endl;
            else
                std::cerr << "hoodctl: " << failure.sentence << "\n";
            return failure.status;
        }
    }
    log.error("unknown verb \"" + words[0] + "\"");
    std::cerr << "hoodctl: unknown verb \"" << words[0] << "\" (hoodctl help lists them)\n";
    return kEngineError;
}
