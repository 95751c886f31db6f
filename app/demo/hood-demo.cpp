// hood-demo's entry point: the command table, help, and the small parsers the
// commands share.
#include "demo.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>
#include <unistd.h>

namespace demo {

namespace {

struct Command {
    std::string_view name;
    int (*run)(Args);
    std::string_view usage;
    std::string_view help;
};

int cmdHelp(Args);

const Command kCommands[] = {
    {"mem", cmdMem, "mem SIZE [--seconds S]",
     "allocate SIZE (200M; K/M/G/T), touch every page, hold it until killed or for S s"},
    {"cpu", cmdCpu, "cpu N [--seconds S]",
     "run N busy threads until killed, or for S s and then print the CPU time used"},
    {"forkbomb", cmdForkBomb, "forkbomb",
     "while (1) fork(): every process forks for ever and retries a refused fork at once,\n"
     "      so at pids.max all of them spin; only a kill ends it (give the container a pids limit)"},
    {"forks", cmdForks, "forks N [--hold S]",
     "fork N waiting children, report failed forks and why, hold S s, kill and reap"},
    {"sleep", cmdSleep, "sleep [S] [--ignore-term]",
     "sleep S s or forever; --ignore-term: a stop must escalate to SIGKILL"},
    {"fds", cmdFds, "fds", "list the open file descriptors and what they point to"},
    {"whoami", cmdWhoami, "whoami",
     "uid/gid, groups, capabilities, hostname, pid, ppid and namespace inodes"},
    {"syscall", cmdSyscall, "syscall NAME | syscall ptrace PID",
     "make one syscall a default container may not (keyctl, bpf, perf_event_open, unshare-user, ...)\n"
     "      with harmless arguments and print the kernel's answer (EPERM: blocked)"},
    {"escape", cmdEscape, "escape",
     "the chroot escape: chroot into a subdirectory, walk .. up, chroot there; prints both roots"},
    {"exe-watch", cmdExeWatch, "exe-watch S",
     "for S s, catch the runtime's own binary passing through (CVE-2019-5736), then try to\n"
     "      open it for writing (never writes); prints caught: N, writable: N and hidden: N\n"
     "      (processes whose /proc/PID/exe it may not read)"},
    {"help", cmdHelp, "help", "this text"},
};

int cmdHelp(Args)
{
    std::printf("usage: hood-demo COMMAND [ARGS]\n\n"
                "A small static program for Hood's demos and tests. Output is \"key: value\"\n"
                "lines where it describes state.\n\ncommands:\n");
    for (const Command &c : kCommands)
        std::printf("  %.*s\n      %.*s\n", int(c.usage.size()), c.usage.data(), int(c.help.size()),
                    c.help.data());
    std::printf("\nexit codes: 0 done, 1 the system refused something (the message says what),\n"
                "2 bad command line. Killed by a signal: the shell shows 128+N.\n");
    return kExitOk;
}

const Command *findCommand(std::string_view name)
{
    for (const Command &c : kCommands) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

uint64_t suffixMultiplier(std::string suffix, const std::string &text)
{
    for (char &ch : suffix)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (suffix.size() > 1 && (suffix.substr(1) == "IB" || suffix.substr(1) == "B"))
        suffix.resize(1);
    static const std::string_view kUnits = "KMGT";
    if (suffix.empty() || suffix == "B")
        return 1;
    size_t pos = kUnits.find(suffix);
    if (suffix.size() != 1 || pos == std::string_view::npos)
        throw UsageError{"size '" + text + "': unknown unit (use K, M, G or T)"};
    return uint64_t(1) << (10 * (pos + 1));
}

} // namespace

uint64_t parseSize(const std::string &text)
{
    errno = 0;
    char *end = nullptr;
    double number = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || errno != 0 || !std::isfinite(number) || number <= 0)
        throw UsageError{"size '" + text + "': must be a positive size such as 200M"};
    double bytes = number * double(suffixMultiplier(end, text));
    if (bytes < 1 || bytes > 1e18)
        throw UsageError{"size '" + text + "': out of range"};
    return static_cast<uint64_t>(bytes);
}

double parseSeconds(const std::string &text)
{
    errno = 0;
    char *end = nullptr;
    double s = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || errno != 0 || !std::isfinite(s) || s < 0)
        throw UsageError{"seconds '" + text + "': must be a number >= 0"};
    return s;
}

long parseCount(const std::string &text, long min, long max, const std::string &what)
{
    errno = 0;
    char *end = nullptr;
    long n = std::strtol(text.c_str(), &end, 10);
    if (end == text.c_str() || *end != '\0' || errno != 0 || n < min || n > max)
        throw UsageError{what + " '" + text + "': must be a whole number from "
                         + std::to_string(min) + " to " + std::to_string(max)};
    return n;
}

std::optional<std::string> takeOption(Args &args, const std::string &name)
{
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i].rfind(name + "=", 0) == 0) {
            std::string value = args[i].substr(name.size() + 1);
            args.erase(args.begin() + long(i));
            return value;
        }
        if (args[i] != name)
            continue;
        if (i + 1 >= args.size())
            throw UsageError{name + " needs a value"};
        std::string value = args[i + 1];
        args.erase(args.begin() + long(i), args.begin() + long(i) + 2);
        return value;
    }
    return std::nullopt;
}

bool takeFlag(Args &args, const std::string &name)
{
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == name) {
            args.erase(args.begin() + long(i));
            return true;
        }
    }
    return false;
}

std::string errnoSentence(int err)
{
    const char *name = strerrorname_np(err);
    return std::string(std::strerror(err)) + " (" + (name ? name : std::to_string(err)) + ")";
}

void sleepFor(std::optional<double> seconds)
{
    if (!seconds) {
        for (;;)
            pause();
    }
    timespec left{};
    left.tv_sec = static_cast<time_t>(*seconds);
    left.tv_nsec = static_cast<long>((*seconds - double(left.tv_sec)) * 1e9);
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

} // namespace demo

int main(int argc, char **argv)
{
    // Line-buffered even into a pipe or a log file, so progress shows while it runs.
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    if (argc < 2) {
        demo::cmdHelp({});
        return demo::kExitUsage;
    }
    std::string name = argv[1];
    if (name == "--help" || name == "-h")
        name = "help";
    const demo::Command *command = demo::findCommand(name);
    if (!command) {
        std::fprintf(stderr, "hood-demo: unknown command '%s' (try: hood-demo help)\n",
                     name.c_str());
        return demo::kExitUsage;
    }
    try {
        return command->run(demo::Args(argv + 2, argv + argc));
    } catch (const demo::UsageError &e) {
        std::fprintf(stderr, "hood-demo %s: %s\nusage: hood-demo %.*s\n", name.c_str(),
                     e.message.c_str(), int(command->usage.size()), command->usage.data());
        return demo::kExitUsage;
    }
}
