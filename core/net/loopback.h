#pragma once

namespace hood {
// Sets "lo" up in the calling process's network namespace, through libnl (rtnetlink),
// as every container runtime does: a new network namespace starts with lo down.
// Throws hood::Error.
void bringUpLoopback();
} // namespace hood
