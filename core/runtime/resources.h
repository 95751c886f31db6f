// The host-resource registry: every kind of thing a container makes that the
// host can see (a cgroup, a mount, a directory, and later a veth, a bridge, an
// nft table, an IPAM lease, a half-extracted layer) is one row here, with the
// word the journal uses for it and the function that removes it. The journal and
// `gc` know only this registry, so a new kind is one row and one destroy function.
//
// Making a resource always goes through HostResources::acquire(): the journal line is
// written BEFORE the resource exists, so a SIGKILL at any moment leaves at most a
// line whose resource is missing, which destroy treats as done.
#pragma once

#include "journal.h"

#include <string>
#include <string_view>
#include <vector>

namespace hood {

struct ResourceType {
    std::string_view name; // the journal's word: "cgroup"
    std::string_view what; // for sentences: "cgroup", "mount", "directory"
    // Removes the resource; one that is already gone counts as removed. Returns
    // false with one sentence in *why when it could not be removed.
    bool (*destroy)(const std::string &value, std::string *why);
};

namespace resource {
extern const ResourceType Cgroup; // a cgroup directory (v1: one per controller)
extern const ResourceType SpecCgroup;   // a cgroup at the spec's linux.cgroupsPath
extern const ResourceType CgroupParent; // a parent a cgroupsPath made (removed when empty)
extern const ResourceType Mount;  // a mount visible from the host's namespace
extern const ResourceType Dir;    // a directory tree outside the state directory
} // namespace resource

// The kind a journal word names, or nullptr.
const ResourceType *findResourceType(std::string_view name);
// Every kind, built-in first: for tests and `hoodctl info`.
std::vector<const ResourceType *> resourceTypes();
// Adds a kind (the rows of other subsystems); a name may be registered once.
void registerResourceType(const ResourceType &type);

// One container's resources, journaled in <state>/journal.
class HostResources {
public:
    HostResources() = default;
    explicit HostResources(std::string journalPath) : m_journal(std::move(journalPath)) {}
    const Journal &journal() const { return m_journal; }

    // Journals (type, value), then runs create(). An exception from create
    // leaves the line: replay removes whatever part of it was made.
    template <class Create>
    void acquire(const ResourceType &type, const std::string &value, Create &&create)
    {
        m_journal.record(type, value);
        create();
    }
    // Undoes every journaled resource, newest first; what could not be removed is
    // returned as sentences.
    std::vector<std::string> releaseAll() const;

private:
    Journal m_journal;
};

} // namespace hood
