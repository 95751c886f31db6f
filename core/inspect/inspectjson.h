// JSON for `hoodctl inspect --json`: nlohmann::json conversions of the inspect
// structs (found by ADL, so `nlohmann::json j = view;` works). Field names are
// camelCase as in OCI's config.json; a tree is written flat, each node carrying
// its parent's id or pid, which is how jq users filter.
#pragma once

#include "mounttree.h"
#include "netview.h"
#include "nsview.h"
#include "proctree.h"

#include <nlohmann/json.hpp>

namespace hood::inspect {

void to_json(nlohmann::json &j, const NsEntry &entry);
void to_json(nlohmann::json &j, const NsView &view);
void to_json(nlohmann::json &j, const MountEntry &mount);
void to_json(nlohmann::json &j, const MountTree &tree);
void to_json(nlohmann::json &j, const ProcessInfo &process);
void to_json(nlohmann::json &j, const ProcessTree &tree);
void to_json(nlohmann::json &j, const NetLink &link);
void to_json(nlohmann::json &j, const NetAddress &address);
void to_json(nlohmann::json &j, const NetRoute &route);
void to_json(nlohmann::json &j, const NetView &view);

// The mounts `diff.added` points at, as MountEntry JSON objects.
nlohmann::json addedMountsJson(const MountTree &tree, const MountDiff &diff);

} // namespace hood::inspect
