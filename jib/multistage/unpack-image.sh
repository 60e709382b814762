#!/usr/bin/env bash
# Unpacks a Jib image tarball into a directory with the image toolkit (loaded into a store of its
# own, then `imagetool unpack`: layers in order, whiteouts applied, nothing written outside the
# directory), adds an empty /proc (Docker mounts one there, run-unpacked.sh the machine's), and
# prints the image's entrypoint on stdout, one argument per line; with ENV_FILE, also writes the
# image's environment there, one NAME=value per line (`imagetool inspect --format`). Used to run
# the multistage image's own command in its own filesystem without Docker (run-unpacked.sh): by
# the class list's recording (record-classlist.sh) and by the benchmark (src/bench/bench.sh).
#
# Usage: unpack-image.sh IMAGE_TAR ROOTFS_DIR [ENV_FILE]    (ROOTFS_DIR empty or absent)
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

[ $# -eq 2 ] || [ $# -eq 3 ] || die "usage: $0 IMAGE_TAR ROOTFS_DIR [ENV_FILE]"
image_tar=$1 rootfs=$2 env_file=${3:-}
[ -f "$image_tar" ] || die "no image tarball at $image_tar"

store=$(mktemp -d "${TMPDIR:-/tmp}/unpack-image.XXXXXX")
trap 'rm -rf "$store"' EXIT
name=$(imagetool --store "$store" load "$image_tar" | sed -n 's/^Loaded image: //p' | head -n 1)
[ -n "$name" ] || die "$image_tar names no image"
imagetool --store "$store" unpack "$name" "$rootfs"
mkdir -p "$rootfs/proc"
config() { imagetool --store "$store" inspect --format "$1" "$name"; }
entrypoint=$(config '{{join .Config.Entrypoint "\n"}}')
[ -n "$entrypoint" ] || die "no entrypoint in $image_tar"
if [ -n "$env_file" ]; then
  config '{{join .Config.Env "\n"}}' >"$env_file"
  [ -s "$env_file" ] || die "no environment in $image_tar"
fi
printf '%s\n' "$entrypoint"
