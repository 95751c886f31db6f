#include "process.h"

#include "error.h"
#include "privops.h"
#include "seccompfilter.h"
#include "trace.h"

#include <array>
#include <climits>
#include <dirent.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <cerrno>
#include <csignal>
#include <memory>
#include <optional>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <grp.h>

namespace hood {

void applyRlimits(const std::vector<Rlimit> &rlimits)
{
    for (const Rlimit &r : rlimits) {
        std::optional<int> resource = rlimitResource(r.type);
        if (!resource)
            throw Error("unknown rlimit " + r.type);
        rlimit value {r.soft, r.hard};
        if (setrlimit(static_cast<__rlimit_resource>(*resource), &value) < 0)
            throw Error::sys("setrlimit", r.type, errno);
    }
}

namespace {
std::string envValue(const std::vector<std::string> &env, const std::string &key)
{
    for (const std::string &e : env) {
        if (e.rfind(key + "=", 0) == 0)
            return e.substr(key.size() + 1);
    }
    return {};
}

} // namespace

// Like execvp's search, but done before exec so that a missing command is
// reported while the monitor is still listening.
std::string findExecutable(const Process &p)
{
    const std::string &cmd = p.args.front();
    auto usable = [](const std::string &path) {
        struct stat st {};
        return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
    };
    if (cmd.find('/') != std::string::npos) {
        if (!usable(cmd))
            throw Error::sys("exec", cmd, access(cmd.c_str(), F_OK) == 0 ? EACCES : ENOENT);
        return cmd;
    }
    std::string path = envValue(p.env, "PATH");
    if (path.empty())
        path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find(':', start);
        std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (usable(dir + "/" + cmd))
            return dir + "/" + cmd;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    throw Error("exec " + cmd + ": executable file not found in $PATH");
}

namespace {
using Caps = std::unique_ptr<std::remove_pointer_t<cap_t>, decltype(&cap_free)>;

cap_value_t capValue(const std::string &name)
{
    cap_value_t v;
    std::string lower;
    for (char ch : name)
        lower += static_cast<char>(tolower(static_cast<unsigned char>(ch)));
    if (cap_from_name(lower.c_str(), &v) < 0)
        throw Error("unknown capability " + name);
    return v;
}

bool listed(const std::vector<std::string> &names, cap_value_t v)
{
    for (const std::string &n : names) {
        if (capValue(n) == v)
            return true;
    }
    return false;
}

void dropBoundingSet(const Capabilities &caps)
{
    for (cap_value_t v = 0; v <= static_cast<cap_value_t>(cap_max_bits()) - 1; ++v) {
        if (!listed(caps.bounding, v) && cap_drop_bound(v) < 0 && errno != EINVAL)
            throw Error::sys("drop capability from bounding set", cap_to_name(v), errno);
    }
}

void setCapabilities(const Capabilities &caps, uid_t uid, const WarnFn &warn)
{
    Caps state(cap_init(), cap_free);
    const std::array<std::pair<cap_flag_t, const std::vector<std::string> *>, 3> sets = {{
        {CAP_EFFECTIVE, &caps.effective}, {CAP_PERMITTED, &caps.permitted},
        {CAP_INHERITABLE, &caps.inheritable}}};
    for (const auto &[flag, names] : sets) {
        for (const std::string &n : *names) {
            cap_value_t v = capValue(n);
            cap_set_flag(state.get(), flag, 1, &v, CAP_SET);
        }
    }
    if (cap_set_proc(state.get()) < 0)
        throw Error::sys("set capabilities", "", errno);
    cap_reset_ambient();
    std::string skipped;
    for (const std::string &n : caps.ambient) {
        // The kernel raises an ambient capability only if it is also permitted and
        // inheritable; `runc spec` lists ambient ones without inheritable (since
        // CVE-2022-29162), and runc skips them. So do we; it matters only to a
        // non-root user (root gets its bounding set at exec anyway).
        if (cap_set_ambient(capValue(n), CAP_SET) < 0)
            skipped += (skipped.empty() ? "" : ", ") + n;
    }
    if (!skipped.empty() && uid != 0)
        warn("ambient capabilities not raised (not in both the permitted and the inheritable set): " + skipped);
}

} // namespace

void switchUser(const Process &p, bool setgroupsDenied, const WarnFn &warn)
{
    if (p.capabilities)
        dropBoundingSet(*p.capabilities);
    // Keep the permitted set across setuid to a non-root user; it is then cut down
    // to exactly what the spec asks for.
    check(prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), "keep capabilities", "");
    if (!setgroupsDenied) {
        std::vector<gid_t> groups(p.additionalGids.begin(), p.additionalGids.end());
        check(setgroups(groups.size(), groups.data()), "setgroups", "");
    }
    check(setresgid(p.gid, p.gid, p.gid), "setresgid", std::to_string(p.gid));
    check(setresuid(p.uid, p.uid, p.uid), "setresuid", std::to_string(p.uid));
    if (p.capabilities)
        setCapabilities(*p.capabilities, p.uid, warn);
    check(prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0), "reset keep capabilities", "");
}

void dieWithParent(pid_t parent)
{
    // Set last: changing credentials clears the parent-death signal.
    check(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), "set parent death signal", "");
    if (getppid() != parent)
        _exit(125); // the parent died before we could ask to die with it
}

