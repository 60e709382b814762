#!/usr/bin/env bash
# Where the multistage image's start-up, warm-up and memory go, on one CPU as in the benchmark.
# Runs the image's exact command that bench.sh unpacked (target/bench/multistage-command.sh), with
# diagnostic JVM flags added through JAVA_TOOL_OPTIONS, four times:
#   0. the start-up timeline of one start: JVM creation (-Xlog:startuptime), Micronaut's "Startup
#      completed", the first request's own latency (access log), the classes loaded and where
#      from (-Xlog:class+load: the class archive or not), and the first request's JFR set-up
#      (Micronaut's Http1RequestEvent makes JFR read its event metadata: the classes loaded then),
#   1. JIT compilation until the first 200 on /health (-XX:+CITime: C1 and C2 methods and time),
#   2. native memory at idle, 1 s after the first 200 (native memory tracking, committed MB),
#   3. warm-up: GET / requests/s in 1-second wrk slices from the first 200 on (no extra flags).
# Prints the figures and writes them to target/bench/profile.txt.
#
# Usage: src/bench/profile.sh [--slices N]     (after src/bench/bench.sh)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=SCRIPTDIR/../../jib/lib.sh
source jib/lib.sh

slices=20
while [ $# -gt 0 ]; do
  case $1 in
    --slices) slices=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--slices N]" >&2; exit 2 ;;
  esac
done

command=$PWD/target/bench/multistage-command.sh
[ -x "$command" ] || die "no $command: run src/bench/bench.sh first"
for tool in curl wrk taskset; do command -v "$tool" >/dev/null || die "$tool not found"; done
port=${PORT:-18077}
log=$(mktemp) && trap 'rm -f "$log"' EXIT
server=''

# start JVM_FLAGS: the image's command on CPU 0 with JVM_FLAGS; returns once /health answers 200
start() {
  JAVA_TOOL_OPTIONS=$1 PORT=$port taskset -c 0 "$command" >"$log" 2>&1 &
  server=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$server" 2>/dev/null || die "the image's command exited: $(tail -3 "$log")"
    sleep 0.01
  done
}
stop() { kill -TERM "$server"; wait "$server" || true; }

{
  echo "# profile date=$(date -u +%FT%TZ) host=$(hostname) nproc=$(nproc) command=$command"

  rootfs=$PWD/target/bench/multistage-rootfs   # where bench.sh unpacked the image
  rm -f "$rootfs/tmp/class-load.txt"
  start "-Xlog:startuptime -Xlog:class+load:file=/tmp/class-load.txt"
  sleep 1
  stop
  echo "## start-up timeline of one start (wall time on the shared CPU; JVM uptime in brackets)"
  grep -E '\] (Genesis|Create VM),' "$log" | sed -E 's/.*\] //'
  grep -o 'Startup completed in [0-9]*ms' "$log" | head -1
  grep -o '"latency_us":[0-9]*' "$log" | head -1 | sed 's/"latency_us":/first request (the probe) served in us: /'
  classes=$rootfs/tmp/class-load.txt
  awk '{ n++ } / source: shared objects file/ { a++ } END { printf "classes loaded up to 1 s after the first 200: %d, %d from the class archive, %d not\n", n, a, n - a }' "$classes"
  grep -v 'source: shared objects file' "$classes" | sed -E 's/.* source: //; s#^file:/app/classes/#the service (file:/app/classes/)#; s#^(com|java|jdk|io)\..*#a lambda or hidden class of a loaded class#; s#^file:/app/libs/.*#a dependency jar (file:/app/libs/)#' \
    | sort | uniq -c | sort -rn | sed 's/^/  not archived: /'
  awk '/Http1RequestEvent source/ { t0 = substr($1, 2) + 0; on = 1 }
       on && / jdk\.jfr\./ { t1 = substr($1, 2) + 0; n++ }
       END { if (on) printf "JFR set-up on the first request: %d jdk.jfr classes from %.3f s to %.3f s (%d ms)\n", n, t0, t1, (t1 - t0) * 1000 }' "$classes"

  start "-XX:+UnlockDiagnosticVMOptions -XX:+CITime"
  stop
  echo "## JIT compilation from start to shortly after the first 200 (-XX:+CITime, wall time on the shared CPU)"
  grep -E '^  (C1|C2) \{|Total compilation time' "$log" | sed -E 's/; nmethods.*//; s/^ +//'

  start "-XX:NativeMemoryTracking=summary -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics"
  sleep 1
  stop
  echo "## native memory 1 s after the first 200, committed MB (largest first)"
  grep -E '^-? *[A-Za-z ]+ \(reserved=[0-9]+, committed=[0-9]+' "$log" \
    | sed -E 's/^-? *([A-Za-z ]+[a-z]) \(reserved=[0-9]+, committed=([0-9]+).*/\2 \1/' \
    | sort -rn | head -8 | awk '{ n = $1; $1 = ""; printf "%7.1f %s\n", n / 1048576, $0 }'
  grep -E '^Total: ' "$log" | sed -E 's/.*committed=([0-9]+).*/\1/' | awk '{ printf "%7.1f total committed\n", $1 / 1048576 }'

  start ""
  echo "## warm-up: GET / requests/s per 1-second slice from the first 200 (wrk -c64 on CPU 1)"
  for _ in $(seq "$slices"); do
    taskset -c 1 wrk -t1 -c64 -d1s "http://127.0.0.1:$port/" | awk '/Requests\/sec/ { printf "%d ", $2 }'
  done
  echo
  stop
} | tee target/bench/profile.txt
