#!/usr/bin/env bash
# Unpacks a Jib image tarball (manifest.json, config.json, *.tar.gz layers) into a directory, in
# layer order, with an empty /proc (Docker mounts one there, run-unpacked.sh the machine's), and
# prints the image's entrypoint on stdout, one argument per line; with ENV_FILE, also writes the
# image's environment there, one NAME=value per line. Used to run the multistage image's own command
# in its own filesystem without Docker (run-unpacked.sh): by the class list's recording
# (record-classlist.sh) and by the benchmark (src/bench/bench.sh).
#
# Usage: unpack-image.sh IMAGE_TAR ROOTFS_DIR [ENV_FILE]
set -euo pipefail
# shellcheck source=SCRIPTDIR/../lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

[ $# -eq 2 ] || [ $# -eq 3 ] || die "usage: $0 IMAGE_TAR ROOTFS_DIR [ENV_FILE]"
image_tar=$1 rootfs=$2 env_file=${3:-}
[ -f "$image_tar" ] || die "no image tarball at $image_tar"

work=$(mktemp -d "${TMPDIR:-/tmp}/unpack-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xf "$image_tar" -C "$work" manifest.json config.json
mkdir -p "$rootfs/proc"
grep -o '[0-9a-f]\{64\}\.tar\.gz' "$work/manifest.json" | while read -r layer; do
  tar -xf "$image_tar" -C "$work" "$layer"
  tar -xzf "$work/$layer" -C "$rootfs" 2>/dev/null
  rm "$work/$layer"
done

# JSON string arrays of the config: Jib writes plain tokens (no quotes or commas inside them).
json_strings() { sed -e "s/.*\"$1\":\\[\\([^]]*\\)\\].*/\\1/" -e 's/","/\n/g' -e 's/"//g' "$work/config.json"; }
entrypoint=$(json_strings Entrypoint)
[ "$(wc -l <<<"$entrypoint")" -gt 2 ] || die "no entrypoint in $image_tar"
if [ -n "$env_file" ]; then
  grep -q '"Env":\[' "$work/config.json" || die "no environment in $image_tar"
  json_strings Env >"$env_file"
fi
printf '%s\n' "$entrypoint"
