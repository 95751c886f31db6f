#include "procfs.h"

#include "sys/fd.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <unistd.h>

namespace hood {

namespace {
// Field 22 of /proc/PID/stat, and field 3 (the state letter) in *state.
uint64_t readStat(pid_t pid, char *state)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    Fd fd(open(path, O_RDONLY | O_CLOEXEC));
    if (!fd)
        return 0;
    char buf[1024];
    ssize_t n = read(fd.get(), buf, sizeof buf - 1);
    fd.reset();
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    // comm (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const char *p = strrchr(buf, ')');
    if (!p)
        return 0;
    if (state && p[1] == ' ')
        *state = p[2];
    int field = 2;
    for (; *p && field < 22; ++p) {
        if (*p == ' ')
            ++field;
    }
    return strtoull(p, nullptr, 10);
}
} // namespace

uint64_t processStartTime(pid_t pid)
{
    return readStat(pid, nullptr);
}

bool processAlive(pid_t pid, uint64_t startTime)
{
    if (pid <= 0)
        return false;
    char state = '?';
    uint64_t now = readStat(pid, &state);
    // A zombie has ended: only its reaper (a monitor, conmon, a shim) has yet to see it.
    if (now == 0 || state == 'Z' || state == 'X')
        return false;
    return startTime == 0 || now == startTime;
}

namespace {
struct SignalRow {
    int number;
    std::string_view name;
};
constexpr std::array<SignalRow, 31> kSignals = {{
    {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},       {SIGQUIT, "SIGQUIT"}, {SIGILL, "SIGILL"},
    {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"},     {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
    {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"},     {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
    {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"},     {SIGTERM, "SIGTERM"}, {SIGSTKFLT, "SIGSTKFLT"},
    {SIGCHLD, "SIGCHLD"}, {SIGCONT, "SIGCONT"},     {SIGSTOP, "SIGSTOP"}, {SIGTSTP, "SIGTSTP"},
    {SIGTTIN, "SIGTTIN"}, {SIGTTOU, "SIGTTOU"},     {SIGURG, "SIGURG"},   {SIGXCPU, "SIGXCPU"},
    {SIGXFSZ, "SIGXFSZ"}, {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}, {SIGWINCH, "SIGWINCH"},
    {SIGIO, "SIGIO"},     {SIGPWR, "SIGPWR"},       {SIGSYS, "SIGSYS"},
}};
} // namespace

std::string signalName(int sig)
{
    for (const SignalRow &row : kSignals) {
        if (row.number == sig)
            return std::string(row.name);
    }
    return "signal " + std::to_string(sig);
}

int signalNumber(const std::string &name)
{
    if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) {
        int n = atoi(name.c_str());
        return n > 0 && n < 65 ? n : 0;
    }
    std::string full = name.rfind("SIG", 0) == 0 ? name : "SIG" + name;
    for (const SignalRow &row : kSignals) {
        if (row.name == full)
            return row.number;
    }
    return 0;
}

} // namespace hood
