// The monitor: one single-threaded process per container (like conmon or a
// containerd shim). It creates the container's resources, clones its init, is
// the subreaper that reaps every orphan of the container, forwards signals,
// relays the terminal, and records how the container ended.
#pragma once

#include "attachframe.h"
#include "cgroups/cgroups.h"
#include "resources.h"
#include "sys/fd.h"
#include "trace.h"
#include "launch.h"
#include "net/slirp.h"
#include "state.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace hood {

class Monitor {
public:
    using WarnFn = std::function<void(const std::string &)>;

    Monitor(LaunchConfig config, ContainerState state, WarnFn warn);
    ~Monitor();
    Monitor(const Monitor &) = delete;
    Monitor &operator=(const Monitor &) = delete;

    // State dir, journal, cgroup, clone, maps; returns once the init has exec'd
    // (or, with waitForStart, is waiting on exec.fifo). On failure everything made
    // so far is removed and hood::Error is thrown with the init's own sentence.
    void launch();

    // Until the init exits: reap, forward signals, relay the terminal. Then kill
    // what is left in the cgroup, record the exit in state.json and remove the
    // cgroup; with removeWhenDone also the state directory. Returns the exit
    // status as a shell would see it (128+N for signal N).
    int supervise(bool removeWhenDone);

    const ContainerState &state() const { return m_state; }
    // runc mode: the pty master the init sent, for --console-socket.
    Fd takeConsole() { return std::move(m_consoleMaster); }
    // The start-up steps, once launch() has returned (also in <state>/trace.json).
    const trace::Trace &startTrace() const { return m_trace; }
    // One sentence for an abnormal end ("container was OOM-killed (memory limit
    // 64 MiB)", "container was killed by SIGTERM"), empty for a normal exit.
    std::string exitSentence() const;

private:
    void makeStateDir();
    void openExecFifo();
    void makeCgroup();
    pid_t cloneInit(int childSock);
    void writeIdMaps();
    void sendGo(int sock);
    void makeRootfsDirs();
    void collectTrace();
    void writeTrace();
    void awaitExecOrReady(int sock);
    void recordExit(int status, bool keepState);
    void relayOnce(int timeoutMs);
    void openAttachSocket();
    void forwardConsoleOutput();
    void forwardInput(int from);
    void readClient(int fd);
    void acceptClient();
    void dropClient(int fd);
    void handleSignals();
    void cleanupAfterFailure() noexcept;
    void stopUserModeNetwork() noexcept;

    LaunchConfig m_config;
    ContainerState m_state;
    WarnFn m_warn;
    HostResources m_resources;         // journaled in <state>/journal
    std::unique_ptr<CgroupManager> m_cgroup;
    Fd m_signalFd;
    Fd m_cloneIntoFd;              // v2 leaf for CLONE_INTO_CGROUP
    Fd m_execFifo;                 // <state>/exec.fifo (O_PATH) until the init has its copy
    bool m_placedAtClone = false;  // the init is in its cgroup without addProcess
    Fd m_consoleMaster;
    Fd m_logFd;                    // <state>/container.log, detached only
    net::Slirp m_slirp;            // --network slirp4netns: ends when m_slirp.exit closes
    Fd m_listenFd;                 // <state>/attach.sock, detached terminals only
    struct Client {
        Fd fd;
        attach::Decoder frames; // keys and window sizes (attachframe.h)
    };
    std::vector<Client> m_clients; // attached consoles
    trace::Trace m_trace;          // the start-up steps of monitor and init
    bool m_traceWritten = false;
    bool m_stdinOpen = true;
    bool m_madeStateDir = false;
    bool m_initExited = false;
    int m_initStatus = 0;
};

} // namespace hood
