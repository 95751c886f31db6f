#include "vm/subprocess.h"

#include "error.h"
#include "sys/fd.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hood::vm {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// fork + exec with stdout and stderr into the pipe's write end; the child never
// returns. 127 when exec fails, as a shell says.
pid_t spawn(const std::vector<std::string> &argv, const std::string &cwd, int out)
{
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0)
        throw Error::sys("fork for", argv.front(), errno);
    if (pid == 0) {
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            ::dup2(devnull, 0);
        ::dup2(out, 1);
        ::dup2(out, 2);
        if (!cwd.empty() && ::chdir(cwd.c_str()) < 0)
            ::_exit(127);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

int statusOf(int raw)
{
    if (WIFEXITED(raw))
        return WEXITSTATUS(raw);
    return WIFSIGNALED(raw) ? 128 + WTERMSIG(raw) : -1;
}

// Reads what the program says until it closes its end (it ended) or the deadline.
struct Reader {
    explicit Reader(Fd f) : fd(std::move(f)) {}
    Fd fd;
    std::string text;
    size_t scanned = 0;
    bool open = true;

    // Waits up to ms for output; false once the pipe is closed.
    bool readSome(int ms)
    {
        pollfd p{fd.get(), POLLIN, 0};
        int rc = ::poll(&p, 1, ms < 0 ? 0 : ms);
        if (rc <= 0)
            return open;
        char buf[4096];
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n <= 0)
            open = false;
        else
            text.append(buf, size_t(n));
        return open;
    }

    bool sawLine(const std::string &marker)
    {
        for (;;) {
            size_t nl = text.find('\n', scanned);
            if (nl == std::string::npos)
                return false;
            std::string_view line(text.data() + scanned, nl - scanned);
            scanned = nl + 1;
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            if (line.starts_with(marker))
                return true;
        }
    }
};

} // namespace

MarkerTiming timeToMarker(const std::vector<std::string> &argv, const std::string &marker,
                          std::chrono::milliseconds timeout,
                          std::optional<std::chrono::milliseconds> markerTimeout)
{
    MarkerTiming t;
    FdPair pipe = makePipe();
    const Clock::time_point started = Clock::now();
    pid_t pid = spawn(argv, {}, pipe.second.get());
    pipe.second.reset();
    Reader r(std::move(pipe.first));
    while (r.open) {
        double elapsed = msSince(started);
        bool late = elapsed > double(timeout.count())
            || (!t.markerMs && markerTimeout && elapsed > double(markerTimeout->count()));
        if (late) {
            ::kill(pid, SIGKILL);
            t.result.timedOut = true;
            break;
        }
        r.readSome(50);
        if (!t.markerMs && !marker.empty() && r.sawLine(marker))
            t.markerMs = msSince(started);
    }
    int raw = 0;
    while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
    }
    t.totalMs = msSince(started);
    t.result.status = statusOf(raw);
    t.result.output = std::move(r.text);
    return t;
}

ProgramResult runProgram(const std::vector<std::string> &argv, const std::string &cwd,
                         std::chrono::seconds timeout)
{
    FdPair pipe = makePipe();
    const Clock::time_point started = Clock::now();
    pid_t pid = spawn(argv, cwd, pipe.second.get());
    pipe.second.reset();
    Reader r(std::move(pipe.first));
    ProgramResult result;
    while (r.open) {
        if (msSince(started) > double(std::chrono::milliseconds(timeout).count())) {
            ::kill(pid, SIGKILL);
            result.timedOut = true;
            break;
        }
        r.readSome(200);
    }
    int raw = 0;
    while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
    }
    result.status = statusOf(raw);
    result.output = std::move(r.text);
    return result;
}

std::string findInPath(const std::string &program)
{
    const char *path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        if (end == std::string::npos)
            end = dirs.size();
        std::string candidate = dirs.substr(start, end - start) + "/" + program;
        struct stat st {};
        if (end > start && ::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
            return candidate;
        start = end + 1;
    }
    return {};
}

} // namespace hood::vm
