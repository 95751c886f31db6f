// Live copy-ups: an inotify watch on every directory of a container's writable
// layer (its upperdir), or of its merged root when the upperdir cannot be reached
// from here. Whoever owns it polls fd() (QSocketNotifier, poll(2)) and calls
// readEvents(), which also watches the directories that appear, so a copy-up of
// /etc/hostname (overlayfs makes /etc in the upper, then renames the copy in) is
// seen as it happens.
#pragma once

#include "sys/fd.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hood::image {

struct CopyUpEvent {
    enum class Kind { Written, Deleted };
    std::string path; // absolute inside the container: "/etc/hostname"
    Kind kind = Kind::Written;
    bool dir = false;
};

class CopyUpWatch {
public:
    // Watches `root` and every directory below it on the same mount. Throws
    // hood::Error (inotify_init1, or the root cannot be watched).
    explicit CopyUpWatch(std::string root);

    int fd() const { return m_fd.get(); }
    const std::string &root() const { return m_root; }
    size_t watchCount() const { return m_dirs.size(); }
    // What happened since the last call; never blocks. A whiteout that appears
    // (in an upperdir) is a deletion; a directory that appears is watched too, and
    // what it already holds is reported as written.
    std::vector<CopyUpEvent> readEvents();

private:
    void watchTree(const std::string &path, std::vector<CopyUpEvent> *found);
    CopyUpEvent::Kind kindOf(const std::string &path, uint32_t mask) const;

    Fd m_fd;
    std::string m_root;
    uint64_t m_mount = 0;
    std::map<int, std::string> m_dirs; // watch descriptor -> path inside
};

} // namespace hood::image
