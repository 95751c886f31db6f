#include "hooks.h"

#include "error.h"
#include "state.h"
#include "sys/fd.h"
#include "sys/fileio.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace hood {

namespace {

using Clock = std::chrono::steady_clock;

std::vector<char *> pointers(std::vector<std::string> &words)
{
    std::vector<char *> out;
    for (std::string &w : words)
        out.push_back(w.data());
    out.push_back(nullptr);
    return out;
}

// The child: the state on stdin, stdout and stderr into one pipe, nothing else
// of ours open, then the hook's program.
[[noreturn]] void execHook(const Hook &hook, const std::vector<std::string> &defaultEnv, int in, int out)
{
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        _exit(126);
    syscall(SYS_close_range, 3U, ~0U, 0U);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    std::vector<std::string> args = hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
    std::vector<char *> argv = pointers(args);
    if (hook.env.empty() && defaultEnv.empty()) {
        execv(hook.path.c_str(), argv.data()); // our environment, as Go's exec gives runc's hooks
    } else {
        std::vector<std::string> env = hook.env.empty() ? defaultEnv : hook.env;
        std::vector<char *> envp = pointers(env);
        execve(hook.path.c_str(), argv.data(), envp.data());
    }
    dprintf(2, "exec %s: %s", hook.path.c_str(), strerror(errno));
    _exit(127);
}

// The last few hundred bytes of what the hook said, on one line.
std::string tail(std::string text)
{
    constexpr size_t kKeep = 400;
    if (text.size() > kKeep)
        text = "..." + text.substr(text.size() - kKeep);
    for (char &c : text)
        if (c == '\n' || c == '\r')
            c = ' ';
    while (!text.empty() && text.back() == ' ')
        text.pop_back();
    return text.empty() ? text : ": " + text;
}

// Waits for the hook, collecting its output; false when the deadline came first.
bool waitForHook(pid_t pid, int output, std::optional<Clock::time_point> deadline, std::string &said, int &status)
{
    Fd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
    bool outputOpen = true;
    for (;;) {
        int timeout = -1;
        if (deadline) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
            if (left <= 0)
                return false;
            timeout = static_cast<int>(left);
        }
        pollfd fds[2] = {{outputOpen ? output : -1, POLLIN, 0}, {pidfd.get(), POLLIN, 0}};
        int n = poll(fds, 2, timeout);
        if (n < 0 && errno != EINTR)
            throw Error::sys("wait for hook", std::to_string(pid), errno);
        if (fds[0].revents) {
            char buf[4096];
            ssize_t got = read(output, buf, sizeof buf);
            if (got > 0)
                said.append(buf, static_cast<size_t>(got));
            else if (got == 0 || errno != EINTR)
                outputOpen = false;
        }
        // Without a pidfd (an old kernel) the end of the output stands for the end.
        if ((fds[1].revents || (!pidfd && !outputOpen)) && waitpid(pid, &status, pidfd ? WNOHANG : 0) == pid)
            return true;
    }
}

void runHook(const char *point, size_t index, const Hook &hook, const std::string &state,
             const std::vector<std::string> &defaultEnv)
{
    const std::string name = std::string(point) + " hook #" + std::to_string(index) + " (" + hook.path + ")";
    // A socket for stdin, so that a hook that does not read it cannot SIGPIPE us.
    FdPair in = makeSocketPair(SOCK_STREAM);
    FdPair out = makePipe();
    pid_t pid = fork();
    if (pid < 0)
        throw Error::sys("fork for", name, errno);
    if (pid == 0)
        execHook(hook, defaultEnv, in.first.get(), out.second.get());
    in.first.reset();
    out.second.reset();
    // The state is small (one socket buffer): the send does not wait for the hook
    // to read it, and a hook that closes its stdin unread is its own business.
    for (size_t sent = 0; sent < state.size();) {
        ssize_t n = send(in.second.get(), state.data() + sent, state.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n <= 0)
            break;
        sent += static_cast<size_t>(n);
    }
    in.second.reset();
    std::optional<Clock::time_point> deadline;
    if (hook.timeout)
        deadline = Clock::now() + std::chrono::seconds(*hook.timeout);
    std::string said;
    int status = 0;
    if (!waitForHook(pid, out.first.get(), deadline, said, status)) {
        ::kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        throw Error(name + " ran past its timeout of " + std::to_string(*hook.timeout) + " s and was killed"
                    + tail(said));
    }
    if (WIFSIGNALED(status))
        throw Error(name + " was killed by signal " + std::to_string(WTERMSIG(status)) + tail(said));
    if (WEXITSTATUS(status) != 0)
        throw Error(name + " ended with status " + std::to_string(WEXITSTATUS(status)) + tail(said));
}

} // namespace

std::string hookState(const std::string &id, const std::string &status, pid_t pid, const std::string &bundle)
{
    nlohmann::ordered_json j = {{"ociVersion", "1.0.2"}, {"id", id},         {"status", status},
                                {"pid", pid},            {"bundle", bundle}, {"annotations", nlohmann::json::object()}};
    return j.dump();
}

void runHooks(const char *point, const std::vector<Hook> &hooks, const std::string &state,
              const std::vector<std::string> &defaultEnv)
{
    for (size_t i = 0; i < hooks.size(); ++i)
        runHook(point, i, hooks[i], state, defaultEnv);
}

void runPoststopHooks(const Hooks &hooks, const ContainerState &state,
                      const std::function<void(const std::string &)> &warn)
{
    const std::string json = hookState(state.id, "stopped", 0, state.bundle);
    for (size_t i = 0; i < hooks.poststop.size(); ++i) {
        try {
            runHook("poststop", i, hooks.poststop[i], json, {});
        } catch (const Error &e) {
            warn(e.what());
        }
    }
}

} // namespace hood
