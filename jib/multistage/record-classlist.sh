#!/usr/bin/env bash
# Records the class list of the multistage image's class archive (app.classlist, beside this
# script; class-archive.sh dumps the archive from it at build time). Run by hand after a change to
# the dependencies, the JVM flags or the start-up path, then rebuild and commit the list: the list
# is an input of the build, so the archive stays byte-reproducible (a recording is a timed run and
# is not).
#
# It runs the built image's own entrypoint in the image's own filesystem (unpack-image.sh and
# run-unpacked.sh: as nonroot 65532, its env) with -XX:DumpLoadedClassList instead of the
# archive (-Xshare:off: every class is loaded from its jar, so every one is recorded), waits for
# the first /health 200, drives the benchmark's requests (src/bench/bench.sh through
# serve-bench.sh: GET / and GET /health, 64 keep-alive connections from wrk, and its readiness probe
# with Connection: close), stops the JVM with SIGTERM (the graceful shutdown path is recorded too:
# docker stop starts faster) and writes the list without the service's own classes (com/example/):
# an archive holds only the classes of the jars before the first directory on the class path
# (class-archive.sh), and they change at every edit anyway.
#
# Usage: bash jib/multistage/record-classlist.sh [IMAGE_TAR]
#          IMAGE_TAR  default target/jib/docker-gs-ping-multistage.tar (./mvnw -B package -DskipTests)
# Needs: user namespaces (no root), curl, wrk (falls back to curl, one connection, when wrk is missing).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../lib.sh
source "$here/../lib.sh"
case ${1:-} in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;; esac
image_tar=${1:-$here/../../target/jib/docker-gs-ping-multistage.tar}
output=$here/app.classlist

[ -f "$image_tar" ] || die "no image tarball at $image_tar (./mvnw -B package -DskipTests)"
for tool in unshare curl; do command -v "$tool" >/dev/null || die "$tool not found"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/record-classlist.XXXXXX")
server_pid=''
cleanup() {
  [ -z "$server_pid" ] || kill -KILL "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

entrypoint_lines=$(bash "$here/unpack-image.sh" "$image_tar" "$work/root" "$work/image.env")
mapfile -t image_env <"$work/image.env"
mapfile -t entrypoint <<<"$entrypoint_lines"
# the image's command, its archive flag replaced by the recording
command=()
for arg in "${entrypoint[@]}"; do
  case $arg in
    -XX:SharedArchiveFile=*) command+=(-Xshare:off -XX:DumpLoadedClassList=/tmp/app.classlist) ;;
    *) command+=("$arg") ;;
  esac
done
printf '%s\n' "${command[@]}" | grep -q '^-XX:DumpLoadedClassList=' || die "the entrypoint has no -XX:SharedArchiveFile"

port=$(( 20000 + RANDOM % 10000 ))
# as src/bench/bench.sh runs it: every step execs, so $! is the JVM and gets the SIGTERM itself
env -i "${image_env[@]}" PORT=$port "$here/run-unpacked.sh" "$work/root" "${command[@]}" >"$work/run.log" 2>&1 &
server_pid=$!

for _ in $(seq 600); do
  curl -fsS -o /dev/null -H 'Connection: close' "http://127.0.0.1:$port/health" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || die "the image's command exited: $(tail -5 "$work/run.log")"
  sleep 0.1
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/health" || die "no /health 200 within 60 s: $(tail -5 "$work/run.log")"
# the benchmark's requests, 2 s per endpoint instead of its 15 (the classes are loaded in the first
# requests; the rest of a run only compiles)
for path in / /health; do
  if command -v wrk >/dev/null; then
    wrk -t1 -c64 -d2s "http://127.0.0.1:$port$path" >"$work/wrk.txt" || die "wrk failed: $(cat "$work/wrk.txt")"
  else
    for _ in $(seq 2000); do printf 'url = "http://127.0.0.1:%s%s"\noutput = "/dev/null"\n' "$port" "$path"; done >"$work/curlrc"
    curl -fsS -K "$work/curlrc" || die "requests to $path failed"
  fi
done
kill -TERM "$server_pid"
wait "$server_pid" || die "the service did not exit 0 on SIGTERM: $(tail -5 "$work/run.log")"
server_pid=''
list=$work/root/tmp/app.classlist
[ -s "$list" ] || die "no class list written: $(tail -5 "$work/run.log")"
grep -v 'com/example/' "$list" >"$output"
log "$(grep -vc '^[#@]' "$output") classes and $(grep -c '^@' "$output") other lines ($(grep -c 'com/example/' "$list") of the service's own left out) in $output"
