#!/bin/bash
# Installs the Debian 12 packages Hood needs, then configures and builds Hood in
# build/ (or $HOOD_BUILD_DIR). Safe to run again: it calls apt-get only when a
# package is missing and CMake only when the build is not configured yet, so a
# second run takes a second or two.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${HOOD_BUILD_DIR:-$here/build}

packages=(
    # toolchain; clang and its libFuzzer runtime for the fuzz targets (scripts/fuzz-smoke.sh)
    build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
    # the GUI and the tests: Qt 6 Widgets and Qt Test, SVG for icons and diagrams,
    # the platform plugins (offscreen for screenshots and tests), and a font, without
    # which an offscreen window has no text
    qt6-base-dev qt6-svg-dev qt6-qpa-plugins libqcustomplot-dev fonts-dejavu-core
    # the engine's libraries
    libnl-3-dev libnl-route-3-dev libarchive-dev libmount-dev libseccomp-dev libcap-dev
    nlohmann-json3-dev libssl-dev libcurl4-openssl-dev
    # the built-in image, and the tools the tests use (setpriv, unshare, ip, ps)
    busybox-static util-linux iproute2 procps
    # the runtimes the benchmark compares against
    crun runc bubblewrap
    # networking: nft as a witness in the tests, libnftables for the engine's rules
    nftables libnftables-dev
    # images: peers that make and read images (umoci, skopeo), a local registry for
    # pull and push tests, zstd for zstd-compressed layers
    umoci skopeo docker-registry zstd
    # real clients driving Hood's engine: podman through conmon, Docker through
    # containerd's shim; uidmap and slirp4netns for rootless podman and networking
    podman conmon docker.io containerd uidmap slirp4netns
    # lessons: qemu-user's binary translation, PRoot's ptrace-based rootless mode,
    # curl for the arm64 busybox it translates (fetched from the apt mirror's pool);
    # the network tests fetch a published port with curl too
    qemu-user proot curl
    # the integration tests again on a pure cgroup v2 kernel, in a VM (tests/vm/); its
    # kernel is downloaded into the build tree there, not installed
    qemu-system-x86
)

missing_packages() {
    local installed
    # dpkg-query fails for a package it has never heard of; that one is missing too.
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${packages[@]}" 2>/dev/null \
        | awk '$2 == "installed" { print $1 }' || true)
    local package
    for package in "${packages[@]}"; do
        grep -qx "$package" <<<"$installed" || echo "$package"
    done
}

install_packages() {
    local missing
    mapfile -t missing < <(missing_packages)
    [[ ${#missing[@]} -eq 0 ]] && return
    if [[ $(id -u) -ne 0 ]]; then
        echo "setup: Hood needs these Debian packages: ${missing[*]}; run this script as root (sudo) to install them." >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

configure_and_build() {
    if [[ ! -f $build/CMakeCache.txt ]]; then
        cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
    fi
    # Runs CMake again by itself when a CMakeLists.txt changed.
    cmake --build "$build" -j "$(nproc)"
}

install_packages
configure_and_build
