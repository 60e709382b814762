#!/usr/bin/env bash
# Trains a JDK 25+ AOT cache (JEP 483: classes loaded and linked; see below for profiles) for the
# multistage image, by running that image's own entrypoint in its own filesystem: the untrained
# image tarball is unpacked, then its exact command runs under chroot as nonroot, serves a short
# workload and stops on SIGTERM, and the JVM writes the cache at exit. The cache is only valid
# for the same runtime and the same class path files (path, size, mtime), which is why it is
# trained on the image's filesystem rather than on the build's target/ directory.
#
# Usage: train-aot-cache.sh UNTRAINED_IMAGE_TAR CACHE_PATH_IN_IMAGE OUTPUT_FILE
set -euo pipefail

die() { echo "train-aot-cache: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: $0 UNTRAINED_IMAGE_TAR CACHE_PATH_IN_IMAGE OUTPUT_FILE"
image_tar=$1 cache_in_image=$2 output=$3
[ -f "$image_tar" ] || die "no image tarball at $image_tar"
[ "$(id -u)" -eq 0 ] || die "needs root to chroot into the image's filesystem (or build without -Paot-cache)"
for tool in unshare chroot curl; do command -v "$tool" >/dev/null || die "$tool not found"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/train-aot.XXXXXX")
server_pid=''
cleanup() {
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# (a failed unpack stops the script here: set -e applies to the assignment)
entrypoint_lines=$(bash "$(dirname "${BASH_SOURCE[0]}")/unpack-image.sh" "$image_tar" "$work/root" "$work/image.env")
mapfile -t image_env <"$work/image.env"
mapfile -t entrypoint <<<"$entrypoint_lines"
cache_flag="-XX:AOTCache=$cache_in_image"
# Classes loaded and linked, without method profiles: replaying the profiles at start made the JIT
# compile hundreds of training-time methods ahead, on the one CPU the service also starts on
# (measured on this project: first 200 ~1.8 s -> ~1.3 s, and GET / right after start ~16k -> 25-48k
# requests/s); the cache is also ~4 MB smaller. The image's own command stays free of diagnostic flags.
record_classes_only=(-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining)
command=()
for arg in "${entrypoint[@]}"; do
  # record to a scratch file inside the image's /tmp instead of loading the (absent) cache
  if [ "$arg" = "$cache_flag" ]; then
    command+=("${record_classes_only[@]}")
    arg="-XX:AOTCacheOutput=/tmp/app.aot"
  fi
  command+=("$arg")
done
printf '%s\n' "${command[@]}" | grep -q '^-XX:AOTCacheOutput=' || die "entrypoint has no $cache_flag"

port=$(( 20000 + RANDOM % 20000 ))
mkdir -p "$work/root/proc"
# A private mount and pid namespace gives the JVM a /proc (glibc needs it to resolve the
# runtime's $ORIGIN) and is torn down with the process.
env -i "${image_env[@]}" PORT=$port \
  /usr/bin/unshare --mount --pid --fork --mount-proc="$work/root/proc" \
  /usr/sbin/chroot --userspec=65532:65532 "$work/root" "${command[@]}" >"$work/train.log" 2>&1 &
server_pid=$!

for _ in $(seq 300); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "the image's command exited: $(tail -5 "$work/train.log")"
  sleep 0.1
done
# The workload: every route and the error paths, often enough for the JIT to profile them;
# one curl process on one keep-alive connection.
for _ in $(seq 2000); do
  for path in / /health /nope /health/; do
    printf 'url = "http://127.0.0.1:%s%s"\noutput = "/dev/null"\n' "$port" "$path"
  done
done >"$work/workload.curlrc"
curl -sS -K "$work/workload.curlrc" || die "workload failed"
curl -sS -o /dev/null -X POST "http://127.0.0.1:$port/" || die "workload failed"
# SIGTERM to the JVM (the child of unshare, pid 1 of its namespace): the app exits 0 and the JVM
# assembles the cache on the way out.
kill -TERM "$(pgrep -P "$server_pid")"
wait "$server_pid" || die "training run failed: $(tail -5 "$work/train.log")"
server_pid=''
[ -s "$work/root/tmp/app.aot" ] || die "no cache written: $(tail -5 "$work/train.log")"
mkdir -p "$(dirname "$output")"
mv "$work/root/tmp/app.aot" "$output"
echo "train-aot-cache: $(du -h "$output" | cut -f1) AOT cache at $output" >&2
