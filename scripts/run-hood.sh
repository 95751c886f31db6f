#!/bin/bash
# Sets Hood up (packages, build) and starts the desktop app. Arguments go to hood.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HOOD_BUILD_DIR:-$here/build}

"$here/scripts/setup.sh"

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} && -z ${QT_QPA_PLATFORM:-} ]]; then
    echo "run-hood: there is no graphical display here (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open; to see it anyway, render it to a picture with: $build/app/gui/hood --screenshot hood.png" >&2
    exit 1
fi
exec "$build/app/gui/hood" "$@"