[[noreturn]] void execProcess(const Process &p, const std::string &path)
{
    std::vector<char *> argv, envp;
    for (const std::string &a : p.args)
        argv.push_back(const_cast<char *>(a.c_str()));
    argv.push_back(nullptr);
    for (const std::string &e : p.env)
        envp.push_back(const_cast<char *>(e.c_str()));
    envp.push_back(nullptr);
    execve(path.c_str(), argv.data(), envp.data());
    throw Error::sys("exec", path, errno);
}

// Every fd above stdio (and above the ones the caller asked to pass on) is marked
// close-on-exec, so nothing of Hood's reaches the command even if one was opened
// without O_CLOEXEC somewhere (CVE-2024-21626 leaked a host directory fd). The fds
// stay usable until exec: the init still talks to its monitor.
void closeOnExecAbove(int keep)
{
    const unsigned first = static_cast<unsigned>(3 + keep);
    if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
        return;
    // Before Linux 5.11 (or a filter without close_range): one by one.
    struct Closedir {
        void operator()(DIR *d) const { closedir(d); }
    };
    std::unique_ptr<DIR, Closedir> d(opendir("/proc/self/fd"));
    if (!d)
        throw Error::sys("list open fds", "/proc/self/fd", errno);
    const int own = dirfd(d.get());
    while (dirent *e = readdir(d.get())) {
        const int fd = atoi(e->d_name);
        if (e->d_name[0] != '.' && fd >= static_cast<int>(first) && fd != own)
            fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
}

// chdir, then a check that the directory lies inside the container's root: a cwd
// such as /proc/self/fd/7 follows an fd that may point at a host directory
// (CVE-2024-21626). The kernel then names the directory "(unreachable)/...",
// which getcwd reports as ENOENT (runc checks the same way).
void changeToCwd(const std::string &cwd)
{
    if (chdir(cwd.c_str()) < 0)
        throw Error::sys("chdir to cwd", cwd, errno);
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf) || buf[0] != '/')
        throw Error("chdir to cwd " + cwd + ": the directory lies outside the container's root");
}

namespace {
using trace::Phase;

template <class F>
auto traced(const char *op, std::string args, FinishError::Stage stage, F &&f)
{
    trace::Scope step(Phase::Process, op, std::move(args));
    try {
        return f();
    } catch (const Error &e) {
        step.fail(e.code() ? e.code() : EINVAL);
        step.result(e.what());
        throw FinishError(e, stage);
    }
}
} // namespace

void joinNamespaces(const std::vector<NamespaceFd> &namespaces)
{
    for (const NamespaceFd &ns : namespaces) {
        if (ns.kind == NsKind::User)
            priv::setns(ns.fd, ns.kind, ns.path);
    }
    for (const NamespaceFd &ns : namespaces) {
        if (ns.kind != NsKind::User)
            priv::setns(ns.fd, ns.kind, ns.path);
    }
}

void finishProcess(const Process &p, const FinishSteps &steps)
{
    using Stage = FinishError::Stage;
    traced("close-on-exec", "fds from " + std::to_string(3 + steps.preserveFds), Stage::Setup,
           [&] { closeOnExecAbove(steps.preserveFds); });
    traced("setrlimit", std::to_string(p.rlimits.size()) + " limits", Stage::Setup,
           [&] { applyRlimits(p.rlimits); });
    if (p.oomScoreAdj)
        priv::setOomScoreAdj(*p.oomScoreAdj);
    traced("chdir", p.cwd, Stage::Setup, [&] { changeToCwd(p.cwd); });
    std::string exe = traced("find executable", p.args.front(), Stage::Find, [&] { return findExecutable(p); });
    if (steps.beforeUserSwitch)
        steps.beforeUserSwitch();
    // With no_new_privs the filter goes in last, so it need not allow the user
    // switch; without, the kernel asks for CAP_SYS_ADMIN, which only lasts until
    // the switch (runc orders it the same way).
    auto seccompStep = [&] {
        if (steps.seccomp)
            traced("seccomp", std::to_string(resolvedSyscallCount(*steps.seccomp)) + " syscalls in rules, default "
                       + steps.seccomp->defaultAction, Stage::Setup, [&] {
                       if (steps.seccompProgram)
                           loadSeccompProgram(*steps.seccompProgram, *steps.seccomp);
                       else
                           installSeccomp(*steps.seccomp);
                   });
    };
    if (!p.noNewPrivileges)
        seccompStep();
    traced("set user and capabilities", "uid " + std::to_string(p.uid) + " gid " + std::to_string(p.gid),
           Stage::Setup, [&] { switchUser(p, steps.setgroupsDenied, steps.warn); });
    if (p.noNewPrivileges)
        traced("prctl", "PR_SET_NO_NEW_PRIVS", Stage::Setup, [&] {
            check(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "set no_new_privs", "");
        });
    if (p.noNewPrivileges)
        seccompStep();
    if (steps.dieWithParent)
        steps.dieWithParent();
    if (steps.beforeExec)
        steps.beforeExec();
    try {
        execProcess(p, exe);
    } catch (const Error &e) {
        throw FinishError(e, Stage::Exec);
    }
}

} // namespace hood
