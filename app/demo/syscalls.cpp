// hood-demo syscall NAME: makes one syscall that Docker's default seccomp profile
// blocks (or that only a privileged container may make), with harmless arguments,
// and prints what the kernel answered. The Security page's button and the
// hardening tests use it to show an EPERM from the filter; under
// --security-opt seccomp=unconfined the same call gets the kernel's own answer.
#include "demo.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <sched.h>
#include <string_view>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace demo {

namespace {

struct Probe {
    std::string_view name;
    std::string_view what; // what the call could do if it were allowed
    long (*call)();
};

// Each call is made so that, when allowed, it changes nothing outside this process.
const std::array<Probe, 9> kProbes = {{
    {"keyctl", "read the kernel keyrings, which are not namespaced",
     [] { return syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0); }},
    {"add_key", "add a key to the kernel's keyrings, which are not namespaced",
     [] { return syscall(SYS_add_key, "user", "hood-probe", "x", 1, -3 /* session */); }},
    {"bpf", "load programs into the kernel", [] { return syscall(SYS_bpf, 0, nullptr, 0); }},
    {"perf_event_open", "watch the whole machine's CPUs and kernel",
     [] { return syscall(SYS_perf_event_open, nullptr, 0, -1, -1, 0); }},
    {"unshare-user", "make a user namespace, where the caller becomes root again",
     [] { return long(unshare(CLONE_NEWUSER)); }},
    {"unshare-mount", "make a mount namespace of its own",
     [] { return long(unshare(CLONE_NEWNS)); }},
    {"mount", "mount file systems",
     [] { return long(mount("none", "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr)); }},
    {"personality", "switch to an execution domain with an unsafe address layout",
     [] { return long(personality(0x0040000 /* ADDR_NO_RANDOMIZE */)); }},
    {"userfaultfd", "stall the kernel on a page fault (a race helper in exploits)",
     [] { return syscall(SYS_userfaultfd, 0); }},
}};

} // namespace

// ptrace PID: PTRACE_ATTACH to a pid as this process's namespace numbers it (the
// monitor's host pid names nothing inside a pid namespace); detaches at once.
int ptraceProbe(const std::string &pidText)
{
    const long pid = parseCount(pidText, 1, 4194304, "pid");
    errno = 0;
    const long rc = ptrace(PTRACE_ATTACH, pid_t(pid), nullptr, nullptr);
    const int err = errno;
    std::printf("syscall: ptrace\nwhat: trace and change process %ld\n", pid);
    if (rc < 0) {
        std::printf("result: refused\nerror: %s\n", errnoSentence(err).c_str());
        return kExitOk;
    }
    waitpid(pid_t(pid), nullptr, __WALL);
    ptrace(PTRACE_DETACH, pid_t(pid), nullptr, nullptr);
    std::printf("result: allowed\nreturned: %ld\n", rc);
    return kExitOk;
}

int cmdSyscall(Args args)
{
    if (args.size() == 2 && args[0] == "ptrace")
        return ptraceProbe(args[1]);
    if (args.size() != 1)
        throw UsageError{"give one syscall: keyctl, add_key, bpf, perf_event_open, unshare-user, "
                         "unshare-mount, mount, personality, userfaultfd; or ptrace PID"};
    for (const Probe &p : kProbes) {
        if (p.name != args[0])
            continue;
        errno = 0;
        long rc = p.call();
        int err = errno;
        std::printf("syscall: %.*s\nwhat: %.*s\n", int(p.name.size()), p.name.data(), int(p.what.size()),
                    p.what.data());
        if (rc < 0)
            std::printf("result: refused\nerror: %s\n", errnoSentence(err).c_str());
        else
            std::printf("result: allowed\nreturned: %ld\n", rc);
        return kExitOk;
    }
    throw UsageError{"unknown syscall '" + args[0] + "' (hood-demo help lists them)"};
}

} // namespace demo
