// Turning a prepared process into the user's command: rlimits, the executable's
// path, capabilities and user, and exec. Shared by the container's init and by
// `hoodctl exec`, so both give the command exactly what the spec says.
#pragma once

#include "spec/spec.h"

#include <functional>
#include <string>
#include <sys/types.h>

namespace hood {

using WarnFn = std::function<void(const std::string &)>;

void applyRlimits(const std::vector<Rlimit> &rlimits);

// Like execvp's search (PATH from the process's env), done before exec so that a
// missing command is reported while someone is still listening:
//   "exec /nope: no such file or directory"
//   "exec nope: executable file not found in $PATH"
std::string findExecutable(const Process &p);

// Bounding set, then groups/gid/uid keeping capabilities, then the exact
// effective/permitted/inheritable/ambient sets of the spec.
void switchUser(const Process &p, bool setgroupsDenied, const WarnFn &warn);

// PR_SET_PDEATHSIG(SIGKILL), set last because credential changes clear it; exits
// at once if the parent is already gone.
void dieWithParent(pid_t parent);

[[noreturn]] void execProcess(const Process &p, const std::string &path);

} // namespace hood
