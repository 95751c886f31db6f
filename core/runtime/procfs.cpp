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

ProcStat readProcStat(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    Fd fd(open(path, O_RDONLY | O_CLOEXEC));
    if (!fd)
        return {};
    char buf[1024];
    ssize_t n = read(fd.get(), buf, sizeof buf - 1);
    fd.reset();
    if (n <= 0)
        return {};
    buf[n] = '\0';
    return parseProcStat(buf);
}

ProcStat parseProcStat(std::string_view text)
{
    // comm (field 2) may hold spaces and parentheses: count fields after the last ')'.
    size_t close = text.rfind(')');
    if (close == std::string_view::npos || close + 2 >= text.size())
        return {};
    ProcStat st;
    st.state = text[close + 2]; // field 3
    int field = 2;
    size_t i = close + 1;
    for (; i < text.size() && field < 22; ++i) {
        if (text[i] == ' ')
            ++field;
    }
    std::string rest(text.substr(i, 24));
    st.startTime = strtoull(rest.c_str(), nullptr, 10);
    return st;
}

uint64_t processStartTime(pid_t pid)
{
    return readProcStat(pid).startTime;
}

bool processAlive(pid_t pid, uint64_t startTime)
{
    if (pid <= 0)
        return false;
    ProcStat st = readProcStat(pid);
    if (st.startTime == 0)
        return false;
    // A zombie (Z) or a dying task (X) has exited: only its parent's wait is
    // missing, and a slow reaper (a CI container's pid 1) must not keep a dead
    // container "running" or its cgroups and state from gc.
    if (st.state == 'Z' || st.state == 'X')
        return false;
    return startTime == 0 || st.startTime == startTime;
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
