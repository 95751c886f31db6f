#include "slirp.h"

#include "error.h"
#include "sys/fileio.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_close_range
#include <sys/syscall.h>
#endif

namespace hood::net {

std::optional<std::string> findTool(const char *name)
{
    for (const char *dir : {"/usr/bin/", "/usr/local/bin/", "/bin/"}) {
        std::string path = std::string(dir) + name;
        if (access(path.c_str(), X_OK) == 0)
            return path;
    }
    return std::nullopt;
}

std::string rootlessNetworkNote()
{
    if (findTool("slirp4netns"))
        return "Without root a bridge cannot be made; slirp4netns is installed, so --network slirp4netns gives a "
               "rootless container outbound TCP/UDP through a user-mode stack (10.0.2.100 via 10.0.2.2), the "
               "default on a user's own state root (none with --root/HOOD_ROOT).";
    if (findTool("pasta"))
        return "Without root a bridge cannot be made; pasta is installed but Hood drives only slirp4netns, so a "
               "rootless container gets --network none (loopback only).";
    return "Without root a bridge cannot be made and neither slirp4netns nor pasta is installed, so a rootless "
           "container gets --network none (loopback only; apt-get install slirp4netns adds outbound access).";
}

namespace {

std::string logTail(const std::string &path)
{
    std::string text;
    readFileNoThrow(path, text);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    size_t nl = text.rfind('\n');
    return text.empty() ? "no message" : nl == std::string::npos ? text : text.substr(nl + 1);
}

// In the forked child: only async-signal-safe calls until exec.
[[noreturn]] void execSlirp(char *const argv[], int exitRead, int readyWrite, int log)
{
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr); // the monitor blocks its signals; exec would keep that
    int e = fcntl(exitRead, F_DUPFD, 10), r = fcntl(readyWrite, F_DUPFD, 10);
    int null = open("/dev/null", O_RDWR);
    if (e < 0 || r < 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(log, 2) < 0 || dup2(e, 3) < 0
        || dup2(r, 4) < 0)
        _exit(127);
    syscall(SYS_close_range, 5u, ~0u, 0u); // nothing else of the monitor's
    setsid(); // ^C at the monitor's terminal is the container's, not its stack's
    execv(argv[0], argv);
    _exit(127);
}

} // namespace

Slirp startSlirp4netns(const std::string &exe, pid_t target, const std::string &logPath, int timeoutMs)
{
    FdPair exitPipe = makePipe(), readyPipe = makePipe();
    Fd log(open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!log)
        throw Error::sys("create", logPath, errno);
    std::string pid = std::to_string(target);
    const char *args[] = {exe.c_str(), "--configure", "--mtu=65520", "--disable-host-loopback", "--exit-fd=3",
                          "--ready-fd=4", pid.c_str(), kSlirpTap, nullptr};
    Slirp s;
    s.pid = fork();
    if (s.pid < 0)
        throw Error::sys("fork for", exe, errno);
    if (s.pid == 0)
        execSlirp(const_cast<char *const *>(args), exitPipe.first.get(), readyPipe.second.get(), log.get());
    s.exit = std::move(exitPipe.second);
    readyPipe.second.reset(); // EOF on the read end if it dies before it is ready
    pollfd p {readyPipe.first.get(), POLLIN, 0};
    char c = 0;
    int n = poll(&p, 1, timeoutMs);
    if (n > 0 && read(readyPipe.first.get(), &c, 1) == 1 && c == '1')
        return s;
    ::kill(s.pid, SIGKILL);
    waitpid(s.pid, nullptr, 0);
    if (n == 0)
        throw Error(exe + " " + pid + ": not ready after " + std::to_string(timeoutMs) + " ms (" + logTail(logPath) + ")");
    throw Error(exe + " " + pid + ": " + logTail(logPath));
}

} // namespace hood::net
