#include "seccompfilter.h"

#include "error.h"
#include "sys/fd.h"
#include "sys/fileio.h"

#include <cerrno>
#include <memory>
#include <seccomp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace hood {

namespace {

using Ctx = std::unique_ptr<void, decltype(&seccomp_release)>;

uint32_t actionOf(const std::string &name, std::optional<uint32_t> errnoRet)
{
    const uint32_t err = errnoRet.value_or(EPERM);
    if (name == "SCMP_ACT_ALLOW")
        return SCMP_ACT_ALLOW;
    if (name == "SCMP_ACT_ERRNO")
        return SCMP_ACT_ERRNO(err);
    if (name == "SCMP_ACT_KILL" || name == "SCMP_ACT_KILL_THREAD")
        return SCMP_ACT_KILL_THREAD;
    if (name == "SCMP_ACT_KILL_PROCESS")
        return SCMP_ACT_KILL_PROCESS;
    if (name == "SCMP_ACT_TRAP")
        return SCMP_ACT_TRAP;
    if (name == "SCMP_ACT_TRACE")
        return SCMP_ACT_TRACE(errnoRet.value_or(ENOSYS));
    if (name == "SCMP_ACT_LOG")
        return SCMP_ACT_LOG;
    throw Error("seccomp: action " + name + " is not supported");
}

scmp_compare opOf(const std::string &op)
{
    static const std::pair<const char *, scmp_compare> ops[] = {
        {"SCMP_CMP_NE", SCMP_CMP_NE}, {"SCMP_CMP_LT", SCMP_CMP_LT}, {"SCMP_CMP_LE", SCMP_CMP_LE},
        {"SCMP_CMP_EQ", SCMP_CMP_EQ}, {"SCMP_CMP_GE", SCMP_CMP_GE}, {"SCMP_CMP_GT", SCMP_CMP_GT},
        {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ}};
    for (const auto &[name, value] : ops) {
        if (op == name)
            return value;
    }
    throw Error("seccomp: comparison " + op + " is not supported");
}

// "SCMP_ARCH_X86_64" -> libseccomp's "x86_64".
uint32_t archOf(const std::string &name)
{
    std::string lower;
    for (char c : name.substr(name.rfind("SCMP_ARCH_", 0) == 0 ? 10 : 0))
        lower += static_cast<char>(tolower(static_cast<unsigned char>(c)));
    uint32_t arch = seccomp_arch_resolve_name(lower.c_str());
    if (arch == 0)
        throw Error("seccomp: unknown architecture " + name);
    return arch;
}

void addArchitectures(scmp_filter_ctx ctx, const std::vector<std::string> &names)
{
    for (const std::string &name : names) {
        int rc = seccomp_arch_add(ctx, archOf(name));
        if (rc < 0 && rc != -EEXIST) // the native one is there already
            throw Error::sys("seccomp: add architecture", name, -rc);
    }
}

std::vector<scmp_arg_cmp> comparisons(const std::vector<SeccompArg> &args)
{
    std::vector<scmp_arg_cmp> out;
    for (const SeccompArg &a : args)
        out.push_back({a.index, opOf(a.op), a.value, a.valueTwo});
    return out;
}

// libseccomp takes one comparison per argument in a rule. When a rule compares
// the same argument twice, each comparison becomes a rule of its own (an OR), as
// runc does.
bool repeatsAnArgument(const std::vector<SeccompArg> &args)
{
    std::set<uint32_t> seen;
    for (const SeccompArg &a : args) {
        if (!seen.insert(a.index).second)
            return true;
    }
    return false;
}

void addRule(scmp_filter_ctx ctx, uint32_t action, int nr, const std::string &name,
             const std::vector<scmp_arg_cmp> &cmps)
{
    // seccomp_rule_add_array resolves the number per architecture of the filter.
    int rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned>(cmps.size()), cmps.data());
    if (rc < 0)
        throw Error::sys("seccomp: add rule for", name, -rc);
}

void addSyscall(scmp_filter_ctx ctx, const SeccompSyscall &call, uint32_t defaultAction,
                std::optional<uint32_t> defaultErrno)
{
    const uint32_t action = actionOf(call.action, call.errnoRet ? call.errnoRet : defaultErrno);
    if (action == defaultAction)
        return; // libseccomp refuses a rule that changes nothing
    for (const std::string &name : call.names) {
        int nr = seccomp_syscall_resolve_name(name.c_str());
        if (nr == __NR_SCMP_ERROR)
            continue; // not a syscall this libseccomp knows: skipped, as runc does
        if (repeatsAnArgument(call.args)) {
            for (const SeccompArg &a : call.args)
                addRule(ctx, action, nr, name, comparisons({a}));
        } else {
            addRule(ctx, action, nr, name, comparisons(call.args));
        }
    }
}

