#!/bin/sh
# Sampler benchmark (issue 3, "Speed"): starts 10 containers running
# `hood-demo sleep`, measures one sampling tick over all of them with
# CgroupSampler, with `cat` per file and with `systemd-cgtop -n1`, prints the
# medians and ratios, then removes the containers.
#
#   tests/bench/sampler.sh [--build DIR] [--containers N] [-- bench-sampler options]
#
# Needs root (containers with cgroups). Builds hoodctl, the busybox image and
# bench-sampler in DIR (default: build). Goal: <= 200 µs per container per tick.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build="$repo/build"
count=10
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --containers) count=$2; shift 2 ;;
    --) shift; break ;;
    -h | --help) sed -n '6,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "sampler.sh: unknown argument \"$1\"" >&2; exit 2 ;;
    esac
done
if [ "$(id -u)" != 0 ]; then
    echo "sampler.sh: needs root (the containers get cgroups); run it with sudo" >&2
    exit 1
fi

[ -f "$build/CMakeCache.txt" ] || cmake -S "$repo" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target hoodctl image-busybox bench-sampler >/dev/null
hoodctl="$build/app/cli/hoodctl"

# A private state root: only our containers are listed and sampled.
HOOD_ROOT=$(mktemp -d /tmp/hood-bench-sampler.XXXXXX)
export HOOD_ROOT
cleanup() {
    for id in $("$hoodctl" list -q); do
        "$hoodctl" delete -f "$id" || echo "sampler.sh: could not delete $id" >&2
    done
    rmdir "$HOOD_ROOT"
}
trap cleanup EXIT INT TERM

i=1
while [ "$i" -le "$count" ]; do
    "$hoodctl" run -d --name "bench-sampler-$i" --memory 64M --pids 32 -- hood-demo sleep >/dev/null
    i=$((i + 1))
done
"$build/tests/bench/sampler/bench-sampler" "$HOOD_ROOT" "$@"
