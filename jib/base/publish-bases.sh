#!/usr/bin/env bash
# Build (cached) both bases of docker-gs-ping for linux/amd64 and linux/arm64, and push each as
# one OCI image index with both platforms, what `-Pmulti-arch` builds from:
#
#   bash jib/base/publish-bases.sh REGISTRY      # e.g. 127.0.0.1:5000
#
#   REGISTRY/docker-gs-ping-base/jdk25:25       full JDK (Debian 13 + OpenJDK 25), base of latest
#   REGISTRY/docker-gs-ping-base/runtime25:25   jlinked runtime, nonroot, base of multistage
#
# The same indexes are kept as files, for machines without a registry: the OCI layouts
# ${DOCKER_GS_PING_CACHE:-$HOME/.cache/docker-gs-ping}/base/{jdk25,runtime25}.oci (reference 25;
# `skopeo copy --all oci:DIR:25 docker://…` pushes one anywhere), next to each platform's
# docker-archive tarball (NAME-linux-ARCH.tar, Jib's tar://). Digests are preserved from the
# layouts to the registry, so the pushed index is byte for byte the file. Credentials for a
# registry that needs them: `skopeo login` (or docker's config.json), never on this command line.
# stdout: one line per index, "REFERENCE@DIGEST"; progress on stderr.
set -euo pipefail
exec 3>&1 1>&2

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=jib/base/common.sh
source "$HERE/common.sh"
TAG=25
ARCHES=(amd64 arm64)

case ${1:-} in
  -h | --help | '') sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; [[ -n ${1:-} ]]; exit ;;
  -*) die "unknown option '$1' (try --help)" ;;
esac
REGISTRY=${1%/}
(($# == 1)) || die "one argument: the registry (e.g. 127.0.0.1:5000), got $#"
registry_form='^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:[0-9]+)?(/[a-z0-9._/-]+)?$'
[[ $REGISTRY =~ $registry_form ]] || die "'$1' is not a registry (HOST[:PORT][/PATH], e.g. 127.0.0.1:5000)"
need_tools jq skopeo

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

# One OCI layout per base with the platforms' blobs (hard links into the per-platform layouts)
# and an index naming them; written beside the old one and swapped in, so it is never half there.
assemble_index() { # NAME
  local name=$1 layout="$CACHE_DIR/$1.oci" work arch platform entries=() blob
  work=$(mktemp -d "$CACHE_DIR/.$name.oci.XXXXXX")
  mkdir -p "$work/blobs/sha256"
  for arch in "${ARCHES[@]}"; do
    platform="$CACHE_DIR/$name-linux-$arch.oci"
    jq -e '.manifests | length == 1' "$platform/index.json" >/dev/null || die "$platform/index.json does not hold one image"
    cp -lf "$platform/blobs/sha256/"* "$work/blobs/sha256/" 2>/dev/null || cp -f "$platform/blobs/sha256/"* "$work/blobs/sha256/"
    entries+=("$(jq -c --arg arch "$arch" '.manifests[0] | {mediaType, digest, size, platform: {architecture: $arch, os: "linux"}}' "$platform/index.json")")
  done
  printf '%s\n' "${entries[@]}" |
    jq -cs '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: .}' | tr -d '\n' >"$work/index"
  blob=$(sha256sum "$work/index" | cut -d' ' -f1)
  mv "$work/index" "$work/blobs/sha256/$blob"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$work/oci-layout"
  jq -cn --arg digest "sha256:$blob" --argjson size "$(stat -c %s "$work/blobs/sha256/$blob")" --arg tag "$TAG" \
    '{schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $digest, size: $size,
      annotations: {"org.opencontainers.image.ref.name": $tag}}]}' >"$work/index.json"
  rm -rf "$layout.old"
  [[ ! -e $layout ]] || mv "$layout" "$layout.old"
  mv "$work" "$layout"
  rm -rf "$layout.old"
  echo "sha256:$blob"
}

for name in jdk25 runtime25; do
  digest=$(assemble_index "$name")
  ref="$REGISTRY/docker-gs-ping-base/$name:$TAG"
  log "pushing $ref (${ARCHES[*]/#/linux/}), index $digest"
  # shellcheck disable=SC2046 # no flag, or one
  skopeo --insecure-policy copy --quiet --all --preserve-digests $(dest_tls_flags "${REGISTRY%%/*}") \
    "oci:$CACHE_DIR/$name.oci:$TAG" "docker://$ref" ||
    die "push to $ref failed (is the registry up? for 127.0.0.1:5000: bash jib/local-env.sh)"
  echo "$ref@$digest" >&3
done
log "done in $((SECONDS - START)) s"
