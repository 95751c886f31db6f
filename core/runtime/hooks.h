// config.json's hooks (prestart, createRuntime, createContainer, startContainer,
// poststart, poststop): each a program run with the container's state JSON on its
// stdin, one after the other in the order listed, killed when it outlives its
// timeout. Where each point runs: spec.h's Hooks, and docs/runtime-modes.md.
#pragma once

#include "spec/spec.h"

#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace hood {

// The state a hook reads on stdin (runtime-spec "state"): ociVersion, id, status,
// pid, bundle, annotations.
std::string hookState(const std::string &id, const std::string &status, pid_t pid,
                      const std::string &bundle);

// Runs the hooks of one point in order and waits for each. Throws hood::Error at
// the first that cannot start, ends with a status other than 0 or outlives its
// timeout (it is then killed), naming the point, its index and its path, as runc
// does: "prestart hook #0 (/bin/false) ended with status 1". The hook's stdout and
// stderr are collected and the end of them added to that sentence.
// defaultEnv: the environment of a hook that gives none (runc gives startContainer
// hooks the process's); empty: this process's own, as runc's hooks get runc's.
void runHooks(const char *point, const std::vector<Hook> &hooks, const std::string &state,
              const std::vector<std::string> &defaultEnv = {});

struct ContainerState;
// poststop, once the container and what it held are gone: a failure is a warning
// and the hooks after it still run (the runtime spec's rule for this point).
void runPoststopHooks(const Hooks &hooks, const ContainerState &state,
                      const std::function<void(const std::string &)> &warn);

} // namespace hood
