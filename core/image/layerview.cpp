#include "layerview.h"

#include "error.h"
#include "store.h"
#include "sys/fd.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <map>
#include <memory>
#include <set>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace hood::image {

namespace {

struct DirCloser {
    void operator()(DIR *d) const { closedir(d); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;

// Path order with '/' before every other character, so that a directory's
// descendants sit right after it ("/a", "/a/b", "/a-c"): a whole subtree is then
// one range of a map, which is what a whiteout or an opaque directory removes.
struct PathLess {
    bool operator()(const std::string &a, const std::string &b) const
    {
        const size_t n = std::min(a.size(), b.size());
        for (size_t i = 0; i < n; ++i) {
            if (a[i] == b[i])
                continue;
            if (a[i] == '/')
                return true;
            if (b[i] == '/')
                return false;
            return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
        }
        return a.size() < b.size();
    }
};

bool isBelow(const std::string &path, const std::string &dir)
{
    return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

std::string childPath(const std::string &parent, const char *name)
{
    return (parent == "/" ? "" : parent) + "/" + name;
}

std::string parentOf(const std::string &path)
{
    const size_t slash = path.rfind('/');
    return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

EntryType typeOf(mode_t mode, dev_t rdev)
{
    if (S_ISDIR(mode))
        return EntryType::Dir;
    if (S_ISREG(mode))
        return EntryType::File;
    if (S_ISLNK(mode))
        return EntryType::Symlink;
    // overlayfs(5): "A whiteout is created as a character device with 0/0 device number".
    if (S_ISCHR(mode) && major(rdev) == 0 && minor(rdev) == 0)
        return EntryType::Whiteout;
    return EntryType::Other;
}

// trusted.* as root; user.* for an overlay mounted with userxattr (rootless).
bool isOpaque(int dirFd)
{
    char value[2] = {};
    for (const char *name : {"trusted.overlay.opaque", "user.overlay.opaque"}) {
        if (fgetxattr(dirFd, name, value, sizeof value) == 1 && value[0] == 'y')
            return true;
    }
    return false;
}

struct Scanner {
    std::vector<LayerEntry> *out;
    std::set<std::pair<dev_t, ino_t>> linked; // hard-linked inodes already counted

    void scan(int dirFd, const std::string &path)
    {
        DirPtr dir(fdopendir(dirFd));
        if (!dir) {
            close(dirFd);
            throw Error::sys("open directory", path, errno);
        }
        std::vector<std::string> names;
        while (dirent *e = readdir(dir.get())) {
            if (std::string_view(e->d_name) != "." && std::string_view(e->d_name) != "..")
                names.emplace_back(e->d_name);
        }
        std::sort(names.begin(), names.end());
        for (const std::string &name : names)
            scanEntry(::dirfd(dir.get()), childPath(path, name.c_str()), name);
    }

    void scanEntry(int parentFd, const std::string &path, const std::string &name)
    {
        struct stat st {};
        if (fstatat(parentFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
            return; // gone since readdir: the container is writing
        LayerEntry e;
        e.path = path;
        e.type = typeOf(st.st_mode, st.st_rdev);
        e.ctimeNs = int64_t(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
        if (e.type == EntryType::File && (st.st_nlink < 2 || linked.insert({st.st_dev, st.st_ino}).second))
            e.size = uint64_t(st.st_size);
        if (e.type != EntryType::Dir) {
            out->push_back(std::move(e));
            return;
        }
        int fd = openat(parentFd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            out->push_back(std::move(e));
            return;
        }
        e.opaque = isOpaque(fd);
        out->push_back(std::move(e));
        scan(fd, path);
    }
};

struct StackNode {
    EntryType type = EntryType::File;
    uint64_t size = 0;
    int layer = 0;
    int copies = 1;
    int64_t ctimeNs = 0;
};
using Stack = std::map<std::string, StackNode, PathLess>;

// The node at `path` and everything below it.
std::pair<Stack::iterator, Stack::iterator> subtree(Stack &stack, const std::string &path)
{
    auto first = stack.lower_bound(path);
    auto last = first;
    while (last != stack.end() && (last->first == path || isBelow(last->first, path)))
        ++last;
    return {first, last};
}

uint64_t bytesIn(Stack::iterator first, Stack::iterator last)
{
    uint64_t sum = 0;
    for (auto it = first; it != last; ++it)
        sum += it->second.size;
    return sum;
}

// dive's efficiency bookkeeping per path (dive/filetree/efficiency.go, EfficiencyData).
struct PathUse {
    uint64_t cumulative = 0;
    uint64_t minimum = 0;
    int count = 0;
};

// Everything one layer does to the stack below it, in the order overlayfs applies it.
class LayerApplier {
public:
    LayerApplier(Stack &stack, std::map<std::string, PathUse> &uses, uint64_t &hidden)
        : m_stack(stack), m_uses(uses), m_hidden(hidden)
    {
    }

    void apply(const LayerInput &input, LayerSummary &s)
    {
        const auto &entries = input.entries;
        for (size_t i = 0; i < entries.size(); ++i) {
            const LayerEntry &e = entries[i];
            // dive visits leaves only (its visitEvaluator is node.IsLeaf()): a directory
            // holding something in this layer is not counted itself.
            const bool leaf = i + 1 == entries.size() || !isBelow(entries[i + 1].path, e.path);
            if (e.type == EntryType::Whiteout)
                whiteout(e, s, leaf);
            else
                add(e, s, leaf);
        }
    }

private:
    void use(const std::string &path, uint64_t size)
    {
        PathUse &u = m_uses[path];
        u.cumulative += size;
        u.minimum = u.count == 0 ? size : std::min(u.minimum, size);
        ++u.count;
    }

    // dive sizes a whiteout by what it removes only when that was a directory
    // (the whole subtree); a whited-out file counts 0, so its original size is the
    // "minimum" no more and becomes waste.
    void whiteout(const LayerEntry &e, LayerSummary &s, bool leaf)
    {
        auto [first, last] = subtree(m_stack, e.path);
        const bool existed = first != last && first->first == e.path;
        const uint64_t bytes = bytesIn(first, last);
        if (leaf)
            use(e.path, existed && first->second.type == EntryType::Dir ? bytes : 0);
        LayerChange c {e.path, Change::Deleted, existed ? first->second.type : EntryType::Whiteout, bytes, true, false};
        s.changes.push_back(c);
        m_hidden += bytes;
        m_stack.erase(first, last);
    }

    // An opaque directory hides every lower entry below it: dive lists them as
    // removed, one by one.
    void hideBelow(const std::string &dir, LayerSummary &s)
    {
        auto [first, last] = subtree(m_stack, dir);
        if (first != last && first->first == dir)
            ++first;
        for (auto it = first; it != last; ++it) {
            s.changes.push_back({it->first, Change::Deleted, it->second.type, it->second.size, false, false});
            m_hidden += it->second.size;
        }
        m_stack.erase(first, last);
    }

    void add(const LayerEntry &e, LayerSummary &s, bool leaf)
    {
        if (leaf)
            use(e.path, e.size);
        auto it = m_stack.find(e.path);
        const bool existed = it != m_stack.end();
        const bool typeChanged = existed && (it->second.type == EntryType::Dir) != (e.type == EntryType::Dir);
        if (existed && e.type != EntryType::Dir)
            m_hidden += it->second.size; // the lower copy it overwrites
        if (typeChanged || (e.opaque && existed))
            hideBelow(e.path, s);
        const bool listed = !existed || e.type != EntryType::Dir || typeChanged || e.opaque;
        if (listed)
            s.changes.push_back({e.path, existed ? Change::Modified : Change::Added, e.type, e.size, false,
                                 e.opaque && e.type == EntryType::Dir});
        const int copies = existed ? m_stack[e.path].copies + 1 : 1;
        m_stack[e.path] = StackNode {e.type, e.size, s.index, copies, e.ctimeNs};
    }

    Stack &m_stack;
    std::map<std::string, PathUse> &m_uses;
    uint64_t &m_hidden;
};

void countChanges(LayerSummary &s)
{
    std::stable_sort(s.changes.begin(), s.changes.end(),
                     [](const LayerChange &a, const LayerChange &b) { return PathLess {}(a.path, b.path); });
    for (const LayerChange &c : s.changes) {
        if (c.change == Change::Added)
            ++s.added;
        else if (c.change == Change::Modified)
            ++s.modified;
        else
            ++s.deleted;
    }
}

// dive/image/analysis.go and dive/filetree/efficiency.go (github.com/wagoodman/dive,
// read at d6c6919): for every path, CumulativeSize sums its size over every layer
// that holds it (a whiteout of a directory counting the subtree it removes) and
// minDiscoveredSize keeps the smallest; the score is sum(min) / sum(cumulative), 1
// when nothing was counted. Paths held by two or more layers are the
// "inefficiencies", and their cumulative sizes add up to WastedBytes ("Potential
// wasted space"), the surviving copy included, as dive counts it. UserSizeByes is
// every layer's size but the base's.
void scoreEfficiency(const std::map<std::string, PathUse> &uses, LayerView &view)
{
    uint64_t minimum = 0, discovered = 0;
    for (const auto &[path, u] : uses) {
        minimum += u.minimum;
        discovered += u.cumulative;
        if (u.count >= 2) {
            view.inefficiencies.push_back({path, u.count, u.cumulative});
            view.wastedBytes += u.cumulative;
        }
    }
    view.efficiency = discovered == 0 ? 1.0 : double(minimum) / double(discovered);
    std::stable_sort(view.inefficiencies.begin(), view.inefficiencies.end(),
                     [](const Inefficiency &a, const Inefficiency &b) { return a.cumulativeSize > b.cumulativeSize; });
}

// History lines that made a layer, oldest first (ENV, CMD, ... make none).
std::vector<const HistoryStep *> layerHistory(const std::vector<HistoryStep> &history)
{
    std::vector<const HistoryStep *> out;
    for (const HistoryStep &h : history) {
        if (!h.emptyLayer)
            out.push_back(&h);
    }
    return out;
}

Stack stackOf(const std::vector<LayerInput> &layersBaseFirst)
{
    Stack stack;
    std::map<std::string, PathUse> uses;
    uint64_t hidden = 0;
    LayerApplier applier(stack, uses, hidden);
    for (size_t i = 0; i < layersBaseFirst.size(); ++i) {
        LayerSummary s;
        s.index = int(i);
        applier.apply(layersBaseFirst[i], s);
    }
    return stack;
}

bool isDirectory(const std::string &path)
{
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// A path of the init's own fds (/proc/self/fd/N): meaningless from this process.
bool reachable(const std::string &layerDir)
{
    return !layerDir.empty() && layerDir.rfind("/proc/self/", 0) != 0 && isDirectory(layerDir);
}

struct MergedWalk {
    const Stack &lowers;
    uint64_t rootMount = 0;
    std::map<std::string, LayerEntry, PathLess> found; // the writable layer's entries
    std::set<std::string> walked;                      // directories read (on the root mount)
    std::set<std::string> present;                     // every path seen

    void walk(int dirFd, const std::string &path)
    {
        DirPtr dir(fdopendir(dirFd));
        if (!dir) {
            close(dirFd);
            return;
        }
        walked.insert(path);
        while (dirent *d = readdir(dir.get())) {
            if (std::string_view(d->d_name) == "." || std::string_view(d->d_name) == "..")
                continue;
            visit(::dirfd(dir.get()), childPath(path, d->d_name), d->d_name);
        }
    }

    void visit(int parentFd, const std::string &path, const char *name)
    {
        struct statx sx {};
        if (statx(parentFd, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_MNT_ID, &sx) < 0)
            return;
        present.insert(path);
        if (sx.stx_mnt_id != rootMount)
            return; // /proc, /dev, a bind-mounted /etc/hostname: not the overlay
        const mode_t mode = sx.stx_mode;
        LayerEntry e {path, typeOf(mode, makedev(sx.stx_rdev_major, sx.stx_rdev_minor)),
                      S_ISREG(mode) ? sx.stx_size : 0, false,
                      int64_t(sx.stx_ctime.tv_sec) * 1000000000 + sx.stx_ctime.tv_nsec};
        auto lower = lowers.find(path);
        const bool isDir = e.type == EntryType::Dir;
        if (lower == lowers.end() || (lower->second.type == EntryType::Dir) != isDir
            || (!isDir && lower->second.ctimeNs != e.ctimeNs))
            found[path] = e;
        if (isDir) {
            int fd = openat(parentFd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd >= 0)
                walk(fd, path);
        }
    }

    // The topmost lower path the merged tree lacks, in a directory that was read.
    void addWhiteouts()
    {
        for (const auto &[path, node] : lowers) {
            if (path != "/" && !present.count(path) && walked.count(parentOf(path)))
                found[path] = LayerEntry {path, EntryType::Whiteout, 0, false, 0};
        }
    }
};

} // namespace

const char *changeName(Change change)
{
    switch (change) {
    case Change::Added: return "added";
    case Change::Modified: return "modified";
    case Change::Deleted: return "deleted";
    }
    return "";
}

LayerInput scanLayerDir(const std::string &dir, bool writable)
{
    LayerInput input;
    input.dir = dir;
    input.writable = writable;
    try {
        int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            throw Error::sys("open layer", dir, errno);
        Scanner scanner {&input.entries, {}};
        scanner.scan(fd, "/");
    } catch (const Error &e) {
        input.entries.clear();
        input.problem = e.what();
    }
    return input;
}

LayerView computeLayerView(const std::vector<LayerInput> &layersBaseFirst, const std::vector<HistoryStep> &history)
{
    LayerView view;
    Stack stack;
    std::map<std::string, PathUse> uses;
    LayerApplier applier(stack, uses, view.hiddenBytes);
    const std::vector<const HistoryStep *> made = layerHistory(history);
    for (size_t i = 0; i < layersBaseFirst.size(); ++i) {
        const LayerInput &input = layersBaseFirst[i];
        LayerSummary s;
        s.index = int(i);
        s.dir = input.dir;
        s.writable = input.writable;
        s.problem = input.problem;
        s.label = !input.writable && i < made.size() ? made[i]->createdBy : input.dir;
        for (const LayerEntry &e : input.entries)
            s.size += e.size;
        applier.apply(input, s);
        countChanges(s);
        view.totalSize += s.size;
        if (i != 0)
            view.userSize += s.size;
        view.layers.push_back(std::move(s));
    }
    for (const auto &[path, node] : stack)
        view.merged.push_back({path, node.type, node.size, node.layer, node.copies});
    scoreEfficiency(uses, view);
    return view;
}

OverlayLayers parseOverlayOptions(std::string_view options)
{
    OverlayLayers out;
    auto split = [](std::string_view text, char by) {
        std::vector<std::string> parts;
        size_t start = 0;
        while (start <= text.size()) {
            size_t end = text.find(by, start);
            if (end == std::string_view::npos)
                end = text.size();
            if (end > start)
                parts.emplace_back(text.substr(start, end - start));
            start = end + 1;
        }
        return parts;
    };
    for (const std::string &option : split(options, ',')) {
        const size_t eq = option.find('=');
        const std::string key = option.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : option.substr(eq + 1);
        if (key == "lowerdir") {
            for (std::string &lower : split(value, ':'))
                out.lowers.push_back(std::move(lower));
        } else if (key == "lowerdir+") { // the new mount API, one layer per option, top first
            out.lowers.push_back(value);
        } else if (key == "upperdir") {
            out.upper = value;
        } else if (key == "workdir") {
            out.work = value;
        }
    }
    return out;
}

std::optional<OverlayLayers> rootOverlay(const inspect::MountTree &tree)
{
    // The last mount on "/" is the one the process sees (later mounts cover earlier ones).
    for (auto it = tree.mounts.rbegin(); it != tree.mounts.rend(); ++it) {
        if (it->target != "/")
            continue;
        if (it->fstype != "overlay")
            return std::nullopt;
        OverlayLayers layers = parseOverlayOptions(it->fsOptions);
        layers.mountId = it->id;
        return layers;
    }
    return std::nullopt;
}

LayerInput upperFromMergedRoot(const std::string &mergedRoot, const std::vector<LayerInput> &lowersBaseFirst)
{
    LayerInput input;
    input.dir = mergedRoot;
    input.writable = true;
    const Stack lowers = stackOf(lowersBaseFirst);
    MergedWalk walk {lowers, 0, {}, {}, {}};
    struct statx root {};
    if (statx(AT_FDCWD, mergedRoot.c_str(), 0, STATX_MNT_ID, &root) < 0) {
        input.problem = Error::sys("read the merged root", mergedRoot, errno).what();
        return input;
    }
    walk.rootMount = root.stx_mnt_id;
    int fd = open(mergedRoot.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        input.problem = Error::sys("open the merged root", mergedRoot, errno).what();
        return input;
    }
    walk.walk(fd, "/");
    walk.addWhiteouts();
    for (auto &[path, e] : walk.found)
        input.entries.push_back(std::move(e));
    return input;
}

ContainerLayers readContainerLayers(pid_t pid, const std::vector<HistoryStep> &history, const std::string &procRoot)
{
    const std::string proc = procRoot + "/" + std::to_string(pid);
    std::optional<OverlayLayers> overlay = rootOverlay(inspect::readMountTree(pid, procRoot));
    if (!overlay)
        throw Error("layers of " + proc + ": its root is not an overlay mount (a bundle's directory is used as it is)");
    ContainerLayers out;
    out.overlay = *overlay;
    std::vector<LayerInput> layers;
    for (auto it = overlay->lowers.rbegin(); it != overlay->lowers.rend(); ++it)
        layers.push_back(scanLayerDir(*it));
    if (reachable(overlay->upper)) {
        out.upperSource = overlay->upper;
        layers.push_back(scanLayerDir(overlay->upper, true));
    } else if (!overlay->upper.empty()) {
        out.upperSource = proc + "/root";
        out.upperThroughMerged = true;
        layers.push_back(upperFromMergedRoot(out.upperSource, layers));
        layers.back().dir = overlay->upper;
    }
    out.view = computeLayerView(layers, history.empty() ? stackHistory(overlay->lowers) : history);
    return out;
}

std::vector<HistoryStep> stackHistory(const std::vector<std::string> &lowersTopFirst)
{
    if (lowersTopFirst.empty())
        return {};
    const std::string &top = lowersTopFirst.front();
    const size_t at = top.rfind("/layers/");
    const std::string tail = "/diff";
    if (at == std::string::npos || top.size() < tail.size() || top.compare(top.size() - tail.size(), tail.size(), tail) != 0)
        return {};
    try {
        Store store(top.substr(0, at));
        Fd lock = store.lock(false);
        for (const ImageRecord &image : store.images()) {
            if (store.layerDirs(image) != lowersTopFirst)
                continue;
            std::vector<HistoryStep> out;
            const std::vector<HistoryEntry> topFirst = store.history(image);
            for (auto it = topFirst.rbegin(); it != topFirst.rend(); ++it)
                out.push_back({it->createdBy, it->size, it->emptyLayer});
            return out;
        }
    } catch (const std::exception &) {
        // A store this user may not read (or a record half written by another process): the layers keep their directories' names.
    }
    return {};
}

bool inWritableLayer(pid_t pid, const std::string &path, const std::string &procRoot)
{
    std::optional<OverlayLayers> overlay;
    try {
        overlay = rootOverlay(inspect::readMountTree(pid, procRoot));
    } catch (const Error &) {
        return false; // the container has ended
    }
    if (!overlay || overlay->upper.empty())
        return false;
    struct stat st {};
    if (reachable(overlay->upper))
        return lstat((overlay->upper + path).c_str(), &st) == 0;
    // Through the merged root: present but not as the topmost lower has it, or gone.
    const std::string merged = procRoot + "/" + std::to_string(pid) + "/root" + path;
    const bool inMerged = lstat(merged.c_str(), &st) == 0;
    for (const std::string &lower : overlay->lowers) {
        struct stat below {};
        if (lstat((lower + path).c_str(), &below) != 0)
            continue;
        if (!inMerged)
            return true;
        return !S_ISDIR(st.st_mode)
               && (below.st_ctim.tv_sec != st.st_ctim.tv_sec || below.st_ctim.tv_nsec != st.st_ctim.tv_nsec);
    }
    return inMerged;
}

std::string humanBytes(uint64_t bytes)
{
    static const char *units[] = {"B", "kB", "MB", "GB", "TB", "PB"};
    if (bytes < 1000)
        return std::to_string(bytes) + " B";
    double value = double(bytes);
    int unit = 0;
    while (value >= 1000 && unit < 5) {
        value /= 1000;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    return text;
}

} // namespace hood::image
