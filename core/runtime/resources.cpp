#include "resources.h"

#include "cgroups/cgroups.h"
#include "error.h"
#include "privops.h"
#include "statedir.h"

#include <mutex>

namespace hood {

namespace {
bool destroyCgroup(const std::string &path, std::string *why)
{
    return removeCgroupPath(path, why);
}

bool destroySpecCgroup(const std::string &path, std::string *why)
{
    return removeSpecCgroup(path, why);
}

bool destroyCgroupParent(const std::string &path, std::string *why)
{
    return removeCgroupParent(path, why);
}

bool destroyDir(const std::string &path, std::string *why)
{
    return removeTree(path, why);
}

struct Registry {
    std::mutex lock;
    std::vector<const ResourceType *> types;
};

Registry &registry()
{
    static Registry r {{}, {&resource::Cgroup, &resource::SpecCgroup, &resource::CgroupParent, &resource::Mount, &resource::Dir}};
    return r;
}
} // namespace

namespace resource {
const ResourceType Cgroup {"cgroup", "cgroup", destroyCgroup};
const ResourceType SpecCgroup {"cgroup-path", "cgroup", destroySpecCgroup};
const ResourceType CgroupParent {"cgroup-parent", "cgroup parent", destroyCgroupParent};
const ResourceType Mount {"mount", "mount", priv::detachMount};
const ResourceType Dir {"dir", "directory", destroyDir};
} // namespace resource

const ResourceType *findResourceType(std::string_view name)
{
    Registry &r = registry();
    std::lock_guard guard(r.lock);
    for (const ResourceType *type : r.types) {
        if (type->name == name)
            return type;
    }
    return nullptr;
}

std::vector<const ResourceType *> resourceTypes()
{
    Registry &r = registry();
    std::lock_guard guard(r.lock);
    return r.types;
}

void registerResourceType(const ResourceType &type)
{
    if (findResourceType(type.name))
        throw Error("resource kind \"" + std::string(type.name) + "\" is registered twice");
    Registry &r = registry();
    std::lock_guard guard(r.lock);
    r.types.push_back(&type);
}

std::vector<std::string> HostResources::releaseAll() const
{
    return replayJournal(readJournal(m_journal.path()));
}

} // namespace hood
