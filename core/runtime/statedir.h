// Where containers keep their state, and what a container ID may be.
//
//   <root>/<id>/state.json   what `hoodctl state` and `list` read (written atomically)
//   <root>/<id>/config.json  the spec the container was made from
//   <root>/<id>/journal      every resource, written before it is created (journal.h)
//   <root>/<id>/exec.fifo    exists between create and start (runc's convention)
//   <root>/<id>/container.log  stdout/stderr of a detached container
//   <root>/<id>/rootfs/      mount point for an ephemeral overlay (only inside the
//                            container's own mount namespace)
#pragma once

#include "sys/fd.h"

#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace hood {

// /run/hood as root; /run/user/<uid>/hood (when that directory is the user's), else
// /tmp/hood-<uid>, for other users: the uid alone decides, no environment variable.
// HOOD_ROOT in the environment overrides both.
std::string defaultStateRoot();

// Creates <root> (0700) if needed and checks that it belongs to us, so that another
// user cannot plant state for us to act on. Throws hood::Error.
void ensureStateRoot(const std::string &root);

// Throws hood::Error unless id matches [A-Za-z0-9_.+-]{1,64} and is not "." or "..".
void validateId(const std::string &id);

// 12 random hex digits, like a short Docker ID.
std::string generateId();

// IDs of every directory under root that looks like a container (sorted).
std::vector<std::string> listContainerIds(const std::string &root);

// A state directory is made under a name no container ID can have, filled with
// state.json, then renamed into place, so <root>/<id> always holds a state.json
// with its monitor's pid and `gc` can tell a dead monitor from one still starting.
constexpr char kNewStateDirMark = '#';
std::string newStateDirName(const std::string &id, pid_t monitor);
// The half-made state directories under root, with the pid of their monitor.
std::vector<std::pair<std::string, pid_t>> listNewStateDirs(const std::string &root);

// The per-container lock: flock(LOCK_EX) on the state directory itself, held while
// the returned fd is open. start, stop, delete and gc take it, so two hoodctl
// processes on one container (start and delete, two deletes) take turns instead of
// removing state under each other. wait=false: an invalid Fd when someone holds it.
// An invalid Fd too when the directory is gone (deleted meanwhile).
Fd lockStateDir(const std::string &dir, bool wait = true);

// Removes a directory tree without following symlinks or crossing mount points.
// Returns false (and the reason in *why) when something stays.
bool removeTree(const std::string &path, std::string *why = nullptr);

} // namespace hood
