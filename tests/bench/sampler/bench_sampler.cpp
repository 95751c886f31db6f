// bench-sampler STATE_ROOT [--ticks N] [--cat-ticks N] [--cgtop-runs N]
//
// The median cost of one sampling tick over every running container under
// STATE_ROOT (all their usage files, through one CgroupSampler each, files kept
// open and re-read with pread), compared in the same run with reading the same
// files the way a shell script would (one `cat` per file: fork + exec + read)
// and with `systemd-cgtop -n1` where it is installed. tests/bench/sampler.sh
// starts the containers and runs this.
#include "cgroups/sampler.h"
#include "error.h"
#include "runtime/runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace {

using Clock = std::chrono::steady_clock;

struct Stats {
    double median = 0; // µs
    double p10 = 0;
    double p90 = 0;
    size_t runs = 0;
};

Stats timeRuns(size_t runs, size_t warmup, const std::function<void()> &once)
{
    for (size_t i = 0; i < warmup; ++i)
        once();
    std::vector<double> us;
    for (size_t i = 0; i < runs; ++i) {
        auto start = Clock::now();
        once();
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    std::sort(us.begin(), us.end());
    auto at = [&](double q) {
        return us[static_cast<size_t>(q * static_cast<double>(us.size() - 1))];
    };
    return {at(0.5), at(0.1), at(0.9), runs};
}

// Runs argv with stdout into a pipe that is read to the end, as $(cat f) does.
// Returns false when it could not run or did not exit 0.
bool runAndRead(const std::vector<std::string> &argv)
{
    int out[2];
    if (pipe2(out, O_CLOEXEC) < 0)
        return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    // posix_spawnp forks (vfork-like in glibc) and execs, like a shell does.
    int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    char buf[65536];
    while (rc == 0 && read(out[0], buf, sizeof buf) > 0) {
    }
    close(out[0]);
    int status = 0;
    if (rc != 0 || waitpid(pid, &status, 0) < 0)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool onPath(const std::string &program)
{
    const char *path = getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        std::string dir =
            dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (access((dir + "/" + program).c_str(), X_OK) == 0)
            return true;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return false;
}

size_t argValue(int argc, char **argv, const char *flag, size_t fallback)
{
    for (int i = 2; i + 1 < argc; ++i) {
        if (strcmp(argv[i], flag) == 0)
            return static_cast<size_t>(std::strtoul(argv[i + 1], nullptr, 10));
    }
    return fallback;
}

// containers == 0: the figure is not per container (systemd-cgtop reads every
// cgroup of the machine, not only ours).
void printLine(const char *what, const Stats &s, size_t containers, const char *unit,
               double baseline)
{
    std::printf("%-34s median %9.1f µs %s (p10 %9.1f, p90 %9.1f; %zu runs)", what, s.median, unit,
                s.p10, s.p90, s.runs);
    if (containers)
        std::printf(" = %8.1f µs per container", s.median / static_cast<double>(containers));
    if (baseline > 0)
        std::printf("; %.0fx the sampler's tick", s.median / baseline);
    std::printf("\n");
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(
            stderr,
            "usage: bench-sampler STATE_ROOT [--ticks N] [--cat-ticks N] [--cgtop-runs N]\n");
        return 2;
    }
    try {
        hood::Runtime runtime(argv[1]);
        std::vector<hood::CgroupSampler> samplers;
        std::vector<std::string> files;
        for (const hood::ContainerInfo &c : runtime.list()) {
            if (c.status != hood::Status::Running || c.state.cgroupPaths.empty())
                continue;
            samplers.emplace_back(c.state.cgroupPaths, hood::detectCgroupMode());
            for (const std::string &f : samplers.back().files())
                files.push_back(f);
        }
        if (samplers.empty()) {
            std::fprintf(stderr, "bench-sampler: no running container with a cgroup under %s\n",
                         argv[1]);
            return 1;
        }
        const size_t n = samplers.size();
        std::printf("%zu containers, cgroup %s, %zu files per tick (%zu per container)\n", n,
                    hood::cgroupModeName(samplers.front().mode()), files.size(), files.size() / n);

        Stats sampler = timeRuns(argValue(argc, argv, "--ticks", 2000), 100, [&] {
            for (hood::CgroupSampler &s : samplers)
                s.sample();
        });
        printLine("CgroupSampler (pread, files open)", sampler, n, "per tick", 0);

        Stats cat = timeRuns(argValue(argc, argv, "--cat-ticks", 20), 2, [&] {
            for (const std::string &f : files) {
                if (!runAndRead({"cat", f}))
                    throw hood::Error("cat " + f + " failed");
            }
        });
        printLine("cat, one fork+exec per file", cat, n, "per tick", sampler.median);

        if (onPath("systemd-cgtop")) {
            Stats cgtop = timeRuns(argValue(argc, argv, "--cgtop-runs", 10), 1, [&] {
                if (!runAndRead({"systemd-cgtop", "-n1", "--batch"}))
                    throw hood::Error("systemd-cgtop -n1 --batch failed");
            });
            printLine("systemd-cgtop -n1 (every cgroup)", cgtop, 0, "per run ", sampler.median);
        } else {
            std::printf("systemd-cgtop: not installed here, not compared\n");
        }
        double perContainer = sampler.median / static_cast<double>(n);
        std::printf("goal: <= 200 µs per container per tick: %s (%.1f µs); at 20 Hz over these %zu "
                    "containers: %.2f %% of one core\n",
                    perContainer <= 200 ? "met" : "NOT met", perContainer, n,
                    sampler.median * 20 / 1e4);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench-sampler: %s\n", e.what());
        return 1;
    }
    return 0;
}
