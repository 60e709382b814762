#!/usr/bin/env bash
# Soak and overload run of the multistage images in Docker (issues #7, #15): a bounded script that
# prints figures and a verdict per image, not a timed unit test.
#
# For each image tarball given (default: target/jib/docker-gs-ping-multistage.tar, built with
# ./mvnw -B package -DskipTests when it is missing or older than pom.xml, src/main or
# jib/multistage):
# 1. `docker load`s it under a name of this run's own (gs-ping-soak-<pid>:<n>, the tarball's own
#    docker-gs-ping:* tag is rewritten, so the user's tags are never moved) and runs it by image
#    id, pinned to CPU 0:
#      docker run --network host -e PORT=<free port> --read-only --cap-drop ALL
#        --security-opt no-new-privileges --cpuset-cpus 0 [--memory SIZE] <image id>
# 2. Soak: wrk with 256 connections on CPU 1, GET / and GET /health alternately, one 60 s run per
#    minute; per minute: requests, p50/p99/max latency, socket errors (connect/read/write/
#    timeout), non-2xx (wrk counts statuses >= 400; the service sends no 1xx/3xx), RSS, CPU.
#    RSS is VmRSS of the container's java process (/proc/<docker inspect .State.Pid>/status),
#    sampled every 5 s: the process's own resident memory. The cgroup's usage (cgroup v1 here,
#    memory.usage_in_bytes) also counts page cache of the image's files and kernel socket
#    buffers, which follow the connection count rather than a leak in the server.
# 3. Overload: 30 s of wrk with 2,000 connections (--overload-connections; 2 threads, ulimit -n
#    raised for wrk); errors are expected and only printed. Beyond the service's connection
#    limit (gsping.server.max-connections) clients wait in the accept backlog. Then GET /health must answer 200 and the container must
#    still run.
# 4. Cool-down: no load for 60 s, RSS printed every 5 s.
# 5. docker stop while wrk runs: the container must exit 0.
# Then a summary of key=value lines and a verdict per image. An image passes only if: no socket
# errors and no non-2xx during the soak, RSS growth over the last 3 minutes (last 60% of a
# shorter run) below 10% (peak in that window against its first sample) unless that peak stays
# under 96 MB (a small heap fills lazily, and growth below the goal is no leak), RSS after the overload
# at most 2x the soak's plateau (its last sample), /health 200 after the overload, the container
# alive through it and never OOM-killed, exit code 0 on docker stop. Exit 0 only if every image
# passes. Containers and the images' own names are removed on every exit. Loopback only.
#
# Usage: src/bench/soak.sh [--minutes N] [--memory SIZE] [--overload-connections C] [IMAGE_TAR...]
#          N = soak minutes, 1..60, default 5; SIZE = docker run --memory (e.g. 256m), no limit
#          by default. Several images (e.g. two builds with other JVM flags): build each, copy
#          its tarball, pass them all, e.g. target/soak/a.tar target/soak/b.tar
#          (src/bench/README.md "Soak and overload").
#        src/bench/soak.sh --help
# Needs: root (reads the container's /proc), Docker (bash jib/local-env.sh), wrk, curl, taskset,
# 2 CPUs. Progress goes to stderr, figures to stdout.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=SCRIPTDIR/../../jib/lib.sh
source jib/lib.sh

minutes=5 memory="" images=()
conns=256 overload_conns=2000 overload_seconds=30 sample_seconds=5 stop_after_seconds=3
server_cpu=0 load_cpu=1
max_rss_growth_pct=10 rss_growth_floor_kb=$((96 * 1024)) max_overload_rss_factor=2 cooldown_seconds=60

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) [ $# -ge 2 ] || { usage >&2; exit 2; }; minutes=$2; shift 2 ;;
    --memory) [ $# -ge 2 ] || { usage >&2; exit 2; }; memory=$2; shift 2 ;;
    --overload-connections) [ $# -ge 2 ] || { usage >&2; exit 2; }; overload_conns=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) usage >&2; DIE_STATUS=2 die "unknown argument '$1'" ;;
    *) images+=("$1"); shift ;;
  esac
done
if ! [[ $minutes =~ ^[0-9]+$ ]] || [ "$minutes" -lt 1 ] || [ "$minutes" -gt 60 ]; then
  DIE_STATUS=2 die "--minutes must be an integer from 1 to 60 (got '$minutes')"
