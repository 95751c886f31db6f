#!/bin/bash
# Sets Hood up (packages, build) and runs every test with ctest: unit tests, and the
# "privileged" ones that start real containers (they skip, saying why, when not root).
# Extra arguments go to ctest, e.g. ./scripts/test.sh -R tst_spec -V
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HOOD_BUILD_DIR:-$here/build}

"$here/scripts/setup.sh"

# Widgets under test never open windows on the desktop, and need no display at all.
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
# Tests that start containers count every Hood cgroup and mount on the machine as a
# leftover, so two runs on one machine (scripts/check-fresh-debian.sh beside a working
# tree's tests) must not overlap. HOOD_TEST_LOCK names a file that both hold, with
# flock(1), while ctest runs; the build above needs no lock.
if [[ -n ${HOOD_TEST_LOCK:-} ]]; then
    exec 9>>"$HOOD_TEST_LOCK"
    echo "test.sh: waiting for $HOOD_TEST_LOCK" >&2
    flock 9
fi
exec ctest --test-dir "$build" --output-on-failure "$@"
