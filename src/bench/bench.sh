#!/usr/bin/env bash
# Side-by-side benchmark of the multistage image's exact command against the Go original.
#
# Builds the images (the default build: OpenJDK 25 runtime with its static CDS class archive),
# unpacks the multistage image and runs its own entrypoint in its own filesystem (as nonroot 65532,
# like the container without Docker's start-up overhead: jib/multistage/run-unpacked.sh), then runs
# ../shared/bench/serve-bench.sh on it and, when the Go anchor is available, on the Go original in
# the same invocation; with --before, also on an older multistage image tarball (the JDK 17 one,
# the "before" column), unpacked and run the same way. Prints the serve-bench lines and ratios, the
# image sizes (and where the multistage image's bytes go), and the upload size and wall time of a
# one-line controller change pushed with jib:build to the local registry. Writes everything, plus
# an SVG chart, to target/bench/.
#
# Usage: src/bench/bench.sh [--rounds N] [--duration S] [--wait-quiet P] [--no-build]
#                           [--anchor DIR] [--before IMAGE_TAR] [--no-push] [--max-other P]
#   --wait-quiet P and --max-other P go to serve-bench.sh (10 and 15 by default). On a machine that
#   others keep busy, --max-other 0 keeps every run instead of redoing it up to 3 times each.
# Needs: Linux with user namespaces (no root), wrk (serve-bench), the runtime base of bash
# jib/local-env.sh (the build), its registry for the push figure, and for the Go original Debian's
# golang-go and golang-github-labstack-echo-dev (its build.sh builds it offline from them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=SCRIPTDIR/../../jib/lib.sh
source jib/lib.sh
project=$PWD

rounds=3 duration=10 build=1 wait_quiet=10 max_other=15 before='' push=1
anchor=${ANCHOR:-$project/../shared/bench}
registry=${BENCH_REGISTRY:-127.0.0.1:5000}
usage() {
  echo "usage: $0 [--rounds N] [--duration S] [--wait-quiet P] [--no-build] [--anchor DIR] [--before IMAGE_TAR] [--no-push] [--max-other P]" >&2
  exit 2
}
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --wait-quiet) wait_quiet=$2; shift 2 ;;
    --max-other) max_other=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --anchor) anchor=$2; shift 2 ;;
    --before) before=$(realpath "$2"); shift 2 ;;
    --no-push) push=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage ;;
  esac
done

[ -x "$anchor/serve-bench.sh" ] || die "no serve-bench.sh in $anchor (set ANCHOR or --anchor)"
[ -z "$before" ] || [ -f "$before" ] || die "no image tarball at $before (--before)"
out=$project/target/bench
mkdir -p "$out"

if [ "$build" = 1 ]; then
  log "building the images (the default build)"
  ./mvnw -B -q package -DskipTests >&2
fi
image_tar=$project/target/jib/docker-gs-ping-multistage.tar
[ -f "$image_tar" ] || die "no $image_tar: run without --no-build"

work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT
# unpack NAME IMAGE_TAR: the image's filesystem in target/bench/NAME-rootfs and its exact command
# (entrypoint, env, user) in target/bench/NAME-command.sh
unpack() {
  local name=$1 tar=$2 rootfs=$out/$1-rootfs entrypoint_lines entrypoint image_env
  rm -rf "$rootfs"
  entrypoint_lines=$(bash jib/multistage/unpack-image.sh "$tar" "$rootfs" "$work/$name.env")
  mapfile -t entrypoint_args <<<"$entrypoint_lines"
  entrypoint=$(printf '"%s" ' "${entrypoint_args[@]}")
  image_env=$(sed 's/.*/"&"/' "$work/$name.env" | tr '\n' ' ')
  cat >"$out/$name-command.sh" <<SCRIPT
#!/usr/bin/env bash
# The $name image's entrypoint, in the image's filesystem, as its user, with its env; it keeps
# this script's pid (the benchmark signals and measures it).
exec env -i $image_env PORT="\$PORT" \${JAVA_TOOL_OPTIONS:+JAVA_TOOL_OPTIONS="\$JAVA_TOOL_OPTIONS"} \\
  "$project/jib/multistage/run-unpacked.sh" "$rootfs" $entrypoint
SCRIPT
  chmod +x "$out/$name-command.sh"
  log "$name command: $entrypoint"
}
# the multistage image keeps its old file names (profile.sh and record-classlist.sh use them)
unpack multistage "$image_tar"
targets=(java -- "$out/multistage-command.sh")
if [ -n "$before" ]; then
  unpack before "$before"
  targets+=(::: before -- "$out/before-command.sh")
