// hood-demo exe-watch S: the CVE-2019-5736 attack, made safe. For S seconds it
// watches /proc for a process whose executable is neither its own nor busybox
// (the runtime's process while it enters the container: `hoodctl exec`'s child
// before its execve, or hoodctl run again inside through a #!/proc/self/exe
// script), keeps an O_PATH fd of that process's /proc/PID/exe, and,
// once the process is gone or has exec'd, tries to reopen the fd for writing, as
// the exploit does before it overwrites the host's runtime. Nothing is ever
// written: a successful open is closed at once and reported. With Hood's sealed
// copy the fd names a memfd that takes no writes (F_SEAL_WRITE); without it, the
// host's hoodctl itself. A process whose /proc/PID/exe it may not even read
// (EACCES: the kernel's ptrace access check, e.g. a non-dumpable process or one
// with capabilities the watcher lacks) is counted as hidden, with its name.
#include "demo.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <string>
#include <unistd.h>

namespace demo {

namespace {

struct Caught {
    int fd = -1;       // O_PATH of /proc/PID/exe
    std::string link;  // where it pointed
};

std::string linkOf(const std::string &path, int *err = nullptr)
{
    char buf[PATH_MAX];
    const ssize_t n = readlink(path.c_str(), buf, sizeof buf - 1);
    if (err)
        *err = n < 0 ? errno : 0;
    return n > 0 ? std::string(buf, size_t(n)) : std::string();
}

std::string commOf(const std::string &pid)
{
    char buf[64] = {};
    const int fd = open(("/proc/" + pid + "/comm").c_str(), O_RDONLY | O_CLOEXEC);
    const ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0)
        close(fd);
    std::string comm = n > 0 ? std::string(buf, size_t(n)) : "?";
    if (!comm.empty() && comm.back() == '\n')
        comm.pop_back();
    return comm;
}

double now()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

// One pass over /proc: every new executable that is not ours gets an O_PATH fd;
// every process whose executable we may not see is noted by pid.
void scan(const std::string &own, std::map<std::string, Caught> &caught, std::map<std::string, std::string> &hidden)
{
    DIR *proc = opendir("/proc");
    if (!proc)
        return;
    while (dirent *e = readdir(proc)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        const std::string path = std::string("/proc/") + e->d_name + "/exe";
        int err = 0;
        const std::string link = linkOf(path, &err);
        if ((err == EACCES || err == EPERM) && !hidden.count(e->d_name))
            hidden[e->d_name] = commOf(e->d_name);
        if (link.empty() || link == own || link.find("busybox") != std::string::npos || caught.count(link))
            continue;
        const int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
        if (fd >= 0)
            caught[link] = {fd, link};
    }
    closedir(proc);
}

// The exploit's second step, without the write: can the fd be opened for writing?
void tryWrite(const Caught &c, int &writable)
{
    const std::string self = "/proc/self/fd/" + std::to_string(c.fd);
    const int w = open(self.c_str(), O_WRONLY | O_CLOEXEC);
    if (w < 0) {
        std::printf("exe: %s\nwrite-open: refused: %s\n", c.link.c_str(), errnoSentence(errno).c_str());
        return;
    }
    const int seals = fcntl(w, F_GET_SEALS);
    const bool sealed = seals >= 0 && (seals & F_SEAL_WRITE);
    close(w);
    std::printf("exe: %s\nwrite-open: opened\nsealed: %s\n", c.link.c_str(), sealed ? "yes" : "no");
    writable += sealed ? 0 : 1;
}

} // namespace

int cmdExeWatch(Args args)
{
    if (args.size() != 1)
        throw UsageError{"give the seconds to watch for, e.g. exe-watch 5"};
    const double seconds = parseSeconds(args[0]);
    const std::string own = linkOf("/proc/self/exe");
    std::map<std::string, Caught> caught;
    std::map<std::string, std::string> hidden; // pid -> comm
    std::printf("watching: %g s\n", seconds);
    std::fflush(stdout);
    for (const double end = now() + seconds; now() < end;)
        scan(own, caught, hidden);
    // By now every process caught has exec'd its command or ended: the runtime's
    // binary is not running inside any more (the window the exploit waits for).
    int writable = 0;
    for (const auto &[link, c] : caught) {
        tryWrite(c, writable);
        close(c.fd);
    }
    for (const auto &[pid, comm] : hidden)
        std::printf("hidden-exe: pid %s (%s)\n", pid.c_str(), comm.c_str());
    std::printf("caught: %zu\nwritable: %d\nhidden: %zu\n", caught.size(), writable, hidden.size());
    return kExitOk;
}

} // namespace demo
