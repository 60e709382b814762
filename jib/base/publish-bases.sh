#!/usr/bin/env bash
# Build (cached) both bases of docker-gs-ping for linux/amd64 and linux/arm64, and push each as
# one OCI image index with both platforms, what `-Pmulti-arch` builds from:
#
#   bash jib/base/publish-bases.sh REGISTRY      # e.g. 127.0.0.1:5000
#
#   REGISTRY/docker-gs-ping-base/jdk25:25       full JDK (Debian 13 + OpenJDK 25), base of latest
#   REGISTRY/docker-gs-ping-base/runtime25:25   jlinked runtime, nonroot, base of multistage
#
# The same indexes are kept as files, for machines without a registry: the image store (an OCI
# layout) ${DOCKER_GS_PING_CACHE:-$HOME/.cache/docker-gs-ping}/base/images, which the tool loads
# each platform's docker-archive tarball (NAME-linux-ARCH.tar, Jib's tar://) into, and where it
# writes the indexes (`jib/imagetool --store DIR push docker-gs-ping-base/jdk25:25 HOST/…` pushes
# one anywhere). The push sends the store's bytes, so the pushed index is byte for byte the file.
# Credentials for a registry that needs them: `docker login` (~/.docker/config.json, which
# imagetool reads), never on this command line.
# stdout: one line per index, "REFERENCE@DIGEST"; progress on stderr.
set -euo pipefail
exec 3>&1 1>&2

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=jib/base/common.sh
source "$HERE/common.sh"
TAG=25
ARCHES=(amd64 arm64)

case ${1:-} in
  -h | --help | '') sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; [[ -n ${1:-} ]]; exit ;;
  -*) die "unknown option '$1' (try --help)" ;;
esac
REGISTRY=${1%/}
(($# == 1)) || die "one argument: the registry (e.g. 127.0.0.1:5000), got $#"
registry_form='^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:[0-9]+)?(/[a-z0-9._/-]+)?$'
[[ $REGISTRY =~ $registry_form ]] || die "'$1' is not a registry (HOST[:PORT][/PATH], e.g. 127.0.0.1:5000)"

START=$SECONDS
for arch in "${ARCHES[@]}"; do
  bash "$HERE/build-jdk-base.sh" --arch "$arch" >/dev/null || die "the jdk25 base for $arch did not build"
  bash "$HERE/build-runtime-base.sh" --arch "$arch" >/dev/null || die "the runtime25 base for $arch did not build"
done
CACHE_DIR=$(readlink -f "$BASE_CACHE_DIR")

# "The same package versions": the two full-JDK bases, built at different times, may differ in
# what trixie had then; an index of two different Debians is refused. A binNMU (+bN: Debian
# rebuilt one architecture's binaries of the same source) is the same version.
same_source() { sed 's/+b[0-9]*$//' "$CACHE_DIR/jdk25-linux-$1.packages"; }
if ! diff -u --label "jdk25 linux/${ARCHES[0]}" --label "jdk25 linux/${ARCHES[1]}" \
  <(same_source "${ARCHES[0]}") <(same_source "${ARCHES[1]}") >&2; then
  die "the jdk25 bases have different package versions (above); rebuild the older one: bash jib/base/build-jdk-base.sh --force --arch ARCH"
fi

# Each platform's base into the store, then an index of both under the tag, pushed.
STORE=$CACHE_DIR/images
for name in jdk25 runtime25; do
  rm -rf "$CACHE_DIR/$name.oci" # the layout (hard links to the platforms' blobs) this script kept before the store
  platforms=()
  for arch in "${ARCHES[@]}"; do
    imagetool --store "$STORE" load "$CACHE_DIR/$name-linux-$arch.tar" >/dev/null || die "loading the $name base for $arch failed"
    platforms+=("docker-gs-ping-base/$name:linux-$arch")
  done
  digest=$(imagetool --store "$STORE" index "docker-gs-ping-base/$name:$TAG" "${platforms[@]}") ||
    die "the index of the $name bases failed"
  ref="$REGISTRY/docker-gs-ping-base/$name:$TAG"
  log "pushing $ref (${ARCHES[*]/#/linux/}), index $digest"
  imagetool --store "$STORE" push "docker-gs-ping-base/$name:$TAG" "$ref" >/dev/null ||
    die "push to $ref failed (is the registry up? for 127.0.0.1:5000: bash jib/local-env.sh)"
  echo "$ref@$digest" >&3
done
log "done in $((SECONDS - START)) s"
