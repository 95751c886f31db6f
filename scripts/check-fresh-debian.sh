#!/bin/bash
# Checks the README's promise on a clean Debian 12: makes a minimal Debian 12 root
# with debootstrap (once), clones this repository's committed HEAD into it and runs
# scripts/test.sh there as its root (pivot_root), in a private mount namespace (so
# the host's mount table never changes). Run as root on a Debian machine.
#
# usage: scripts/check-fresh-debian.sh [--fresh] [--lock FILE] [ROOT]   (ROOT: /work/deb12)
#   --fresh      start from a new debootstrap, not from a root an earlier run
#                already installed packages into
#   --lock FILE  hold FILE with flock(1) while the tests run (not while setup and the
#                build do), so that other test runs on this machine that hold it too
#                never overlap with them (scripts/test.sh, HOOD_TEST_LOCK)
# The Debian mirror is the one apt uses here ($HOOD_DEBIAN_MIRROR overrides it).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
fresh=0
lock=
while [[ ${1:-} == --* ]]; do
    case $1 in
    --fresh) fresh=1 ;;
    --lock)
        [[ -n ${2:-} ]] || { echo "check-fresh-debian: --lock needs a file" >&2; exit 1; }
        lock=$(realpath -m "$2")
        shift
        ;;
    *) echo "check-fresh-debian: unknown option $1" >&2; exit 1 ;;
    esac
    shift
done
root=$(realpath -m "${1:-/work/deb12}")

die() {
    echo "check-fresh-debian: $*" >&2
    exit 1
}

[[ $(id -u) -eq 0 ]] || die "run as root: debootstrap, chroot and mounts need it"
[[ $root != / && $root != "$here"* ]] || die "refusing to use $root as the Debian root"

debian_mirror() {
    local found
    # awk reads to the end: an early exit would fail the pipeline under pipefail.
    found=$(grep -rhoE '(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list \
        /etc/apt/sources.list.d/ 2>/dev/null | awk 'NR == 1 { print $2 }' || true)
    local mirror=${HOOD_DEBIAN_MIRROR:-$found}
    [[ -n $mirror ]] || die "no Debian mirror in /etc/apt/sources.list{,.d/}: name one in HOOD_DEBIAN_MIRROR"
    echo "$mirror"
}

make_root() {
    if grep -q " $root/" /proc/self/mountinfo; then
        die "something is mounted under $root; unmount it first"
    fi
    rm -rf "$root"
    command -v debootstrap >/dev/null || apt-get install -y -q debootstrap
    local mirror
    mirror=$(debian_mirror) # a failed lookup stops here (set -e), not inside debootstrap
    debootstrap --variant=minbase bookworm "$root" "$mirror"
}

if [[ $fresh -eq 1 || ! -x $root/bin/bash ]]; then
    make_root
fi

rm -rf "$root/root/hood"
git clone -q "$here" "$root/root/hood"
# The lock file is bound into the root at /run/hood-test.lock, so that flock(1) inside
# locks the same file as the host's test runs.
lock_mount=:
lock_env=
if [[ -n $lock ]]; then
    touch "$lock" "$root/run/hood-test.lock"
    lock_mount="mount --bind '$lock' '$root/run/hood-test.lock'"
    lock_env=HOOD_TEST_LOCK=/run/hood-test.lock
fi
echo "check-fresh-debian: running scripts/test.sh on $(git -C "$here" log -1 --format='%h %s')"

# The root is bind-mounted onto itself so that / is a mount point inside it, as on a
# real machine (making / private, pivot_root need that), and gets proc, sys and dev
# for the tests; the private mount namespace drops it all when it ends. It becomes
# the root with pivot_root, not chroot: the kernel refuses user namespaces to a
# chrooted process (EPERM), and the rootless tests need them. `pivot_root . .`
# stacks the host's root on top of the new one; `umount -l /` detaches it.
exec unshare -m sh -c "mount --make-rprivate / \
    && mount --bind '$root' '$root' \
    && mount -t proc proc '$root/proc' \
    && mount --rbind /sys '$root/sys' \
    && mount --rbind /dev '$root/dev' \
    && $lock_mount \
    && cd '$root' && pivot_root . . && umount -l / && cd / \
    && exec /usr/bin/env -i $lock_env HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c 'cd /root/hood && ./scripts/test.sh'"
