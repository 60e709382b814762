#!/usr/bin/env bash
# Unpacks a Jib image tarball (manifest.json, config.json, *.tar.gz layers) into a directory, in
# layer order, and prints the image's entrypoint on stdout, one argument per line. Used to run the
# multistage image's own command in its own filesystem without Docker: by the AOT-cache training
# (train-aot-cache.sh) and by the benchmark (src/bench/bench.sh).
#
# Usage: unpack-image.sh IMAGE_TAR ROOTFS_DIR
set -euo pipefail

die() { echo "unpack-image: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 IMAGE_TAR ROOTFS_DIR"
image_tar=$1 rootfs=$2
[ -f "$image_tar" ] || die "no image tarball at $image_tar"

work=$(mktemp -d "${TMPDIR:-/tmp}/unpack-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xf "$image_tar" -C "$work" manifest.json config.json
mkdir -p "$rootfs"
grep -o '[0-9a-f]\{64\}\.tar\.gz' "$work/manifest.json" | while read -r layer; do
  tar -xf "$image_tar" -C "$work" "$layer"
  tar -xzf "$work/$layer" -C "$rootfs" 2>/dev/null
  rm "$work/$layer"
done

# The entrypoint's JSON strings: Jib writes plain tokens (no quotes or commas inside them).
entrypoint=$(sed -e 's/.*"Entrypoint":\[\([^]]*\)\].*/\1/' -e 's/","/\n/g' -e 's/"//g' "$work/config.json")
[ "$(wc -l <<<"$entrypoint")" -gt 2 ] || die "no entrypoint in $image_tar"
printf '%s\n' "$entrypoint"
