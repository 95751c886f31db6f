#include "proctree.h"

#include "error.h"
#include "procfs.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <map>
#include <set>
#include <sys/stat.h>

namespace hood::inspect {

namespace {

template <typename Int> Int number(std::string_view field)
{
    Int value = 0;
    std::from_chars(field.data(), field.data() + field.size(), value);
    return value;
}

template <typename Int> Int firstNumber(std::string_view value)
{
    auto fields = splitFields(value);
    return fields.empty() ? Int{0} : number<Int>(fields.front());
}

std::string_view trimmed(std::string_view value)
{
    size_t start = value.find_first_not_of(" \t");
    if (start == std::string_view::npos)
        return {};
    size_t end = value.find_last_not_of(" \t\r");
    return value.substr(start, end - start + 1);
}

// "S (sleeping)" -> 'S' and "sleeping".
void parseState(std::string_view value, ProcStatus &status)
{
    if (value.empty())
        return;
    status.state = value.front();
    size_t open = value.find('(');
    size_t close = value.rfind(')');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open)
        status.stateText = std::string(value.substr(open + 1, close - open - 1));
}

void parseUids(std::string_view value, ProcStatus &status)
{
    auto fields = splitFields(value);
    if (fields.size() >= 2) {
        status.uid = number<uid_t>(fields[0]);
        status.euid = number<uid_t>(fields[1]);
    }
}

void applyLine(std::string_view key, std::string_view value, ProcStatus &status, bool &sawPid)
{
    if (key == "Name")
        status.name = std::string(value);
    else if (key == "State")
        parseState(value, status);
    else if (key == "Tgid")
        status.tgid = firstNumber<pid_t>(value);
    else if (key == "Pid") {
        status.pid = firstNumber<pid_t>(value);
        sawPid = true;
    } else if (key == "PPid")
        status.ppid = firstNumber<pid_t>(value);
    else if (key == "NSpid") {
        for (std::string_view field : splitFields(value))
            status.nsPids.push_back(number<pid_t>(field));
    } else if (key == "Uid")
        parseUids(value, status);
    else if (key == "Threads")
        status.threads = firstNumber<int>(value);
    else if (key == "VmRSS")
        status.rssKiB = firstNumber<uint64_t>(value);
    else if (key == "voluntary_ctxt_switches")
        status.voluntarySwitches = firstNumber<uint64_t>(value);
    else if (key == "nonvoluntary_ctxt_switches")
        status.nonvoluntarySwitches = firstNumber<uint64_t>(value);
}

bool isDirectory(const std::string &path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Children per thread from task/TID/children. nullopt when the kernel lacks the
// file (CONFIG_PROC_CHILDREN off) so the caller falls back to a ppid scan.
std::optional<std::vector<pid_t>> childrenFromTasks(pid_t pid, const std::string &procRoot)
{
    std::string taskDir = procPath(procRoot, pid, "task");
    std::vector<pid_t> tids;
    std::vector<pid_t> children;
    listNumericNoThrow(taskDir, tids); // none when the process has gone
    for (pid_t tid : tids) {
        std::string taskPath = taskDir + "/" + std::to_string(tid);
        std::string text;
        int err = readFileNoThrow(taskPath + "/children", text);
        if (err == ENOENT && isDirectory(taskPath))
            return std::nullopt;
        for (std::string_view field : splitFields(text))
            children.push_back(number<pid_t>(field));
    }
    return children;
}

std::vector<pid_t> childrenFromPpidScan(pid_t pid, const std::string &procRoot)
{
    std::vector<pid_t> children;
    for (pid_t candidate : listPids(procRoot)) {
        std::string text;
        if (readFileNoThrow(procPath(procRoot, candidate, "status"), text) == 0
            && parseStatus(text).ppid == pid)
            children.push_back(candidate);
    }
    return children;
}

bool inCgroup(const std::vector<CgroupLine> &lines, std::string_view controller,
              std::string_view cgroupPath)
{
    const CgroupLine *line = cgroupLineFor(lines, controller);
    return line && isUnderCgroup(line->path, cgroupPath);
}

ProcessInfo fromStatus(const ProcStatus &status, std::vector<std::string> args)
{
    ProcessInfo info;
    info.pid = status.pid;
    info.nsPid = status.innermostPid();
    info.ppid = status.ppid;
    info.name = status.name;
    info.args = std::move(args);
    info.state = status.state;
    info.stateText = status.stateText;
    info.threads = status.threads;
    info.uid = status.uid;
    info.rssKiB = status.rssKiB;
    return info;
}

void linkTree(ProcessTree &tree)
{
    std::map<pid_t, int> indexByPid;
    for (size_t i = 0; i < tree.processes.size(); ++i)
        indexByPid.emplace(tree.processes[i].pid, static_cast<int>(i));
    for (size_t i = 0; i < tree.processes.size(); ++i) {
        ProcessInfo &process = tree.processes[i];
        auto parent = indexByPid.find(process.ppid);
        if (parent == indexByPid.end() || process.ppid == process.pid) {
            tree.roots.push_back(static_cast<int>(i));
            continue;
        }
        process.parent = parent->second;
        tree.processes[static_cast<size_t>(parent->second)].children.push_back(static_cast<int>(i));
    }
}

} // namespace

ProcStatus parseStatus(std::string_view text)
{
    ProcStatus status;
    bool sawPid = false;
    for (std::string_view line : splitFields(text, "\n")) {
        size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        std::string_view value = line.substr(colon + 1);
        // Name keeps inner spaces; only the tab after the colon is dropped.
        if (!value.empty() && value.front() == '\t')
            value.remove_prefix(1);
        applyLine(line.substr(0, colon), line.substr(0, colon) == "Name" ? value : trimmed(value),
                  status, sawPid);
    }
    if (!sawPid)
        throw Error("parse status: no \"Pid:\" line, so this is not a /proc/PID/status file");
    return status;
}

std::vector<std::string> parseCmdline(std::string_view bytes)
{
    std::vector<std::string> args;
    size_t pos = 0;
    while (pos < bytes.size()) {
        size_t end = bytes.find('\0', pos);
        if (end == std::string_view::npos)
            end = bytes.size();
        args.emplace_back(bytes.substr(pos, end - pos));
        pos = end + 1;
    }
    return args;
}

bool isUnderCgroup(std::string_view path, std::string_view cgroupPath)
{
    while (cgroupPath.size() > 1 && cgroupPath.back() == '/')
        cgroupPath.remove_suffix(1);
    if (cgroupPath == "/")
        return !path.empty() && path.front() == '/';
    if (path.substr(0, cgroupPath.size()) != cgroupPath)
        return false;
    return path.size() == cgroupPath.size() || path[cgroupPath.size()] == '/';
}

std::string ProcessInfo::commandLine() const
{
    if (args.empty())
        return "[" + name + "]";
    std::string line;
    for (const std::string &arg : args) {
        if (!line.empty())
            line += ' ';
        line += arg;
    }
    return line;
}

const ProcessInfo *ProcessTree::byPid(pid_t pid) const
{
    for (const ProcessInfo &process : processes) {
        if (process.pid == pid)
            return &process;
    }
    return nullptr;
}

std::optional<ProcessInfo> readProcess(pid_t pid, const std::string &procRoot)
{
    std::string status;
    std::string cmdline;
    if (readFileNoThrow(procPath(procRoot, pid, "status"), status) != 0)
        return std::nullopt;
    // A cmdline that cannot be read (gone in between) just shows as "[name]".
    readFileNoThrow(procPath(procRoot, pid, "cmdline"), cmdline);
    return fromStatus(parseStatus(status), parseCmdline(cmdline));
}

ProcessTree buildProcessTree(const std::vector<pid_t> &pids, const std::string &procRoot)
{
    std::set<pid_t> unique(pids.begin(), pids.end());
    ProcessTree tree;
    for (pid_t pid : unique) {
        if (auto process = readProcess(pid, procRoot))
            tree.processes.push_back(std::move(*process));
    }
    linkTree(tree);
    return tree;
}

std::vector<pid_t> pidsInCgroup(std::string_view controller, std::string_view cgroupPath,
                                const std::string &procRoot)
{
    std::vector<pid_t> pids;
    for (pid_t pid : listPids(procRoot)) {
        std::string text;
        if (readFileNoThrow(procPath(procRoot, pid, "cgroup"), text) == 0
            && inCgroup(parseProcCgroup(text), controller, cgroupPath))
            pids.push_back(pid);
    }
    return pids;
}

std::vector<pid_t> childrenOf(pid_t pid, const std::string &procRoot)
{
    std::vector<pid_t> children;
    if (auto fromTasks = childrenFromTasks(pid, procRoot))
        children = std::move(*fromTasks);
    else
        children = childrenFromPpidScan(pid, procRoot);
    std::sort(children.begin(), children.end());
    children.erase(std::unique(children.begin(), children.end()), children.end());
    return children;
}

std::vector<pid_t> descendantsOf(pid_t pid, const std::string &procRoot)
{
    if (!isDirectory(procPath(procRoot, pid)))
        return {};
    std::set<pid_t> seen{pid};
    std::vector<pid_t> pending{pid};
    while (!pending.empty()) {
        pid_t next = pending.back();
        pending.pop_back();
        for (pid_t child : childrenOf(next, procRoot)) {
            if (seen.insert(child).second)
                pending.push_back(child);
        }
    }
    return {seen.begin(), seen.end()};
}

} // namespace hood::inspect
