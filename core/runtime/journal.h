// The journal of a container: one line per resource, appended BEFORE the resource
// is created, so that whichever process dies at whichever moment, `hoodctl gc` can
// replay the journal and remove everything that might exist.
//
//   cgroup /sys/fs/cgroup/memory/hood/web
//   mount /run/hood/web/rootfs
//   dir /run/hood/web/rootfs
//
// The words are the names of the kinds in the resource registry (resources.h).
// Mounts made inside the container's own mount namespace are not journaled: the
// kernel drops them with the namespace. Only resources visible from the host are.
#pragma once

#include <string>
#include <vector>

namespace hood {

struct ResourceType;

struct JournalEntry {
    const ResourceType *kind = nullptr; // a row of the registry
    std::string value;
    bool operator==(const JournalEntry &) const = default;
};

class Journal {
public:
    Journal() = default;
    explicit Journal(std::string path) : m_path(std::move(path)) {}
    const std::string &path() const { return m_path; }
    // Appends one line with O_APPEND (one write(2), so lines never interleave).
    // Throws hood::Error.
    void record(const ResourceType &kind, const std::string &value) const;

private:
    std::string m_path;
};

// Pure parser: lines of "<kind> <value>". Unknown kinds and malformed lines are
// reported in *bad (line numbers) and skipped, so a torn last line never stops gc.
std::vector<JournalEntry> parseJournal(const std::string &text, std::vector<int> *bad = nullptr);

// A missing journal is an empty one.
std::vector<JournalEntry> readJournal(const std::string &path);

// Undoes the entries in reverse order through the registry. What could not be
// undone is returned as sentences; an empty result means everything is gone.
std::vector<std::string> replayJournal(const std::vector<JournalEntry> &entries);

} // namespace hood
