#!/bin/sh
# Makes Hood's built-in image "busybox" from Debian's busybox-static, at build time:
#   OUT/rootfs      applet links, /etc files, empty mount points, hood-demo
#   OUT/image.json  name, where it came from, default command and environment
# The image is built in a temporary directory beside OUT and renamed into place, so
# a half-made image never exists under OUT (an interrupted build leaves only the
# temporary directory, which the next run removes).
#
# usage: make-busybox-image.sh BUSYBOX HOOD_DEMO OUT
set -eu

busybox=$1
hood_demo=$2
out=$3

die() {
    echo "make-busybox-image: $*" >&2
    exit 1
}

# A dynamically linked binary would find no libc inside the image.
require_static() {
    [ -x "$1" ] || die "$1: not found or not executable"
    if LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'program interpreter'; then
        die "$1 is dynamically linked; $2"
    fi
}

require_static "$busybox" "install Debian's busybox-static (apt-get install busybox-static)"
require_static "$hood_demo" "hood-demo must be linked with -static"

version=$("$busybox" --help 2>&1 | head -n 1 | sed 's/ multi-call binary.*//')
case $version in
BusyBox*) ;;
*) die "$busybox does not look like BusyBox (it printed: $version)" ;;
esac

parent=$(dirname "$out")
mkdir -p "$parent"
rm -rf "$out".tmp.*
tmp=$(mktemp -d "$out.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/rootfs

# Mount points and the usual directories; /tmp and /var/tmp are world-writable and
# sticky, /root is private, as on Debian.
for dir in bin sbin usr/bin usr/sbin usr/local/bin usr/local/sbin etc proc sys dev run \
    mnt home root tmp var/tmp var/log; do
    mkdir -p "$root/$dir"
done
chmod 1777 "$root/tmp" "$root/var/tmp"
chmod 0700 "$root/root"

cp "$busybox" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"

# One link per applet. Relative links resolve to the image's busybox both inside the
# container and when the host looks into the rootfs (an absolute /bin/busybox would
# point at the host's own binary when seen from outside).
"$busybox" --list-full | while read -r applet; do
    case ${applet%/*} in
    bin) target=busybox ;;
    sbin) target=../bin/busybox ;;
    usr/bin | usr/sbin) target=../../bin/busybox ;;
    *) continue ;; # linuxrc: only for booting a kernel straight into busybox
    esac
    [ "$applet" = bin/busybox ] || ln -s "$target" "$root/$applet"
done

cp "$hood_demo" "$root/usr/local/bin/hood-demo"
chmod 0755 "$root/usr/local/bin/hood-demo"

cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
echo hood >"$root/etc/hostname"
cat >"$root/etc/hosts" <<'EOF'
127.0.0.1	localhost hood
::1	localhost ip6-localhost ip6-loopback
EOF
number=$(printf '%s\n' "$version" | sed -n 's/^BusyBox v\([0-9.]*\).*/\1/p')
cat >"$root/etc/os-release" <<EOF
NAME="Hood busybox"
ID=hood-busybox
VERSION_ID="$number"
PRETTY_NAME="Hood built-in image ($version)"
EOF
mkdir -p "$root/usr/lib"
ln -s ../../etc/os-release "$root/usr/lib/os-release"

path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cat >"$tmp/image.json" <<EOF
{
  "name": "busybox",
  "description": "BusyBox applets and hood-demo, made at build time from Debian's busybox-static",
  "createdFrom": "$version",
  "rootfs": "rootfs",
  "config": {
    "Cmd": ["sh"],
    "Env": ["PATH=$path"],
    "WorkingDir": "/"
  }
}
EOF

chmod 0755 "$tmp"
if [ -e "$out" ]; then
    mv "$out" "$tmp.old"
fi
mv "$tmp" "$out"
trap - EXIT
rm -rf "$tmp.old"
