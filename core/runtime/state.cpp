#include "state.h"

#include "cgroups/cgroups.h"

#include "error.h"
#include "sys/fileio.h"
#include "procfs.h"

#include <cerrno>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace hood {

using nlohmann::json;

const char *statusName(Status status)
{
    switch (status) {
    case Status::Creating: return "creating";
    case Status::Created: return "created";
    case Status::Running: return "running";
    case Status::Stopped: return "stopped";
    case Status::Paused: return "paused";
    }
    return "unknown";
}

std::string nowRfc3339()
{
    timespec ts {};
    clock_gettime(CLOCK_REALTIME, &ts);
    tm t {};
    gmtime_r(&ts.tv_sec, &t);
    char buf[64];
    size_t n = strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &t);
    snprintf(buf + n, sizeof buf - n, ".%09ldZ", ts.tv_nsec);
    return buf;
}

std::string stateToJson(const ContainerState &s)
{
    json j = {{"id", s.id}, {"bundle", s.bundle}, {"rootfs", s.rootfs}, {"image", s.image},
              {"imageId", s.imageId}, {"lowers", s.lowers}, {"upperDir", s.upperDir},
              {"command", s.command}, {"created", s.created}, {"pid", s.pid},
              {"pidStartTime", s.pidStartTime}, {"monitorPid", s.monitorPid},
              {"monitorStartTime", s.monitorStartTime}, {"detached", s.detached},
              {"terminal", s.terminal}, {"rootless", s.rootless}, {"direct", s.direct}, {"settingUp", s.settingUp}, {"cgroupPaths", s.cgroupPaths},
              {"exitSignal", s.exitSignal}, {"oomKilled", s.oomKilled}, {"finished", s.finished},
              {"error", s.error}, {"cpuUsageNs", s.cpuUsageNs}, {"memoryPeak", s.memoryPeak}};
    j["memoryLimit"] = s.memoryLimit ? json(*s.memoryLimit) : json(nullptr);
    j["exitCode"] = s.exitCode ? json(*s.exitCode) : json(nullptr);
    return j.dump(2) + "\n";
}

namespace {
// nlohmann converts any JSON number to the requested type with a plain cast: a
// float out of range ("pid": 5e23) is undefined behaviour, found by
// tests/fuzz/fuzz_state, and 4294967297 would quietly become pid 1, a process
// that kill must never be sent to. So a number field must be a whole number that
// fits, or the file is not a state. A missing field gives `fallback`.
template <typename Int>
Int integerField(const json &j, const char *key, Int fallback, const std::string &source)
{
    auto it = j.find(key);
    if (it == j.end())
        return fallback;
    // is_number_integer() is also true for unsigned values, hence the order.
    bool fits = it->is_number_unsigned()
                    ? std::in_range<Int>(it->get<uint64_t>())
                    : it->is_number_integer() && std::in_range<Int>(it->get<int64_t>());
    if (!fits)
        throw Error(source + ": not a container state (" + key + ": " + it->dump()
                    + " is not a whole number in range)");
    return it->is_number_unsigned() ? Int(it->get<uint64_t>()) : Int(it->get<int64_t>());
}
} // namespace

ContainerState stateFromJson(const std::string &text, const std::string &source)
{
    try {
        json j = json::parse(text);
        ContainerState s;
        s.id = j.at("id");
        s.bundle = j.value("bundle", "");
        s.rootfs = j.value("rootfs", "");
        s.image = j.value("image", "");
        s.imageId = j.value("imageId", "");
        s.lowers = j.value("lowers", std::vector<std::string>{});
        s.upperDir = j.value("upperDir", "");
        s.command = j.value("command", std::vector<std::string>{});
        s.created = j.value("created", "");
        s.pid = integerField<pid_t>(j, "pid", 0, source);
        s.pidStartTime = integerField<uint64_t>(j, "pidStartTime", 0, source);
        s.monitorPid = integerField<pid_t>(j, "monitorPid", 0, source);
        s.monitorStartTime = integerField<uint64_t>(j, "monitorStartTime", 0, source);
        s.detached = j.value("detached", false);
        s.terminal = j.value("terminal", false);
        s.rootless = j.value("rootless", false);
        s.direct = j.value("direct", false);
        s.settingUp = j.value("settingUp", false);
        s.cgroupPaths = j.value("cgroupPaths", std::vector<std::string>{});
        if (j.contains("memoryLimit") && !j["memoryLimit"].is_null())
            s.memoryLimit = integerField<int64_t>(j, "memoryLimit", 0, source);
        if (j.contains("exitCode") && !j["exitCode"].is_null())
            s.exitCode = integerField<int>(j, "exitCode", 0, source);
        s.exitSignal = integerField<int>(j, "exitSignal", 0, source);
        s.oomKilled = j.value("oomKilled", false);
        s.finished = j.value("finished", "");
        s.error = j.value("error", "");
        s.cpuUsageNs = integerField<uint64_t>(j, "cpuUsageNs", 0, source);
        s.memoryPeak = integerField<uint64_t>(j, "memoryPeak", 0, source);
        return s;
    } catch (const json::exception &e) {
        throw Error(source + ": not a container state (" + e.what() + ")");
    }
}

void saveState(const std::string &dir, const ContainerState &state)
{
    replaceFile(dir + "/state.json", stateToJson(state));
}

ContainerState loadState(const std::string &dir)
{
    std::string path = dir + "/state.json";
    std::ifstream in(path);
    if (!in)
        throw Error::sys("read state", path, errno ? errno : ENOENT);
    std::stringstream text;
    text << in.rdbuf();
    return stateFromJson(text.str(), path);
}

Status currentStatus(const std::string &dir, const ContainerState &state)
{
    if (state.exitCode || !state.error.empty())
        return Status::Stopped;
    if (state.pid == 0)
        return processAlive(state.monitorPid, state.monitorStartTime) ? Status::Creating
                                                                      : Status::Stopped;
    if (!processAlive(state.pid, state.pidStartTime))
        return Status::Stopped;
    if (state.settingUp) // an init whose monitor died before its root was made is dead to gc
        return processAlive(state.monitorPid, state.monitorStartTime) ? Status::Creating
                                                                      : Status::Stopped;
    struct stat st {};
    if (lstat((dir + "/exec.fifo").c_str(), &st) == 0)
        return Status::Created;
    return cgroupFrozen(state.cgroupPaths) ? Status::Paused : Status::Running;
}

std::string ociStateJson(const ContainerState &state, Status status)
{
    json j = {{"ociVersion", "1.0.2"},
              {"id", state.id},
              {"status", statusName(status)},
              {"pid", status == Status::Stopped ? 0 : state.pid},
              {"bundle", state.bundle}};
    j["annotations"] = json::object();
    j["owner"] = ""; // runc's field: the owner of a rootless container's state, empty as root
    if (!state.rootfs.empty())
        j["rootfs"] = state.rootfs;
    if (!state.created.empty())
        j["created"] = state.created;
    return j.dump(2);
}

} // namespace hood
