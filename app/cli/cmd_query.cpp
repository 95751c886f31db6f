// hoodctl state / list / logs: verbs that only read.
#include "cli.h"
#include "report.h"

#include "error.h"
#include "cgroups/sampler.h"
#include "runtime/runtime.h"
#include "sys/fileio.h"

#include <algorithm>
#include <cstdint>
#include <sys/capability.h>
#include <fcntl.h>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <optional>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace hoodctl {

using hood::Error;

int cmdState(Context &ctx, const Words &words)
{
    Options o(words, {}, {});
    if (o.positional().size() != 1)
        throw Error("give exactly one container ID (hoodctl state ID)");
    hood::ContainerInfo info = ctx.runtime.info(o.positional().front());
    std::cout << hood::ociStateJson(info.state, info.status) << "\n";
    return 0;
}

namespace {
std::string joined(const std::vector<std::string> &words)
{
    std::string out;
    for (const std::string &w : words)
        out += (out.empty() ? "" : " ") + w;
    return out;
}

std::string exitText(const hood::ContainerInfo &i)
{
    if (i.status != hood::Status::Stopped)
        return hood::statusName(i.status);
    if (i.state.oomKilled)
        return "stopped (OOM-killed)";
    if (i.state.exitCode)
        return "stopped (" + std::to_string(*i.state.exitCode) + ")";
    return i.state.error.empty() ? "stopped" : "stopped (failed)";
}
} // namespace

int cmdList(Context &ctx, const Words &words)
{
    Options o(words, {}, {"--json", "-q"});
    std::vector<hood::ContainerInfo> all = ctx.runtime.list();
    if (o.has("--json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const hood::ContainerInfo &i : all) {
            list.push_back(nlohmann::json::parse(hood::ociStateJson(i.state, i.status)));
            list.back()["command"] = i.state.command;
            list.back()["image"] = i.state.image;
            if (i.state.exitCode)
                list.back()["exitCode"] = *i.state.exitCode;
            list.back()["oomKilled"] = i.state.oomKilled;
        }
        std::cout << list.dump(2) << "\n";
        return 0;
    }
    if (o.has("-q")) {
        for (const hood::ContainerInfo &i : all)
            std::cout << i.state.id << "\n";
        return 0;
    }
    // The ID column is as wide as the longest ID (podman's and Docker's are 64
    // characters), so an ID never runs into the status.
    size_t idWidth = 16;
    for (const hood::ContainerInfo &i : all)
        idWidth = std::max(idWidth, i.state.id.size() + 2);
    const int w = static_cast<int>(idWidth);
    std::cout << std::left << std::setw(w) << "ID" << std::setw(22) << "STATUS" << std::setw(9)
              << "PID" << std::setw(10) << "IMAGE" << "COMMAND\n";
    for (const hood::ContainerInfo &i : all) {
        std::string pid = i.status == hood::Status::Stopped ? "-" : std::to_string(i.state.pid);
        std::cout << std::setw(w) << i.state.id << std::setw(22) << exitText(i) << std::setw(9) << pid
                  << std::setw(10) << (i.state.image.empty() ? "(bundle)" : i.state.image)
                  << joined(i.state.command) << "\n";
    }
    return 0;
}

// runc ps --format json ID: a JSON array of host pids (containerd's shim reads it
// for `docker top`); without --format json, one pid a line.
int cmdPs(Context &ctx, const Words &words)
{
    Options o(words, {"--format", "-f"}, {});
    if (o.positional().empty())
        throw Error("give a container ID (hoodctl ps [--format json] ID)");
    std::vector<pid_t> pids = ctx.runtime.pids(o.positional().front());
    std::string format = o.value("--format").value_or(o.value("-f").value_or("table"));
    if (format == "json") {
        std::cout << nlohmann::json(pids).dump() << "\n";
        return 0;
    }
    std::cout << "PID\n";
    for (pid_t pid : pids)
        std::cout << pid << "\n";
    return 0;
}

// runc update --resources FILE|- ID: the file (or stdin) holds a linux.resources object.
int cmdUpdate(Context &ctx, const Words &words)
{
    Options o(words, {"--resources", "-r"}, {});
    std::optional<std::string> file = o.value("--resources");
    if (!file)
        file = o.value("-r");
    if (!file || o.positional().size() != 1)
        throw Error("usage: hoodctl update --resources FILE|- ID (runc's flags one by one are not taken; "
                    "the file holds linux.resources JSON)");
    std::string text;
    if (*file == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        text = hood::readFile(*file);
    }
    std::vector<std::string> warnings;
    hood::Resources resources = hood::parseResources(text, *file == "-" ? "stdin" : *file, warnings);
    for (const std::string &w : warnings)
        ctx.report.warn(w);
    ctx.runtime.update(o.positional().front(), resources);
    return 0;
}

