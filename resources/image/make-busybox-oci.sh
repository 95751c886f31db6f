#!/bin/sh
# Makes the built-in image's OCI layout, OUT/oci, from OUT/rootfs at build time: a
# real one-layer image (digests, config, manifest) that a store seeds itself from the
# first time `busybox` is asked for by name (core/image/layout_load.cpp), offline.
# hoodctl makes it through a store of its own in a temporary directory, so the
# layout is the one `hoodctl save --format oci-dir` writes.
#
# usage: make-busybox-oci.sh HOODCTL OUT
set -eu
hoodctl=$1
out=$2
rm -rf "$out/oci" "$out/oci.tmp" "$out"/.store.*
store=$(mktemp -d "$out/.store.XXXXXX")
trap 'rm -rf "$store" "$out/oci.tmp"' EXIT
"$hoodctl" --store "$store" import --config "@$out/image.json" "$out/rootfs" busybox >/dev/null
"$hoodctl" --store "$store" save --format oci-dir -o "$out/oci.tmp" busybox
mv "$out/oci.tmp" "$out/oci"
