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
exec ctest --test-dir "$build" --output-on-failure "$@"