fi
if [ -n "$memory" ] && ! [[ $memory =~ ^[0-9]+[kmg]$ ]]; then
  DIE_STATUS=2 die "--memory must be a size like 256m or 1g (got '$memory')"
fi
if ! [[ $overload_conns =~ ^[0-9]+$ ]] || [ "$overload_conns" -lt 1 ] || [ "$overload_conns" -gt 16000 ]; then
  DIE_STATUS=2 die "--overload-connections must be an integer from 1 to 16000 (got '$overload_conns')"
fi
for tar in "${images[@]}"; do
  [ -f "$tar" ] || DIE_STATUS=2 die "no image tarball '$tar'"
done

progress() { log "$(date +%T) $*"; } # a long run: the time of each step

[ "$(id -u)" -eq 0 ] || die "needs root (reads /proc of the container's process)"
for tool in wrk curl taskset; do command -v "$tool" >/dev/null || die "$tool not found (apt-get install $tool)"; done
ncpu=$(nproc)
[ "$ncpu" -ge 2 ] || die "needs 2 CPUs (server on $server_cpu, wrk on $load_cpu)"
docker_cli info >/dev/null 2>&1 || die "no Docker daemon: bash jib/local-env.sh"
# This script, its samplers, curl and wrk stay off the server's CPU.
taskset -cp "$load_cpu" $$ >/dev/null

work=$(mktemp -d)
cid="" wrk_pid="" sampler_pid="" own_tag=""
# stops what one image's run started: wrk, the sampler, the container, the run's own image name
stop_run() {
  [ -z "$wrk_pid" ] || kill "$wrk_pid" 2>/dev/null || true
  [ -z "$sampler_pid" ] || kill "$sampler_pid" 2>/dev/null || true
  [ -z "$cid" ] || docker_cli rm --force "$cid" >/dev/null 2>&1 || true
  [ -z "$own_tag" ] || docker_cli rmi "$own_tag" >/dev/null 2>&1 || true
  wrk_pid="" sampler_pid="" cid="" own_tag=""
}
cleanup() { stop_run; rm -rf "$work"; }
trap cleanup EXIT
trap 'progress interrupted; exit 130' INT TERM

