// state.json: what the engine knows about one container, written atomically
// (temp file + rename) so a reader never sees half a state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace hood {

enum class Status { Creating, Created, Running, Stopped, Paused };
const char *statusName(Status status); // OCI names: "creating", "created", ...

struct ContainerState {
    std::string id;
    std::string bundle;     // absolute; empty for hoodctl run without --bundle
    std::string rootfs;     // absolute path of the root filesystem given to the container
    std::string image;      // the image's name (built-in or of the store), if any
    std::string imageId;    // the store's image ID (sha256:...), if it runs one
    std::vector<std::string> lowers; // the image's layers, top first (overlay's lowerdir)
    std::string upperDir;   // the writable layer on disk (an image of the store), if any
    std::vector<std::string> command;
    std::string created;    // RFC 3339, UTC
    pid_t pid = 0;          // container init, as seen from the host
    uint64_t pidStartTime = 0;
    pid_t monitorPid = 0;
    uint64_t monitorStartTime = 0;
    bool detached = false;
    bool terminal = false;
    bool rootless = false;
    bool direct = false;    // runc mode: no monitor, the init's reaper is the caller's subreaper
    // From the init's clone until it has made its root and executes the command (or,
    // for `create`, waits for `start`): the container is still being created, and no
    // `exec` may join a mount namespace whose root is still the host's.
    bool settingUp = false;
    std::vector<std::string> cgroupPaths;
    std::optional<int64_t> memoryLimit;
    // Filled in by the monitor when the container ends.
    std::optional<int> exitCode;  // 128+N when killed by signal N
    int exitSignal = 0;
    bool oomKilled = false;
    std::string finished;         // RFC 3339
    std::string error;            // why the container could not start, if it could not
    uint64_t cpuUsageNs = 0;
    uint64_t memoryPeak = 0;
};

std::string stateToJson(const ContainerState &state);
// Throws hood::Error naming the file when the JSON is not a state.
ContainerState stateFromJson(const std::string &text, const std::string &source);

void saveState(const std::string &dir, const ContainerState &state);
ContainerState loadState(const std::string &dir); // throws hood::Error

// The status as of now: stopped once an exit is recorded or the processes are gone;
// created while exec.fifo exists; running otherwise.
Status currentStatus(const std::string &dir, const ContainerState &state);

// The OCI runtime-spec state: ociVersion, id, status, pid, bundle (+ annotations).
std::string ociStateJson(const ContainerState &state, Status status);

std::string nowRfc3339();

} // namespace hood