fi

# --- side by side with the Go original
if [ -x "$anchor/anchor-go/build.sh" ] && go_bin=$("$anchor/anchor-go/build.sh" 2>/dev/null); then
  targets=(go -- "$go_bin" ::: "${targets[@]}")
else
  log "Go anchor not built ($anchor/anchor-go/build.sh failed; it needs" \
    "apt-get install -y golang-go golang-github-labstack-echo-dev): Java figures only"
fi
# its logs here, not in its default /tmp/gobench: that directory is the first user's on a shared machine
rm -rf "$out/serve-bench-logs"
"$anchor/serve-bench.sh" --rounds "$rounds" --duration "$duration" --probe tcp --wait-quiet "$wait_quiet" --max-other "$max_other" \
  --logdir "$out/serve-bench-logs" "${targets[@]}" | tee "$out/serve-bench.txt"

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
# where the multistage image's bytes go: file bytes per part of its filesystem (apparent sizes,
# hard links once; the archive is one of linux-ARCH.jsa, app.jsa links to it)
rootfs=$out/multistage-rootfs
part_bytes() { find "$@" -type f -printf '%i %s\n' 2>/dev/null | sort -u | awk '{ s += $2 } END { print s + 0 }'; }
{
  printf 'parts name=multistage'
  printf ' runtime_bytes=%s' "$(part_bytes "$rootfs/opt/java")"
  printf ' libjvm_bytes=%s' "$(part_bytes "$rootfs/opt/java/lib/server/libjvm.so")"
  printf ' modules_bytes=%s' "$(part_bytes "$rootfs/opt/java/lib/modules")"
  printf ' class_archive_bytes=%s' "$(part_bytes "$rootfs"/app/cds/*.jsa)"
  printf ' libs_bytes=%s' "$(part_bytes "$rootfs/app/libs")"
  printf ' app_bytes=%s' "$(part_bytes "$rootfs/app/classes" "$rootfs/app/resources")"
  printf ' sbom_bytes=%s' "$(part_bytes "$rootfs/$(sed -n 's/.*<sbom.image.dir>\(.*\)<\/sbom.image.dir>.*/\1/p' pom.xml | head -1)")"
  printf ' other_os_bytes=%s\n' "$(part_bytes "$rootfs" -not -path "$rootfs/opt/java/*" -not -path "$rootfs/app/*")"
} | tee -a "$out/sizes.txt"

# --- a one-line controller change, rebuilt and pushed: bytes uploaded and wall time
if [ "$push" = 1 ] && curl -fsS -o /dev/null "http://$registry/v2/"; then
  change=$out/change
  rm -rf "$change" && mkdir -p "$change"
  tar -C "$project" --exclude=./target --exclude=./jib/target -cf - . | tar -C "$change" -xf -
  push() {
    (cd "$change" && ./mvnw -B -q package jib:build@multistage -DskipTests \
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
  # the registry is the user's: take back the manifest this measurement pushed (Jib wrote its digest)
  curl -fsS -o /dev/null -X DELETE "http://$registry/v2/bench/docker-gs-ping/manifests/$(cat "$change/target/jib/multistage.digest")" ||
    log "could not delete $registry/bench/docker-gs-ping:multistage"
else
  log "--no-push, or no registry at $registry (bash jib/local-env.sh): push figure skipped"
fi

bash "$project/src/bench/chart.sh" "$out" >"$out/chart.svg"
log "results in $out (chart: $out/chart.svg)"
