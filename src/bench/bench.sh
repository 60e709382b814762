#!/usr/bin/env bash
# Side-by-side benchmark of the multistage image's exact command against the Go original.
#
# Builds the images (lean one with the trained AOT cache, on JDK 25), unpacks the multistage
# image and runs its own entrypoint in its own filesystem (chroot, as nonroot 65532, like the
# container without Docker's start-up overhead), then runs ../shared/bench/serve-bench.sh on it
# and, when the Go anchor is available, on the Go original in the same invocation. Prints the
# serve-bench lines and ratios, the image sizes, and the upload size and wall time of a
# one-line controller change pushed with jib:build to the local registry. Writes everything,
# plus an SVG chart, to target/bench/.
#
# Usage: src/bench/bench.sh [--rounds N] [--duration S] [--no-build] [--anchor DIR]
# Needs: root (chroot), Linux, wrk (serve-bench), JDK 25 at $JDK25, the registry of
# jib/local-env.sh for the push figure, and for the Go original Debian's golang-go and
# golang-github-labstack-echo-dev (its build.sh builds it offline from them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
project=$PWD

rounds=3 duration=10 build=1
anchor=${ANCHOR:-$project/../shared/bench}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
registry=${BENCH_REGISTRY:-127.0.0.1:5000}
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --anchor) anchor=$2; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--duration S] [--no-build] [--anchor DIR]" >&2; exit 2 ;;
  esac
done

die() { echo "bench: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (the image's command runs under chroot)"
[ -x "$jdk25/bin/java" ] || die "no JDK 25 at $jdk25 (set JDK25)"
[ -x "$anchor/serve-bench.sh" ] || die "no serve-bench.sh in $anchor (set ANCHOR or --anchor)"
out=$project/target/bench
mkdir -p "$out"

if [ "$build" = 1 ]; then
  echo "bench: building the images (JDK 25, -Paot-cache)" >&2
  JAVA_HOME=$jdk25 ./mvnw -B -q package -DskipTests -Plocal-base,aot-cache >&2
fi
image_tar=$project/target/jib/docker-gs-ping-multistage.tar
[ -f "$image_tar" ] || die "no $image_tar: run without --no-build"

# --- the multistage image's filesystem and its exact command
rootfs=$out/rootfs
rm -rf "$rootfs" && mkdir -p "$rootfs/proc"
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
entrypoint_lines=$(bash jib/multistage/unpack-image.sh "$image_tar" "$rootfs" "$work/image.env")
mapfile -t entrypoint_args <<<"$entrypoint_lines"
entrypoint=$(printf '"%s" ' "${entrypoint_args[@]}")
image_env=$(sed 's/.*/"&"/' "$work/image.env" | tr '\n' ' ')
cat >"$out/multistage-command.sh" <<SCRIPT
#!/usr/bin/env bash
# The multistage image's entrypoint, in the image's filesystem, as its user, with its env. No pid
# namespace: unshare --fork would hold back the benchmark's SIGTERM and count its own RSS.
exec env -i $image_env PORT="\$PORT" \${JAVA_TOOL_OPTIONS:+JAVA_TOOL_OPTIONS="\$JAVA_TOOL_OPTIONS"} \\
  /usr/bin/unshare --mount --mount-proc="$rootfs/proc" \\
  /usr/sbin/chroot --userspec=65532:65532 "$rootfs" $entrypoint
SCRIPT
chmod +x "$out/multistage-command.sh"
echo "bench: multistage command: $entrypoint" >&2

# --- side by side with the Go original
targets=(java -- "$out/multistage-command.sh")
if [ -x "$anchor/anchor-go/build.sh" ] && go_bin=$("$anchor/anchor-go/build.sh" 2>/dev/null); then
  targets=(go -- "$go_bin" ::: "${targets[@]}")
else
  echo "bench: Go anchor not built ($anchor/anchor-go/build.sh failed; it needs" \
    "apt-get install -y golang-go golang-github-labstack-echo-dev): Java figures only" >&2
fi
"$anchor/serve-bench.sh" --rounds "$rounds" --duration "$duration" --probe tcp --wait-quiet 10 \
  "${targets[@]}" | tee "$out/serve-bench.txt"

# --- image sizes: uncompressed as `docker image ls` counts it (imagetool, tested against Docker),
# compressed as pushed (the gzipped layers and the config)
store=$work/store
for image in multistage latest; do
  tar=$project/target/jib/docker-gs-ping-$image.tar
  IMAGETOOL_STORE=$store jib/imagetool load "$tar" >/dev/null
  uncompressed=$(IMAGETOOL_STORE=$store jib/imagetool ls --format json "docker-gs-ping:$image" | grep -o '"size" : [0-9]*' | grep -o '[0-9]*$')
  compressed=$(tar -tvf "$tar" | awk '/\.tar\.gz$|config\.json$/ { s += $3 } END { print s }')
  echo "image name=$image uncompressed_bytes=$uncompressed compressed_bytes=$compressed"
done | tee "$out/sizes.txt"

# --- a one-line controller change, rebuilt and pushed: bytes uploaded and wall time
if curl -fsS -o /dev/null "http://$registry/v2/"; then
  change=$out/change
  rm -rf "$change" && mkdir -p "$change"
  tar -C "$project" --exclude=./target --exclude=./jib/target -cf - . | tar -C "$change" -xf -
  push() {
    (cd "$change" && ./mvnw -B -q package jib:build@multistage -DskipTests -Plocal-base \
      -Dimage.registry="$registry/bench/" -Djib.allowInsecureRegistries=true -Djib.console=plain) >"$out/push.log" 2>&1 \
      || die "push failed: $(tail -5 "$out/push.log")"
  }
  blobs() { # digest and size of every blob in the pushed manifest
    curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
      "http://$registry/v2/bench/docker-gs-ping/manifests/multistage" \
      | grep -o '"size":[0-9]*,"digest":"[^"]*"\|"digest":"[^"]*","size":[0-9]*' | sort
  }
  push
  blobs >"$work/before"
  sed -i 's/Hello, Docker! <3/Hello, Docker! <3 (changed)/' \
    "$change/src/main/java/com/example/gsping/web/PingController.java"
  start=$(date +%s%N)
  push
  wall_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  blobs >"$work/after"
  uploaded=$(comm -13 "$work/before" "$work/after" | grep -o '"size":[0-9]*' | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }')
  echo "push change=one-line-controller uploaded_blob_bytes=$uploaded wall_ms=$wall_ms (package + jib:build)" | tee "$out/push.txt"
else
  echo "bench: no registry at $registry (bash jib/local-env.sh): push figure skipped" >&2
fi

bash "$project/src/bench/chart.sh" "$out" >"$out/chart.svg"
echo "bench: results in $out (chart: $out/chart.svg)" >&2