# --- the images
if [ ${#images[@]} -eq 0 ]; then
  image_tar=target/jib/docker-gs-ping-multistage.tar
  if [ ! -f "$image_tar" ] ||
    [ -n "$(find pom.xml src/main jib/multistage -newer "$image_tar" -type f -print -quit)" ]; then
    progress "building $image_tar (./mvnw -B package -DskipTests)"
    ./mvnw -B -q package -DskipTests >&2
  fi
  images=("$image_tar")
fi

# load_image TAR NAME: docker load TAR as NAME instead of its own docker-gs-ping:* tag; prints the
# image id
load_image() {
  local unpacked=$work/image
  mkdir "$unpacked"
  tar -xf "$1" -C "$unpacked"
  sed -i 's/"RepoTags":\[[^]]*\]/"RepoTags":["'"$2"'"]/' "$unpacked/manifest.json"
  grep -q "\"$2\"" "$unpacked/manifest.json" || die "no RepoTags in the manifest.json of $1"
  tar -cf - -C "$unpacked" . | docker_cli load >/dev/null
  rm -rf "$unpacked"
  docker_cli image inspect --format '{{.Id}}' "$2"
}

# --- helpers for the container, wrk and /proc
port_in_use() { grep -q "$(printf ':%04X ' "$1")" /proc/net/tcp /proc/net/tcp6 2>/dev/null; }
state() { docker_cli inspect --format "$1" "$cid"; }
health_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base_url/health" || true; }
sample_rss() {
  while awk -v t="$EPOCHSECONDS" '/^VmRSS:/ { print t, $2 }' "/proc/$java_pid/status" >>"$rss_samples" 2>/dev/null; do
    sleep "$sample_seconds"
  done
}
# wrk with a Lua report of wrk's own counters and histogram (microseconds)
cat >"$work/report.lua" <<'EOF'
local paths = { "/", "/health" }
local requests, n = {}, 0
init = function(args)
  for i, path in ipairs(paths) do requests[i] = wrk.format("GET", path) end
end
request = function()
  n = n + 1
  return requests[n % #requests + 1]
end
done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    "WRKSTATS requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d connect=%d read=%d write=%d timeout=%d non2xx=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, e.status))
end
EOF
# run_wrk OUT CONNS THREADS SECONDS: wrk in the background, so INT/TERM stops it at once
run_wrk() {
  (ulimit -n $((overload_conns + 1024)) && exec wrk -t"$3" -c"$2" -d"$4s" --latency -s "$work/report.lua" "$base_url/") >"$1" 2>&1 &
  wrk_pid=$!
  wait "$wrk_pid" || die "wrk failed: $(tail -3 "$1")"
  wrk_pid=""
  grep -q '^WRKSTATS' "$1" || die "no wrk report in $1: $(tail -3 "$1")"
}
stat_of() { grep -o " $2=[0-9]*" "$1" | cut -d= -f2; } # FILE KEY
# "busy total" jiffies of one CPU; CPU time of the java process
cpu_jiffies() { awk -v cpu="cpu$1" '$1 == cpu { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
java_jiffies() { awk '{ print $14 + $15 }' "/proc/$java_pid/stat"; }
clk_tck=$(getconf CLK_TCK)
rss_now() { awk '/^VmRSS:/ { print $2 }' "/proc/$java_pid/status" 2>/dev/null || echo 0; }

soak_one() { # TAR INDEX
  own_tag=gs-ping-soak-$$:$2
  progress "docker load $1 as $own_tag"
  image_id=$(load_image "$1" "$own_tag")

  port=""
  for _ in $(seq 1 200); do
    candidate=$((20000 + RANDOM % 12000)) # below ip_local_port_range, so wrk's own ports never clash
    port_in_use "$candidate" || { port=$candidate; break; }
  done
  [ -n "$port" ] || die "no free port"
  base_url=http://127.0.0.1:$port
  # The access log (one line per request) is capped at 2 x 20 MB instead of growing by GBs.
  memory_opts=()
  [ -z "$memory" ] || memory_opts=(--memory "$memory" --memory-swap "$memory")
  cid=$(docker_cli run -d --pull never --name "gsping-soak-$$-$2" --network host -e "PORT=$port" \
    --read-only --cap-drop ALL --security-opt no-new-privileges --cpuset-cpus "$server_cpu" \
    "${memory_opts[@]}" --log-opt max-size=20m --log-opt max-file=2 "$image_id")
  progress "container ${cid:0:12} of image ${image_id:7:12} on port $port"

  deadline=$((SECONDS + 60))
  until [ "$(health_status)" = 200 ]; do
    [ "$(state '{{.State.Running}}')" = true ] || die "container exited ($(state '{{.State.ExitCode}}')): $(docker_cli logs --tail 20 "$cid" 2>&1)"
    [ $SECONDS -lt $deadline ] || die "no 200 on /health within 60 s"
    sleep 0.2
  done
  progress "ready on /health after $((SECONDS + 60 - deadline)) s; soak: $minutes x 60 s of wrk -c$conns"
  java_pid=$(state '{{.State.Pid}}')
  [ "$(cat "/proc/$java_pid/comm")" = java ] || die "the container's process $java_pid is not java"

  rss_samples=$work/rss-$2
  : >"$rss_samples"
  sample_rss &
  sampler_pid=$!

  echo "# soak $(date -u +%FT%TZ) tarball=$1 image=$image_id memory_limit=${memory:-none} port=$port nproc=$ncpu loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)"
  echo "# server: container pinned to CPU $server_cpu; wrk -t1 -c$conns on CPU $load_cpu, GET / and /health alternately; RSS = VmRSS of java every ${sample_seconds} s"
  echo "# srv_cpu_pct = java's CPU (% of one core); server_cpu_busy_pct = all of CPU $server_cpu, the rest of it is other work (softirq, other processes)"

  # --- soak: one wrk run per minute
  total_requests=0 socket_errors=0 non2xx=0 p99_list=""
  soak_start=$EPOCHSECONDS
  for minute in $(seq 1 "$minutes"); do
    out=$work/minute-$2-$minute.txt
    read -r busy0 total0 < <(cpu_jiffies "$server_cpu")
    java0=$(java_jiffies) start=$EPOCHSECONDS
    run_wrk "$out" "$conns" 1 60
    read -r busy1 total1 < <(cpu_jiffies "$server_cpu")
    java1=$(java_jiffies) end=$EPOCHSECONDS
    requests=$(stat_of "$out" requests)
    errors=$(($(stat_of "$out" connect) + $(stat_of "$out" read) + $(stat_of "$out" write) + $(stat_of "$out" timeout)))
    total_requests=$((total_requests + requests))
    socket_errors=$((socket_errors + errors))
    non2xx=$((non2xx + $(stat_of "$out" non2xx)))
    p99_ms=$(awk -v us="$(stat_of "$out" p99_us)" 'BEGIN { printf "%.2f", us / 1000 }')
    p99_list="$p99_list${p99_list:+,}$p99_ms"
    awk -v m="$minute" -v s="$start" -v e="$end" -v ck="$clk_tck" -v j="$((java1 - java0))" \
      -v b="$((busy1 - busy0))" -v t="$((total1 - total0))" -v f="$out" -v samples="$rss_samples" '
      BEGIN {
        while ((getline line < f) > 0) if (line ~ /^WRKSTATS/) {
          n = split(line, kv, /[ =]/); for (i = 2; i < n; i += 2) w[kv[i]] = kv[i + 1]
        }
        while ((getline line < samples) > 0) {
          split(line, r, " "); if (r[1] >= s && r[1] <= e) { last = r[2]; if (r[2] > peak) peak = r[2] }
        }
        printf "minute=%d requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.1f connect_err=%d read_err=%d write_err=%d timeout_err=%d non2xx=%d rss_kb=%d rss_peak_kb=%d srv_cpu_pct=%.0f server_cpu_busy_pct=%.0f\n",
          m, w["requests"], w["requests"] * 1e6 / w["duration_us"], w["p50_us"] / 1000, w["p99_us"] / 1000,
          w["max_us"] / 1000, w["connect"], w["read"], w["write"], w["timeout"], w["non2xx"], last, peak,
          100 * j / ck / (e - s), (t > 0 ? 100 * b / t : 0)
      }'
  done
  soak_end=$EPOCHSECONDS

  # RSS growth: the peak in the window against the window's first sample
  window_seconds=$((minutes >= 5 ? 180 : minutes * 36))
  read -r rss_window_start rss_window_end rss_window_peak < <(awk -v from="$((soak_end - window_seconds))" -v to="$soak_end" '
    $1 >= from && $1 <= to { if (first == "") first = $2; last = $2; if ($2 > peak) peak = $2 }
    END { print first + 0, last + 0, peak + 0 }' "$rss_samples")
  [ "$rss_window_start" -gt 0 ] || die "no RSS samples in the last $window_seconds s"
  rss_growth_pct=$(awk -v a="$rss_window_start" -v p="$rss_window_peak" 'BEGIN { printf "%.1f", 100 * (p - a) / a }')

  # --- overload
  progress "overload: $overload_seconds s with $overload_conns connections"
  overload_out=$work/overload.txt
  run_wrk "$overload_out" "$overload_conns" 2 "$overload_seconds"
  overload_requests=$(stat_of "$overload_out" requests)
  overload_socket_errors=$(($(stat_of "$overload_out" connect) + $(stat_of "$overload_out" read) + $(stat_of "$overload_out" write) + $(stat_of "$overload_out" timeout)))
  overload_p99_ms=$(awk -v us="$(stat_of "$overload_out" p99_us)" 'BEGIN { printf "%.2f", us / 1000 }')
  health_after_overload=$(health_status)
  running_after_overload=$(state '{{.State.Running}}')
  [ "$running_after_overload" = true ] ||
    progress "the container exited during the overload (exit code $(state '{{.State.ExitCode}}'), OOM-killed $(state '{{.State.OOMKilled}}')); its last lines: $(docker_cli logs --tail 20 "$cid" 2>&1 | grep -v '"uri"' | tail -5)"
  restarts_after_overload=$(state '{{.RestartCount}}')
  rss_after_overload=$(rss_now)
  kill "$sampler_pid" 2>/dev/null || true
  sampler_pid=""

  # --- cool-down: no load, RSS every sample_seconds
  progress "cool-down: ${cooldown_seconds} s without load"
  cooldown_list=""
  for _ in $(seq 1 $((cooldown_seconds / sample_seconds))); do
    sleep "$sample_seconds"
    cooldown_list="$cooldown_list${cooldown_list:+,}$(rss_now)"
  done
  rss_after_cooldown=$(rss_now)

  # --- docker stop (SIGTERM) while wrk runs
  progress "docker stop after ${stop_after_seconds} s of wrk -c$conns"
  stop_exit=""
  if [ "$running_after_overload" = true ]; then
    (exec wrk -t1 -c"$conns" -d"$((stop_after_seconds + 10))s" "$base_url/") >"$work/stop-wrk.txt" 2>&1 &
    wrk_pid=$!
    sleep "$stop_after_seconds"
    stop_started=$EPOCHREALTIME
    docker_cli stop --time 10 "$cid" >/dev/null
    stop_ms=$(awk -v a="$stop_started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
    kill "$wrk_pid" 2>/dev/null || true
    wait "$wrk_pid" 2>/dev/null || true
    wrk_pid=""
    stop_exit=$(state '{{.State.ExitCode}}')
  fi

  # --- summary and verdict
  failures=()
  [ "$socket_errors" -eq 0 ] || failures+=("socket_errors=$socket_errors")
  [ "$non2xx" -eq 0 ] || failures+=("non2xx=$non2xx")
  [ "$rss_window_peak" -le "$rss_growth_floor_kb" ] ||
    awk -v g="$rss_growth_pct" -v max="$max_rss_growth_pct" 'BEGIN { exit !(g < max) }' ||
    failures+=("rss_growth_pct=$rss_growth_pct>=${max_rss_growth_pct}_above_${rss_growth_floor_kb}kb")
  [ "$running_after_overload" = true ] && [ "$restarts_after_overload" = 0 ] ||
    failures+=("container_running_after_overload=$running_after_overload")
  [ "$health_after_overload" = 200 ] || failures+=("health_after_overload=$health_after_overload")
  [ "$rss_after_overload" -le $((max_overload_rss_factor * rss_window_end)) ] ||
    failures+=("rss_after_overload_kb=$rss_after_overload>${max_overload_rss_factor}x$rss_window_end")
  oom_killed=$(state '{{.State.OOMKilled}}')
  [ "$oom_killed" = false ] || failures+=("oom_killed=$oom_killed")
  [ "$stop_exit" = 0 ] || failures+=("stop_exit_code=${stop_exit:-none}")

  cat <<SUMMARY
tarball=$1
memory_limit=${memory:-none}
soak_minutes=$minutes
soak_connections=$conns
soak_seconds=$((soak_end - soak_start))
requests_served=$total_requests
socket_errors=$socket_errors
non2xx=$non2xx
p99_ms_per_minute=$p99_list
rss_window_seconds=$window_seconds
rss_window_start_kb=$rss_window_start
rss_window_end_kb=$rss_window_end
rss_window_peak_kb=$rss_window_peak
rss_growth_pct=$rss_growth_pct
rss_growth_limited_above_kb=$rss_growth_floor_kb
overload_connections=$overload_conns
overload_seconds=$overload_seconds
overload_requests=$overload_requests
overload_socket_errors=$overload_socket_errors
overload_non2xx=$(stat_of "$overload_out" non2xx)
overload_p99_ms=$overload_p99_ms
rss_after_overload_kb=$rss_after_overload
rss_cooldown_kb_every_${sample_seconds}s=$cooldown_list
rss_after_cooldown_kb=$rss_after_cooldown
health_after_overload=$health_after_overload
container_running_after_overload=$running_after_overload
stop_under_load_ms=${stop_ms:-none}
stop_exit_code=${stop_exit:-none}
oom_killed=$oom_killed
loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' /)
SUMMARY
  verdict=PASS
  [ ${#failures[@]} -eq 0 ] || verdict="FAIL ${failures[*]}"
  echo "verdict=$verdict"
  stop_run
}

verdicts=()
for index in "${!images[@]}"; do
  soak_one "${images[$index]}" "$index"
  verdicts+=("verdict_$index=$verdict (${images[$index]})")
done
printf '%s\n' "" "${verdicts[@]}"
[[ "${verdicts[*]}" != *FAIL* ]]
