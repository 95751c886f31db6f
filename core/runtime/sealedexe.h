// CVE-2019-5736: a process inside a container that sees the runtime's process
// there (the init before it execs the command, or `hoodctl exec`'s child before
// it execs) can keep an O_PATH fd of its /proc/PID/exe and, once no process
// executes the binary any more, reopen it for writing and replace the host's
// hoodctl. runc's answer, and Hood's: the verbs whose process enters a container
// without a Hood monitor keeping the binary busy (create, exec)
// first re-execute themselves from a form of their binary no one can write: as
// root the binary through a detached overlayfs of lower layers only (a mount, no
// copy), else a sealed memfd copy, gone when the last process using it is.
// docs/security.md says which verbs and why.
#pragma once

#include <string>

namespace hood {

// True when /proc/self/exe is a memfd with every seal on, or a file on a
// read-only overlayfs.
bool runningFromSealedCopy();

// As root, opens /proc/self/exe's binary through a lower-only overlay; else (or
// when that fails) copies it into a memfd and seals it (no write, grow, shrink,
// more seals); then fexecve()s it with the same argv and environment, with
// HOOD_ORIGINAL_EXE naming the binary it came from. Returns only when this
// process already runs from such a copy; throws hood::Error with one sentence
// when a step fails ("seal a copy of /proc/self/exe: ...").
void reexecFromSealedCopy(char **argv);

// The path of the binary this process was started from: HOOD_ORIGINAL_EXE under
// a sealed copy, /proc/self/exe's target otherwise (for finding what lies beside
// it, such as the built-in images).
std::string originalExePath();

} // namespace hood
