#!/bin/sh
# tests/bench/build.sh [--hoodctl PATH] [--runs N]: a 10-step Dockerfile built by
# hoodctl uncached (--no-cache) and then fully cached, in a store and state root
# of its own (issue 9, "Speed": cached <= 5 % of uncached). Starts containers:
# run it as root, under the integration lock on a shared machine:
#   flock /work/.integration.lock tests/bench/build.sh --hoodctl build/app/cli/hoodctl
# Docker's own `docker build` is not timed here: it needs a running dockerd, which
# makes a bridge and firewall rules on the machine's network.
set -eu
hoodctl=build/app/cli/hoodctl
runs=5
while [ $# -gt 0 ]; do
    case "$1" in
    --hoodctl) hoodctl=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: $0 [--hoodctl PATH] [--runs N]" >&2; exit 2 ;;
    esac
done
work=$(mktemp -d /tmp/bench-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ctx"
head -c 1000000 /dev/urandom > "$work/ctx/data.bin"
echo one > "$work/ctx/a.txt"
echo two > "$work/ctx/b.txt"
cat > "$work/ctx/Dockerfile" <<'DF'
FROM busybox
ENV APP=/app
COPY a.txt $APP/
COPY b.txt $APP/
COPY data.bin $APP/
RUN cat $APP/a.txt $APP/b.txt > $APP/ab.txt
RUN md5sum $APP/data.bin > $APP/data.md5
RUN mkdir -p /var/lib/app && echo ready > /var/lib/app/state
WORKDIR /app
CMD ["cat", "ab.txt"]
DF
export HOOD_ROOT="$work/state"
h() { "$hoodctl" --store "$work/store" "$@" > /dev/null; }
now() { date +%s.%N; }
h build -t bench/app ctx 2>/dev/null || h build -t bench/app "$work/ctx"   # warm: busybox seeded
uncached=""; cached=""; floor=""
i=0
while [ $i -lt "$runs" ]; do
    t0=$(now); h build --no-cache -t bench/app "$work/ctx"; t1=$(now)
    h build -t bench/app "$work/ctx"; t2=$(now)
    uncached="$uncached $(echo "$t1 - $t0" | bc)"
    cached="$cached $(echo "$t2 - $t1" | bc)"
    h images; t3=$(now)
    floor="$floor $(echo "$t3 - $t2" | bc)"
    i=$((i + 1))
done
median() { echo "$@" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
u=$(median $uncached); c=$(median $cached); f=$(median $floor)
pct=$(echo "scale=2; 100 * $c / $u" | bc)
echo "10-step build, median of $runs: uncached ${u} s, fully cached ${c} s (${pct} % of uncached; goal <= 5 %)"
echo "  (hoodctl images, start-up and one store read, takes ${f} s of that floor)"
