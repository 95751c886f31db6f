// Seccomp filters: OCI linux.seccomp and Docker's profile format, parsed and resolved
// as moby's profiles/seccomp/seccomp_linux.go (setupSeccomp) does.
#include "seccomp.h"
#include "spec_rules.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sys/utsname.h>

namespace hood {

namespace {

using Json = nlohmann::ordered_json;

const std::vector<std::string_view> kOps = {
    "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
    "SCMP_CMP_MASKED_EQ"};

std::string oneOf(const std::vector<std::string_view> &names)
{
    std::string rule = "must be one of ";
    for (std::string_view n : names)
        rule.append(n).append(", ");
    rule.resize(rule.size() - 2);
    return rule;
}

std::string at(const std::string &path, std::string_view key)
{
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// The fields of one JSON object, read by key; what is left over is reported.
class Reader {
public:
    Reader(std::string_view source, std::vector<std::string> &warnings)
        : m_source(source), m_warnings(warnings) {}

    [[noreturn]] void fail(const std::string &path, std::string_view what) const
    {
        rules::fail(m_source, path, what);
    }
    void requireObject(const Json &j, const std::string &path) const
    {
        if (!j.is_object())
            fail(path, path.empty() ? "must be a JSON object" : "must be an object");
    }
    void unknownKeys(const Json &j, const std::string &path, std::initializer_list<std::string_view> known,
                     std::initializer_list<std::string_view> quiet = {})
    {
        for (const auto &[key, value] : j.items()) {
            auto has = [&key = key](std::initializer_list<std::string_view> l) {
                return std::find(l.begin(), l.end(), key) != l.end();
            };
            if (!has(known) && !has(quiet))
                m_warnings.push_back(std::string(m_source) + ": unknown field " + at(path, key) + " ignored");
        }
    }
    std::string string(const Json &j, const std::string &path, std::string_view key) const
    {
        auto it = j.find(key);
        if (it == j.end() || it->is_null())
            return {};
        if (!it->is_string())
            fail(at(path, key), "must be a string");
        return it->get<std::string>();
    }
    std::vector<std::string> strings(const Json &j, const std::string &path, std::string_view key) const
    {
        auto it = j.find(key);
        if (it == j.end() || it->is_null())
            return {};
        if (!it->is_array() || !std::all_of(it->begin(), it->end(), [](const Json &s) { return s.is_string(); }))
            fail(at(path, key), "must be an array of strings");
        return it->get<std::vector<std::string>>();
    }
    std::optional<uint64_t> number(const Json &j, const std::string &path, std::string_view key, uint64_t max,
                                   std::string_view rule) const
    {
        auto it = j.find(key);
        if (it == j.end() || it->is_null())
            return std::nullopt;
        if (!it->is_number_unsigned() || it->get<uint64_t>() > max)
            fail(at(path, key), rule);
        return it->get<uint64_t>();
    }
    const Json *array(const Json &j, const std::string &path, std::string_view key) const
    {
        auto it = j.find(key);
        if (it == j.end() || it->is_null())
            return nullptr;
        if (!it->is_array())
            fail(at(path, key), "must be an array of objects");
        return &*it;
    }

    std::string action(const Json &j, const std::string &path, std::string_view key, bool required) const
    {
        std::string a = string(j, path, key);
        if (a.empty() && !required)
            return a;
        static const std::string kRule = [] {
            std::vector<std::string_view> names;
            for (const SeccompActionInfo &i : seccompActions())
                names.push_back(i.name);
            return oneOf(names);
        }();
        auto known = std::find_if(seccompActions().begin(), seccompActions().end(),
                                  [&](const SeccompActionInfo &i) { return i.name == a; });
        if (known == seccompActions().end())
            fail(at(path, key), a.empty() ? "required field missing" : kRule);
        if (a == "SCMP_ACT_NOTIFY")
            fail(at(path, key), "SCMP_ACT_NOTIFY needs a seccomp agent, which Hood does not have");
        return a;
    }

    SeccompArg arg(const Json &j, const std::string &path) const
    {
        requireObject(j, path);
        SeccompArg a;
        a.index = static_cast<uint32_t>(number(j, path, "index", 5, "must be an argument number from 0 to 5").value_or(0));
        constexpr std::string_view kValue = "must be an integer from 0 to 18446744073709551615";
        a.value = number(j, path, "value", UINT64_MAX, kValue).value_or(0);
        a.valueTwo = number(j, path, "valueTwo", UINT64_MAX, kValue).value_or(0);
        a.op = string(j, path, "op");
        if (!isSeccompOp(a.op))
            fail(at(path, "op"), oneOf(kOps));
        return a;
    }

    SeccompSyscall syscall(const Json &j, const std::string &path, bool docker) const
    {
        requireObject(j, path);
        SeccompSyscall s;
        s.names = strings(j, path, "names");
        if (docker) {
            std::string name = string(j, path, "name");
            if (!name.empty() && !s.names.empty())
                fail(path, "give either name or names, not both");
            if (!name.empty())
                s.names = {name};
        }
        if (s.names.empty())
            fail(at(path, "names"), "must list at least one syscall");
        s.action = action(j, path, "action", true);
        if (auto e = number(j, path, "errnoRet", 4095, "must be an errno number from 0 to 4095"))
            s.errnoRet = static_cast<uint32_t>(*e);
        if (const Json *args = array(j, path, "args")) {
            for (size_t i = 0; i < args->size(); ++i)
                s.args.push_back(arg((*args)[i], at(path, "args") + "[" + std::to_string(i) + "]"));
        }
        return s;
    }

    void top(const Json &j, const std::string &path, Seccomp &s) const
    {
        requireObject(j, path);
        s.defaultAction = action(j, path, "defaultAction", true);
        if (auto e = number(j, path, "defaultErrnoRet", 4095, "must be an errno number from 0 to 4095"))
            s.defaultErrnoRet = static_cast<uint32_t>(*e);
        s.architectures = strings(j, path, "architectures");
        for (size_t i = 0; i < s.architectures.size(); ++i) {
            if (s.architectures[i].rfind("SCMP_ARCH_", 0) != 0)
                fail(at(path, "architectures") + "[" + std::to_string(i) + "]", "must be an SCMP_ARCH_ name");
        }
        s.flags = strings(j, path, "flags");
        if (!string(j, path, "listenerPath").empty())
            fail(at(path, "listenerPath"), "a seccomp agent is not supported by Hood");
    }

    std::string_view m_source;
    std::vector<std::string> &m_warnings;
};

Json parseText(std::string_view text, std::string_view source)
{
    try {
        return Json::parse(text);
    } catch (const nlohmann::json::exception &e) {
        // Like config.json's messages, without the echo of possibly binary input.
        std::string what = e.what();
        size_t dash = what.find(" - ");
        std::string problem = dash == std::string::npos ? what : what.substr(dash + 3);
        size_t lastRead = problem.find("; last read");
        if (lastRead != std::string::npos)
            problem.resize(lastRead);
        throw Error(std::string(source) + ": not valid JSON: " + problem);
    }
}

// Docker's includes/excludes conditions.
struct Condition {
    std::vector<std::string> caps, arches;
    std::string minKernel;
    bool empty() const { return caps.empty() && arches.empty() && minKernel.empty(); }
};

Condition condition(const Reader &r, const Json &j, const std::string &path)
{
    Condition c;
    auto it = j.find(path.substr(path.rfind('.') + 1));
    if (it == j.end() || it->is_null())
        return c;
    r.requireObject(*it, path);
    c.caps = r.strings(*it, path, "caps");
    c.arches = r.strings(*it, path, "arches");
    c.minKernel = r.string(*it, path, "minKernel");
    return c;
}

// "6.1.0-13-amd64" >= "4.8": compares major, then minor.
bool kernelAtLeast(const std::string &kernel, const std::string &min)
{
    int kMajor = 0, kMinor = 0, mMajor = 0, mMinor = 0;
    std::sscanf(kernel.c_str(), "%d.%d", &kMajor, &kMinor);
    if (std::sscanf(min.c_str(), "%d.%d", &mMajor, &mMinor) < 1)
        return false;
    return kMajor != mMajor ? kMajor > mMajor : kMinor >= mMinor;
}

bool contains(const std::vector<std::string> &list, const std::string &v)
{
    return std::find(list.begin(), list.end(), v) != list.end();
}

// setupSeccomp's loop: excludes skip a rule if any condition holds; includes keep
// it only if all hold.
bool ruleApplies(const Condition &inc, const Condition &exc, const SeccompTarget &t)
{
    if (!exc.arches.empty() && contains(exc.arches, t.arch))
        return false;
    for (const std::string &c : exc.caps) {
        if (contains(t.capabilities, c))
            return false;
    }
    if (!exc.minKernel.empty() && kernelAtLeast(t.kernel, exc.minKernel))
        return false;
    if (!inc.arches.empty() && !contains(inc.arches, t.arch))
        return false;
    for (const std::string &c : inc.caps) {
        if (!contains(t.capabilities, c))
            return false;
    }
    if (!inc.minKernel.empty() && !kernelAtLeast(t.kernel, inc.minKernel))
        return false;
    return true;
}

// Go's architecture names (as in archMap's includes) -> libseccomp's.
const std::map<std::string, std::string> &nativeToSeccomp()
{
    static const std::map<std::string, std::string> m = {
        {"x86", "SCMP_ARCH_X86"},         {"amd64", "SCMP_ARCH_X86_64"},
        {"arm", "SCMP_ARCH_ARM"},         {"arm64", "SCMP_ARCH_AARCH64"},
        {"mips64", "SCMP_ARCH_MIPS64"},   {"mipsel64", "SCMP_ARCH_MIPSEL64"},
        {"ppc64le", "SCMP_ARCH_PPC64LE"}, {"riscv64", "SCMP_ARCH_RISCV64"},
        {"s390x", "SCMP_ARCH_S390X"},     {"s390", "SCMP_ARCH_S390"},
        {"loongarch64", "SCMP_ARCH_LOONGARCH64"}};
    return m;
}

} // namespace

const std::vector<SeccompActionInfo> &seccompActions()
{
    static const std::vector<SeccompActionInfo> actions = {
        {"SCMP_ACT_ALLOW", "the call runs"},
        {"SCMP_ACT_ERRNO", "the call fails with an errno (EPERM unless errnoRet says)"},
        {"SCMP_ACT_KILL", "the thread is killed (SIGSYS)"},
        {"SCMP_ACT_KILL_THREAD", "the thread is killed (SIGSYS)"},
        {"SCMP_ACT_KILL_PROCESS", "the whole process is killed (SIGSYS)"},
        {"SCMP_ACT_TRAP", "the thread gets SIGSYS and may handle it"},
        {"SCMP_ACT_TRACE", "a ptrace tracer is told; without one the call fails with ENOSYS"},
        {"SCMP_ACT_LOG", "the call runs and is logged"},
        {"SCMP_ACT_NOTIFY", "a user-space agent decides (not supported by Hood)"},
    };
    return actions;
}

bool isSeccompOp(std::string_view op)
{
    return std::find(kOps.begin(), kOps.end(), op) != kOps.end();
}

Seccomp seccompFromJson(const Json &j, std::string_view source, const std::string &path,
                        std::vector<std::string> &warnings)
{
    Reader r(source, warnings);
    Seccomp s;
    r.top(j, path, s);
    r.unknownKeys(j, path, {"defaultAction", "defaultErrnoRet", "architectures", "flags", "syscalls",
                            "listenerPath", "listenerMetadata"});
    if (const Json *calls = r.array(j, path, "syscalls")) {
        for (size_t i = 0; i < calls->size(); ++i) {
            std::string p = at(path, "syscalls") + "[" + std::to_string(i) + "]";
            s.syscalls.push_back(r.syscall((*calls)[i], p, false));
            r.unknownKeys((*calls)[i], p, {"names", "action", "errnoRet", "args"});
        }
    }
    return s;
}

Json seccompToJson(const Seccomp &s)
{
    Json j;
    j["defaultAction"] = s.defaultAction;
    if (s.defaultErrnoRet)
        j["defaultErrnoRet"] = *s.defaultErrnoRet;
    if (!s.architectures.empty())
        j["architectures"] = s.architectures;
    if (!s.flags.empty())
        j["flags"] = s.flags;
    Json calls = Json::array();
    for (const SeccompSyscall &c : s.syscalls) {
        Json call;
        call["names"] = c.names;
        call["action"] = c.action;
        if (c.errnoRet)
            call["errnoRet"] = *c.errnoRet;
        if (!c.args.empty()) {
            Json args = Json::array();
            for (const SeccompArg &a : c.args)
                args.push_back({{"index", a.index}, {"value", a.value}, {"valueTwo", a.valueTwo}, {"op", a.op}});
            call["args"] = args;
        }
        calls.push_back(call);
    }
    j["syscalls"] = calls;
    return j;
}

SeccompTarget hostSeccompTarget(std::vector<std::string> capabilities)
{
    SeccompTarget t;
    t.capabilities = std::move(capabilities);
#if defined(__x86_64__)
    t.arch = "amd64";
#elif defined(__aarch64__)
    t.arch = "arm64";
#elif defined(__i386__)
    t.arch = "x86";
#elif defined(__arm__)
    t.arch = "arm";
#elif defined(__riscv) && __riscv_xlen == 64
    t.arch = "riscv64";
#elif defined(__s390x__)
    t.arch = "s390x";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    t.arch = "ppc64le";
#endif
    utsname u {};
    if (uname(&u) == 0)
        t.kernel = u.release;
    return t;
}

Seccomp seccompFromDockerProfile(std::string_view text, const SeccompTarget &target, std::string_view source)
{
    std::vector<std::string> ignored; // a profile's extra keys (comments) are common and harmless
    Reader r(source, ignored);
    Json j = parseText(text, source);
    Seccomp s;
    r.top(j, "", s);
    const Json *archMap = r.array(j, "", "archMap");
    if (archMap && !s.architectures.empty())
        r.fail("", "give either architectures or archMap, not both");
    auto native = nativeToSeccomp().find(target.arch);
    for (size_t i = 0; archMap && i < archMap->size(); ++i) {
        std::string p = "archMap[" + std::to_string(i) + "]";
        r.requireObject((*archMap)[i], p);
        std::string arch = r.string((*archMap)[i], p, "architecture");
        const std::vector<std::string> subs = r.strings((*archMap)[i], p, "subArchitectures");
        // The names linux.seccomp.architectures takes, so that what is accepted here
        // reads back from config.json (fuzz_seccomp found a sub-architecture that did not).
        if (arch.rfind("SCMP_ARCH_", 0) != 0)
            r.fail(p + ".architecture", "must be an SCMP_ARCH_ name");
        for (size_t k = 0; k < subs.size(); ++k) {
            if (subs[k].rfind("SCMP_ARCH_", 0) != 0)
                r.fail(p + ".subArchitectures[" + std::to_string(k) + "]", "must be an SCMP_ARCH_ name");
        }
        if (native != nativeToSeccomp().end() && arch == native->second) {
            s.architectures.push_back(arch);
            s.architectures.insert(s.architectures.end(), subs.begin(), subs.end());
        }
    }
    if (const Json *calls = r.array(j, "", "syscalls")) {
        for (size_t i = 0; i < calls->size(); ++i) {
            std::string p = "syscalls[" + std::to_string(i) + "]";
            SeccompSyscall call = r.syscall((*calls)[i], p, true);
            Condition inc = condition(r, (*calls)[i], p + ".includes");
            Condition exc = condition(r, (*calls)[i], p + ".excludes");
            if (ruleApplies(inc, exc, target))
                s.syscalls.push_back(std::move(call));
        }
    }
    return s;
}

// Embedded at build time from core/spec/seccomp_default.json (see CMakeLists.txt).
extern const char kDockerDefaultSeccompJson[];

std::string_view dockerDefaultSeccompProfile()
{
    return kDockerDefaultSeccompJson;
}

Seccomp dockerDefaultSeccomp(const SeccompTarget &target)
{
    return seccompFromDockerProfile(dockerDefaultSeccompProfile(), target, "Docker's default seccomp profile");
}

SeccompSummary summarizeSeccomp(const Seccomp &s)
{
    std::set<std::string> allowed, conditional, other;
    for (const SeccompSyscall &c : s.syscalls) {
        for (const std::string &n : c.names) {
            if (c.action == "SCMP_ACT_ALLOW" && c.args.empty())
                allowed.insert(n);
            else if (c.action == "SCMP_ACT_ALLOW")
                conditional.insert(n);
            else
                other.insert(n);
        }
    }
    SeccompSummary sum;
    for (const std::string &n : conditional) {
        if (!allowed.count(n))
            ++sum.conditional;
    }
    sum.allowed = allowed.size();
    sum.other = other.size();
    if (s.defaultAction == "SCMP_ACT_ALLOW")
        return sum;
    // Calls that break out of a container or reach the whole machine when allowed.
    static const std::vector<std::string> kNotable = {
        "add_key", "bpf", "clone3", "delete_module", "finit_module", "init_module", "iopl", "ioperm",
        "kexec_load", "keyctl", "mount", "move_mount", "open_by_handle_at", "perf_event_open",
        "pivot_root", "ptrace", "reboot", "request_key", "setns", "swapon", "umount2", "unshare",
        "userfaultfd"};
    for (const std::string &n : kNotable) {
        if (!allowed.count(n) && !conditional.count(n))
            sum.notableBlocked.push_back(n);
    }
    return sum;
}

} // namespace hood
