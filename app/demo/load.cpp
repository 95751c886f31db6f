// The commands that put load on the kernel's limits: memory (cgroup memory limit,
// OOM killer), CPU (cgroup quota), forks (pids limit, RLIMIT_NPROC), and plain sleep.
#include "demo.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <map>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace demo {

namespace {

double monotonicSeconds(clockid_t clock)
{
    timespec ts{};
    clock_gettime(clock, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// Writing one byte per page is what makes the kernel really back the page (and charge
// it to the cgroup); an untouched mapping costs nothing.
void touchPages(char *base, uint64_t bytes)
{
    const uint64_t page = uint64_t(sysconf(_SC_PAGESIZE));
    const uint64_t step = bytes >= 10 * page ? bytes / 10 : bytes;
    for (uint64_t done = 0; done < bytes;) {
        uint64_t end = std::min(bytes, done + step);
        for (uint64_t at = done; at < end; at += page)
            base[at] = 1;
        done = end;
        std::printf("mem: touched %s of %s\n", formatBytes(done).c_str(),
                    formatBytes(bytes).c_str());
    }
}

std::string failureSummary(const std::map<int, long> &failures)
{
    std::string text;
    for (const auto &[err, count] : failures) {
        if (!text.empty())
            text += ", ";
        text += errnoSentence(err);
        if (failures.size() > 1)
            text += " x" + std::to_string(count);
    }
    return text;
}

[[noreturn]] void waitingChild(pid_t parent)
{
    // Die with the parent, so a killed hood-demo never leaves its children behind.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(0);
    for (;;)
        pause();
}

void killAndReap(const std::vector<pid_t> &children)
{
    for (pid_t child : children)
        kill(child, SIGKILL);
    for (pid_t child : children) {
        while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
}

} // namespace

int cmdMem(Args args)
{
    std::optional<std::string> seconds = takeOption(args, "--seconds");
    if (args.size() != 1)
        throw UsageError{"expected one size, e.g. mem 200M"};
    const uint64_t bytes = parseSize(args[0]);
    std::optional<double> hold;
    if (seconds)
        hold = parseSeconds(*seconds);

    void *base = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        std::fprintf(stderr, "hood-demo mem: mmap %s: %s\n", formatBytes(bytes).c_str(),
                     errnoSentence(errno).c_str());
        return kExitFailed;
    }
    std::printf("mem: allocating %s (pid %d)\n", formatBytes(bytes).c_str(), int(getpid()));
    touchPages(static_cast<char *>(base), bytes);
    std::printf("mem: holding %s %s\n", formatBytes(bytes).c_str(),
                hold ? ("for " + *seconds + " s").c_str() : "until killed");
    sleepFor(hold);
    munmap(base, bytes);
    std::printf("mem: released %s\n", formatBytes(bytes).c_str());
    return kExitOk;
}

int cmdCpu(Args args)
{
    std::optional<std::string> seconds = takeOption(args, "--seconds");
    if (args.size() != 1)
        throw UsageError{"expected a number of threads, e.g. cpu 2"};
    const long threads = parseCount(args[0], 1, 1024, "threads");
    std::optional<double> duration;
    if (seconds)
        duration = parseSeconds(*seconds);

    std::atomic<bool> stop{false};
    std::vector<std::thread> workers;
    for (long i = 0; i < threads; ++i) {
        workers.emplace_back([&stop] {
            volatile unsigned long spins = 0;
            while (!stop.load(std::memory_order_relaxed))
                spins = spins + 1;
        });
    }
    std::printf("cpu: %ld busy threads (pid %d)\n", threads, int(getpid()));
    const double wall0 = monotonicSeconds(CLOCK_MONOTONIC);
    sleepFor(duration);
    stop = true;
    for (std::thread &worker : workers)
        worker.join();
    const double wall = monotonicSeconds(CLOCK_MONOTONIC) - wall0;
    const double cpu = monotonicSeconds(CLOCK_PROCESS_CPUTIME_ID);
    std::printf("cpu: used %.2f s of CPU in %.2f s (%.0f %% of one core)\n", cpu, wall,
                wall > 0 ? 100 * cpu / wall : 0.0);
    return kExitOk;
}

int cmdForks(Args args)
{
    std::optional<std::string> holdText = takeOption(args, "--hold");
    if (args.size() != 1)
        throw UsageError{"expected a number of children, e.g. forks 100"};
    const long asked = parseCount(args[0], 1, 1000000, "children");
    const double hold = holdText ? parseSeconds(*holdText) : 0.0;

    const pid_t self = getpid();
    std::vector<pid_t> children;
    std::map<int, long> failures;
    for (long i = 0; i < asked; ++i) {
        pid_t pid = fork();
        if (pid == 0)
            waitingChild(self);
        if (pid < 0)
            ++failures[errno];
        else
            children.push_back(pid);
    }
    const long failed = asked - long(children.size());
    std::printf("forks: %ld asked, %zu started, %ld failed%s%s\n", asked, children.size(), failed,
                failed ? ": " : "", failureSummary(failures).c_str());
    if (hold > 0) {
        std::printf("forks: holding %zu children for %s s\n", children.size(), holdText->c_str());
        sleepFor(hold);
    }
    killAndReap(children);
    std::printf("forks: reaped %zu children\n", children.size());
    return kExitOk;
}

// The classic bomb, without a shell's habits (ash ends a shell whose fork fails, so
// its bomb dies out; bash waits between retries): parent and children alike fork
// in a loop and try again at once when the kernel refuses (EAGAIN at pids.max), so
// at the limit every process spins in fork(). Nothing exits, so no zombie holds a
// slot. Only SIGKILL of the container ends it.
int cmdForkBomb(Args args)
{
    if (!args.empty())
        throw UsageError{"takes no arguments"};
    std::printf("forkbomb: pid %d forks for ever\n", int(getpid()));
    std::fflush(stdout);
    for (;;)
        fork();
}

int cmdSleep(Args args)
{
    const bool ignoreTerm = takeFlag(args, "--ignore-term");
    if (args.size() > 1)
        throw UsageError{"expected at most one number of seconds"};
    std::optional<double> seconds;
    if (!args.empty())
        seconds = parseSeconds(args[0]);
    if (ignoreTerm)
        std::signal(SIGTERM, SIG_IGN);
    std::printf("sleep: pid %d, %s%s\n", int(getpid()),
                seconds ? (args[0] + " s").c_str() : "forever",
                ignoreTerm ? ", ignoring SIGTERM" : "");
    sleepFor(seconds);
    return kExitOk;
}

} // namespace demo