Ctx build(const Seccomp &s)
{
    const uint32_t defaultAction = actionOf(s.defaultAction, s.defaultErrnoRet);
    Ctx ctx(seccomp_init(defaultAction), seccomp_release);
    if (!ctx)
        throw Error("seccomp: cannot start a filter with default action " + s.defaultAction);
    // no_new_privs is the spec's to decide (process.noNewPrivileges), not libseccomp's.
    seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0);
    for (const std::string &flag : s.flags) {
        if (flag == "SECCOMP_FILTER_FLAG_LOG")
            seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_LOG, 1);
        else if (flag == "SECCOMP_FILTER_FLAG_SPEC_ALLOW")
            seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_SSB, 1);
    }
    addArchitectures(ctx.get(), s.architectures);
    for (const SeccompSyscall &call : s.syscalls)
        addSyscall(ctx.get(), call, defaultAction, std::nullopt);
    return ctx;
}

} // namespace

std::string compileSeccomp(const Seccomp &s)
{
    Ctx ctx = build(s);
    Fd mem(static_cast<int>(memfd_create("hood-seccomp", MFD_CLOEXEC)));
    if (!mem)
        throw Error::sys("memfd_create", "seccomp program", errno);
    int rc = seccomp_export_bpf(ctx.get(), mem.get());
    if (rc < 0)
        throw Error::sys("seccomp: export the filter", "", -rc);
    std::string program;
    if (!preadAll(mem.get(), program))
        throw Error::sys("read", "seccomp program", errno);
    return program;
}

std::string cachedSeccompProgram(const Seccomp &s, const std::string &cacheDir)
{
    const scmp_version *v = seccomp_version();
    const std::string key = seccompToJson(s).dump() + "\nlibseccomp " + std::to_string(v->major) + "."
                          + std::to_string(v->minor) + "." + std::to_string(v->micro) + "\n";
    char name[32];
    snprintf(name, sizeof name, "%016zx.bpf", std::hash<std::string> {}(key));
    const std::string path = cacheDir + "/" + name;
    if (std::optional<std::string> stored = readFileIfExists(path)) {
        if (stored->size() > key.size() && stored->compare(0, key.size(), key) == 0
            && (stored->size() - key.size()) % sizeof(sock_filter) == 0)
            return stored->substr(key.size());
    }
    std::string program = compileSeccomp(s);
    try {
        if (mkdir(cacheDir.c_str(), 0700) < 0 && errno != EEXIST)
            throw Error::sys("mkdir", cacheDir, errno);
        // A name of our own for the temporary file: two runs may fill the same entry.
        const std::string tmp = path + "." + std::to_string(getpid()) + ".tmp";
        writeNewFile(tmp, key + program);
        if (rename(tmp.c_str(), path.c_str()) < 0) {
            unlink(tmp.c_str());
            throw Error::sys("rename", tmp, errno);
        }
    } catch (const Error &) {
        // A cache that cannot be written costs time, nothing else.
    }
    return program;
}

void loadSeccompProgram(std::string_view program, const Seccomp &s)
{
    if (program.empty() || program.size() % sizeof(sock_filter) != 0)
        throw Error("load seccomp filter: the compiled program is damaged");
    unsigned flags = 0;
    for (const std::string &f : s.flags) {
        if (f == "SECCOMP_FILTER_FLAG_LOG")
            flags |= SECCOMP_FILTER_FLAG_LOG;
        else if (f == "SECCOMP_FILTER_FLAG_SPEC_ALLOW")
            flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
    }
    sock_fprog prog {};
    prog.len = static_cast<unsigned short>(program.size() / sizeof(sock_filter));
    prog.filter = reinterpret_cast<sock_filter *>(const_cast<char *>(program.data()));
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) < 0)
        throw Error::sys("load seccomp filter", "", errno);
}

void installSeccomp(const Seccomp &s)
{
    Ctx ctx = build(s);
    int rc = seccomp_load(ctx.get());
    if (rc < 0)
        throw Error::sys("load seccomp filter", "", -rc);
}

size_t resolvedSyscallCount(const Seccomp &s)
{
    std::set<int> numbers;
    for (const SeccompSyscall &call : s.syscalls) {
        for (const std::string &name : call.names) {
            int nr = seccomp_syscall_resolve_name(name.c_str());
            if (nr != __NR_SCMP_ERROR)
                numbers.insert(nr);
        }
    }
    return numbers.size();
}

std::vector<std::string> nativeSyscallNames()
{
    // Syscall numbers are dense from 0 on x86_64 and arm64 (a few holes); 1024 is
    // past the last number any architecture uses today.
    std::vector<std::string> names;
    for (int nr = 0; nr < 1024; ++nr) {
        std::unique_ptr<char, decltype(&free)> name(seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr), &free);
        if (name)
            names.emplace_back(name.get());
    }
    return names;
}

} // namespace hood
