// hoodctl state / list / logs: verbs that only read.
#include "cli.h"

#include "error.h"
#include "runtime/runtime.h"

#include <algorithm>
#include <fcntl.h>
#include <iomanip>
#include <iostream>
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
