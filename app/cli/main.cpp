// hoodctl: Hood's command line. `hoodctl help` lists the verbs.
#include "cli.h"
#include "report.h"

#include "error.h"
#include "runtime/runtime.h"
#include "runtime/statedir.h"

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

const std::array<Verb, 20> kVerbs = {{
    {"run", cmdRun, "run [--name N] [--image NAME|DIR] [--ns pid,mnt,...] [--no-ns KIND] [--memory 64M]\n"
                    "        [--cpus 0.5] [--pids 100] [--hostname H] [-e K=V] [-w DIR] [--chroot] [--rootless]\n"
                    "        [-t] [-d] [--json] [--print-spec] -- CMD...\n"
                    "      run --spec FILE|- [--name N] [-d] [--json]   run a config.json (--print-spec makes one)\n"
                    "      run --bundle DIR ID      run an OCI bundle (as runc run)"},
    {"create", cmdCreate, "create [--bundle DIR] [--pid-file F] ID   set up a bundle's container; start runs it"},
    {"start", cmdStart, "start ID                 run the command of a created container"},
    {"state", cmdState, "state ID                 the OCI state as JSON"},
    {"kill", cmdKill, "kill ID [SIGNAL]         send a signal (SIGTERM by default)"},
    {"stop", cmdStop, "stop [-t SECONDS] [--json] ID   SIGTERM, then SIGKILL after the grace period (10 s)"},
    {"delete", cmdDelete, "delete [--force] [--json] ID   remove a stopped container and all it holds"},
    {"list", cmdList, "list [--json] [-q]       containers and their status"},
    {"attach", cmdAttach, "attach ID                share the terminal of a container run with -t -d (^P^Q detaches)"},
    {"exec", cmdExec, "exec [-t] [-e K=V] [-w DIR] [--json] ID -- CMD...   run a command in a running container\n"
                      "                           (status: the command's; 125 Hood failed, 126 cannot run, 127 not found)"},
    {"inspect", cmdInspect, "inspect ID|--pid PID [--json]   namespaces, mounts, cgroup usage, processes, network"},
    {"top", cmdTop, "top [-n N] [-d SECONDS]  live CPU, memory and pids of running containers (^C ends)"},
    {"logs", cmdLogs, "logs [-f] ID             what a detached container wrote"},
    {"trace", cmdTrace, "trace ID [--json]        the start-up steps of a container: every privileged call, timed"},
    {"gc", cmdGc, "gc                       remove what dead containers left behind"},
    {"info", cmdInfo, "info [--json]            what this machine allows: cgroups, user namespaces, overlay, ..."},
    {"vm", cmdVm, "vm boot [--accel auto|kvm|tcg] [--json]   a QEMU VM booted to /init beside a container start, timed\n"
                  "      vm kernel [--cache DIR]  the VM's kernel (apt-get download into a cache, not installed)\n"
                  "      vm kvm [--json]          whether KVM really runs a guest here\n"
                  "      vm translate [--arch aarch64|x86_64] [--json] [APPLET...]   qemu-user's translation blocks,\n"
                  "                               and a workload timed native vs translated"},
    {"measure", cmdMeasure, "measure switches|proot [--json]   the lessons' live figures: context switches of two\n"
                            "                           busy containers on one CPU; PRoot (ptrace) vs native vs a container"},
    {"spec", cmdSpec, "spec [--bundle DIR]      write a default config.json (as runc spec)"},
    {"help", nullptr, "help                     this text"},
}};

void usage(std::ostream &out)
{
    out << "usage: hoodctl [--root DIR] VERB [OPTIONS]\n\nverbs:\n";
    for (const Verb &v : kVerbs)
        out << "  " << v.summary << "\n";
}

} // namespace
} // namespace hoodctl

int main(int argc, char **argv)
{
    using namespace hoodctl;
    Words words(argv + 1, argv + argc);
    std::string root;
    while (!words.empty() && (words[0] == "--root" || words[0].rfind("--root=", 0) == 0)) {
        if (words[0] == "--root" && words.size() < 2) {
            std::cerr << "hoodctl: option --root needs a directory\n";
            return kEngineError;
        }
        root = words[0] == "--root" ? words[1] : words[0].substr(7);
        words.erase(words.begin(), words.begin() + (words[0] == "--root" ? 2 : 1));
    }
    if (words.empty() || words[0] == "help" || words[0] == "--help" || words[0] == "-h") {
        usage(words.empty() ? std::cerr : std::cout);
        return words.empty() ? 2 : 0;
    }
    for (const Verb &v : kVerbs) {
        if (words[0] != v.name || !v.run)
            continue;
        const Words args(words.begin() + 1, words.end());
        Report report;
        report.json = wantsJson(v.name, args);
        try {
            hood::Runtime runtime(root, report.warnFn());
            Context ctx {runtime.root(), runtime, report};
            const int status = v.run(ctx, args);
            if (report.json)
                std::cout << successJson(report) << std::endl;
            return status;
        } catch (const std::exception &e) {
            const Failure failure = failureOf(e);
            if (report.json)
                std::cout << failureJson(report, failure) << std::endl;
            else
                std::cerr << "hoodctl: " << failure.sentence << "\n";
            return failure.status;
        }
    }
    std::cerr << "hoodctl: unknown verb \"" << words[0] << "\" (hoodctl help lists them)\n";
    return kEngineError;
}
