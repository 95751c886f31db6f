#!/bin/sh
# GUI benchmark (issue 4, "Speed"): 10 running containers sampled at 10 Hz for 30 s
# with the Resources page on screen (offscreen platform). Prints the hood process's
# own CPU time (utime + stime from /proc/self/stat, hoodctl children excluded) as a
# share of one core, and the p50/p95/max time of a Resources page replot. Then the
# frame time on each live page (issue 13): a 16 ms timer that repaints the page, how
# late it fires and how long the paint takes, while inspection runs.
#
#   tests/bench/gui/run.sh [--build DIR] [--containers N] [--seconds S] [--page-seconds S]
#
# Needs root (the containers get cgroups). Builds hood, hoodctl and the busybox
# image in DIR (default: build). Goals: <= 10 % of one core, replot p95 <= 8 ms.
# The containers live under a private state root and are removed at the end.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
build="$repo/build"
count=10
seconds=30
page_seconds=10
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --containers) count=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --page-seconds) page_seconds=$2; shift 2 ;;
    -h | --help) sed -n '9,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "gui/run.sh: unknown argument \"$1\"" >&2; exit 2 ;;
    esac
done
if [ "$(id -u)" != 0 ]; then
    echo "gui/run.sh: needs root (the containers get cgroups); run it with sudo" >&2
    exit 1
fi

[ -f "$build/CMakeCache.txt" ] || cmake -S "$repo" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target hood hoodctl image-busybox >/dev/null

# hood makes its own private state root and removes every container it launched.
# Settings (recent launches) go to a throw-away home.
XDG_CONFIG_HOME=$(mktemp -d /tmp/hood-bench-gui.XXXXXX)
export XDG_CONFIG_HOME
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
QT_QPA_PLATFORM=offscreen "$build/app/gui/hood" --bench-sampling "$count" "$seconds" "$page_seconds"