// runc events --stats ID: one {"type":"stats","id","data"} line; the fields runc's
// libcontainer/intelrdt-free Stats has that a cgroup tells (cpu, memory, pids).
int cmdEvents(Context &ctx, const Words &words)
{
    Options o(words, {"--interval"}, {"--stats"});
    if (o.positional().size() != 1)
        throw Error("give exactly one container ID (hoodctl events --stats ID)");
    if (!o.has("--stats"))
        throw Error("hoodctl events streams no events (OOM notices are in state.json): give --stats");
    const std::string &id = o.positional().front();
    hood::ContainerInfo info = ctx.runtime.info(id);
    if (info.status == hood::Status::Stopped)
        throw Error("container \"" + id + "\" is not running");
    hood::CgroupSample sample = hood::CgroupSampler(info.state.cgroupPaths).sample();
    const hood::CgroupStats &st = sample.stats;
    nlohmann::ordered_json data;
    data["cpu"]["usage"] = {{"total", st.cpuUsageNs}};
    data["cpu"]["throttling"] = {{"throttled_periods", st.throttledPeriods}, {"throttled_time", st.throttledNs}};
    data["memory"]["usage"] = {{"limit", st.memoryLimit.value_or(UINT64_MAX)},
                               {"usage", st.memoryCurrent},
                               {"max", st.memoryPeak},
                               {"failcnt", sample.memoryLimitHits}};
    data["memory"]["raw"] = {{"rss", sample.memory.anon}, {"cache", sample.memory.file},
                             {"shmem", sample.memory.shmem}, {"mapped_file", sample.memory.fileMapped}};
    data["pids"] = {{"current", st.pidsCurrent}};
    if (st.pidsMax)
        data["pids"]["limit"] = *st.pidsMax;
    data["blkio"] = nlohmann::json::object();
    data["hugetlb"] = nlohmann::json::object();
    nlohmann::ordered_json event = {{"type", "stats"}, {"id", id}, {"data", data}};
    std::cout << event.dump() << "\n";
    return 0;
}

// runc features: what a client may ask for, in runc's JSON (runtime-spec's
// features.md). Hooks, namespaces and capabilities are those Hood implements.
int cmdFeatures(Context &, const Words &words)
{
    Options o(words, {}, {});
    nlohmann::ordered_json j;
    j["ociVersionMin"] = "1.0.0";
    j["ociVersionMax"] = "1.0.2";
    j["hooks"] = {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"};
    j["mountOptions"] = {"ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "exec", "bind", "rbind",
                         "private", "rprivate", "shared", "rshared", "slave", "rslave", "relatime", "noatime",
                         "strictatime", "sync", "async", "remount"};
    nlohmann::ordered_json linux;
    linux["namespaces"] = {"cgroup", "ipc", "mount", "network", "pid", "user", "uts", "time"};
    nlohmann::json caps = nlohmann::json::array();
    for (int c = 0; c <= CAP_LAST_CAP; ++c) {
        if (char *name = cap_to_name(c)) {
            std::string upper = name;
            cap_free(name);
            std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
            caps.push_back(upper);
        }
    }
    linux["capabilities"] = caps;
    linux["cgroup"] = {{"v1", true}, {"v2", true}, {"systemd", false}, {"systemdUser", false}};
    linux["seccomp"] = {{"enabled", false}};
    linux["apparmor"] = {{"enabled", false}};
    linux["selinux"] = {{"enabled", false}};
    j["linux"] = linux;
    j["annotations"] = {{"org.hood.engine", "hoodctl"}};
    std::cout << j.dump(4) << "\n";
    return 0;
}

int cmdLogs(Context &ctx, const Words &words)
{
    Options o(words, {}, {"-f", "--follow"});
    if (o.positional().size() != 1)
        throw Error("give exactly one container ID (hoodctl logs [-f] ID)");
    const std::string id = o.positional().front();
    hood::ContainerInfo info = ctx.runtime.info(id);
    std::string path = ctx.runtime.containerDir(id) + "/container.log";
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw Error("container \"" + id + "\" has no log: only containers run with -d keep one");
    bool follow = o.has("-f") || o.has("--follow");
    char buf[8192];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            std::cout.write(buf, n);
            continue;
        }
        if (!follow || ctx.runtime.info(id).status == hood::Status::Stopped)
            break;
        std::cout.flush();
        usleep(100000);
    }
    close(fd);
    return 0;
}

} // namespace hoodctl
