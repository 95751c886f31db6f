// The engine's verbs, shared by hoodctl and the GUI: run, create, start, state,
// kill, stop, delete, list, gc. Each container has its own monitor process.
#pragma once

#include "net/netoptions.h"
#include "error.h"
#include "spec/spec.h"
#include "state.h"
#include "sys/fd.h"
#include "trace.h"

#include <functional>
#include <string>
#include <vector>

namespace hood {

struct LaunchConfig;
// "container "x" does not exist": hoodctl exits 1 for it, as runc does, and
// `delete --force` of a container that is not there is no failure.
class NoSuchContainer : public Error {
public:
    explicit NoSuchContainer(const std::string &id) : Error("container \"" + id + "\" does not exist") {}
};

struct RunRequest {
    std::string id;                // empty: a generated one
    std::string bundle;            // the OCI bundle directory (absolute), if any
    Spec spec;                     // root.path absolute or relative to bundle
    std::string image;             // the built-in image's name, for display
    std::string specSource = "config.json"; // names the spec in validation messages
    bool ephemeralOverlay = false; // writes go to a throw-away overlay layer
    // The rootfs provider's layers (top first); empty: spec.root.path is the one
    // lower. An image store fills these; the built-in image is one lower.
    std::vector<std::string> lowers;
    // A writable layer on disk (kept until delete, journaled): the store's images,
    // so that diff and commit can read it. Empty: a scratch tmpfs.
    std::string upperDir, workDir;
    std::string imageId;           // the store's image ID, for commit
    bool useChroot = false;
    bool rootless = false;         // a user namespace even when run as root
    std::string pidFile;
    // Hood's networking (hoodctl run's flags); nullopt: only what the spec says
    // (a bundle or --spec file, as runc: the caller brings the network).
    std::optional<net::NetworkOptions> network;
};

// runc mode's `create` (podman through conmon, Docker through containerd's shim).
struct CreateOptions {
    std::string consoleSocket; // AF_UNIX stream socket that gets the pty master
    int preserveFds = 0;       // fds 3..3+N-1 reach the container's process
};

struct ContainerInfo {
    ContainerState state;
    Status status;
};

struct GcReport {
    std::vector<std::string> removed;  // container IDs
    std::vector<std::string> problems; // sentences
};

// --pid-file: the decimal host pid, no newline, written atomically (temp file and
// rename; go-runc parses it strictly). Nothing for an empty path.
void writePidFile(const std::string &path, pid_t pid);
// --console-socket: the pty master to the client, in one sendmsg with one
// SCM_RIGHTS fd and a non-empty payload (runc's protocol, read by conmon and the shim).
void sendConsole(const std::string &path, int master);

class Runtime {
public:
    using WarnFn = std::function<void(const std::string &)>;

    explicit Runtime(std::string root = {}, WarnFn warn = {});
    const std::string &root() const { return m_root; }
    std::string containerDir(const std::string &id) const { return m_root + "/" + id; }

    // Foreground: this process becomes the monitor and returns the exit status.
    // *sentence gets the one-line reason of an abnormal end (OOM kill, signal).
    // *startTrace gets the start-up steps (also in <state>/trace.json while it lives).
    int run(RunRequest request, std::string *sentence = nullptr, trace::Trace *startTrace = nullptr);
    // Background: a detached monitor runs the container; returns its ID once the
    // init has exec'd (or, with waitForStart, waits on exec.fifo for `start`).
    std::string spawn(RunRequest request, bool waitForStart);

    // runc mode: this process clones the init (stdio: ours, or a pty whose master
    // goes to options.consoleSocket) and returns once it waits on exec.fifo; no
    // monitor is left behind, the init re-parents to our caller's subreaper.
    void create(RunRequest request, const CreateOptions &options);

    void start(const std::string &id);
    // The freezer of the container's cgroup (runc pause / resume).
    void pause(const std::string &id);
    void resume(const std::string &id);
    // runc update: new memory, CPU and pids limits for a running container's cgroup
    // (device rules are not changed this way). Throws hood::Error naming the file.
    void update(const std::string &id, const Resources &resources);
    ContainerInfo info(const std::string &id) const;
    // all: every process in the container's cgroup (runc kill --all); a stopped
    // container is then no error (what is left of it is signalled).
    void kill(const std::string &id, int sig, bool all = false);
    // SIGTERM, then SIGKILL after graceSeconds; waits until the exit is recorded.
    void stop(const std::string &id, int graceSeconds);
    void remove(const std::string &id, bool force);
    std::vector<ContainerInfo> list() const;
    // The host pids in the container's cgroups (runc ps).
    std::vector<pid_t> pids(const std::string &id) const;
    GcReport gc();

private:
    struct Prepared;
    Prepared prepare(RunRequest &request, bool detached, bool waitForStart) const;
    void applyNetwork(RunRequest &request, LaunchConfig &config, bool asRoot) const;
    void waitForMonitorExit(const ContainerState &state, int timeoutMs) const;
    Fd lock(const std::string &id) const;

    std::string m_root;
    WarnFn m_warn;
};

} // namespace hood
