#!/usr/bin/env bash
# The release: both images for linux/amd64 and linux/arm64, pushed as Docker manifest lists, and
# checked in the registry. The same commands on GitHub (.github/workflows/release.yml, to ghcr.io)
# and in .ci/run (to the local registry):
#
#   bash .ci/release-images.sh [--cleanup] REGISTRY/PREFIX/ [MAVEN_ARG...]
#
#   REGISTRY/PREFIX/  where the repositories go, e.g. ghcr.io/owner/ or 127.0.0.1:5000/ci-release/
#   --cleanup         delete every manifest this run pushed once it is checked (or has failed):
#                     for a rehearsal on a shared registry (which can't delete repositories, so
#                     use a fixed prefix)
#   MAVEN_ARG         passed to both builds, e.g. -Dimage.source=https://github.com/owner/repo
#   Env: LATEST_TAGS (default "latest v1.0", the pom's) and MULTISTAGE_TAGS (default
#        "multistage"): tag names separated by newlines, commas or spaces (metadata-action's
#        `tag-names` output).
#
# 1. bash jib/base/publish-bases.sh REGISTRY/PREFIX: the two-platform bases
#    (PREFIX/docker-gs-ping-base/{jdk25,runtime25}:25), built as this user;
# 2. bash .ci/push-image.sh per image with -Pmulti-arch -Dbase.registry=REGISTRY/PREFIX/;
# 3. jib/imagetool ls and inspect of every tag pushed: a Docker manifest list (Jib 3.5 writes no
#    OCI image index, Jib #2748) with linux/amd64 and linux/arm64 whose digest is Jib's (target/jib/latest.digest, multistage.digest), and in both platforms'
#    configs the same org.opencontainers.image.version, the tag's version on a vX.Y.Z release ref
#    (VERSIONING_GIT_REF or GITHUB_REF refs/tags/vX.Y.Z).
# Registries on loopback (127.0.0.0/8, localhost) are spoken to over plain HTTP
# (-Djib.allowInsecureRegistries=true, skopeo --tls-verify=false, imagetool). Credentials are never on a
# command line: sign in first (docker login, docker/login-action: ~/.docker/config.json, which
# Jib, imagetool and skopeo read).
# With GITHUB_OUTPUT set, writes the outputs repository, latest-digest, multistage-digest,
# latest-sbom and multistage-sbom (the CycloneDX file each image ships), for actions/attest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DIE_STATUS=2 # its own errors exit 2, apart from the build's (Maven's status)
# shellcheck source=SCRIPTDIR/../jib/lib.sh
source jib/lib.sh


cleanup=''
if [[ ${1:-} == --cleanup ]]; then cleanup=1; shift; fi
(($# >= 1)) || die "usage: bash .ci/release-images.sh [--cleanup] REGISTRY/PREFIX/ [MAVEN_ARG...]"
prefix=$1
shift
prefix_re='^([A-Za-z0-9.-]+(:[0-9]+)?)/([a-z0-9._/-]+/)?$'
[[ $prefix =~ $prefix_re ]] ||
  die "'$prefix' is not REGISTRY/[PATH/] ending in '/' with a lower-case path (e.g. ghcr.io/owner/ or 127.0.0.1:5000/ci-release/)"
registry_host=${BASH_REMATCH[1]}
base_registry=${prefix%/}

# The two-platform build (issue #13, items 1-2): the bases' script and the pom's profile.
[[ -f jib/base/publish-bases.sh ]] || die "jib/base/publish-bases.sh is missing: this checkout cannot build the two-platform bases"
grep -q '<id>multi-arch</id>' pom.xml || die "pom.xml has no profile 'multi-arch': this checkout cannot build two-platform images"
command -v skopeo >/dev/null || die "skopeo not found (bash jib/local-env.sh installs it)"

image_name=$(sed -n 's:^ *<image.name>\([^<]*\)</image.name>.*:\1:p' pom.xml | head -n 1)
[[ -n $image_name ]] || die "pom.xml has no <image.name>"
repository=$prefix$image_name

skopeo_opts=()
maven_opts=(-Pmulti-arch "-Dbase.registry=$prefix")
if loopback_host "$registry_host"; then
  skopeo_opts=(--tls-verify=false)
  maven_opts+=(-Djib.allowInsecureRegistries=true)
fi

release_ref=${VERSIONING_GIT_REF:-${GITHUB_REF:-}}
release_version=''
if [[ $release_ref =~ ^refs/tags/v([0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?)$ ]]; then
  release_version=${BASH_REMATCH[1]}
elif [[ $release_ref == refs/tags/* ]]; then
  die "'${release_ref#refs/tags/}' is not a release tag vMAJOR.MINOR.PATCH[-PRERELEASE]: the images would not carry its version"
fi

# --- cleanup: what this run pushed, by digest (indexes, then their platforms' manifests) ---------
pushed=() # repository@digest of each index
delete_pushed() {
  local ref repo children child
  for ref in "${pushed[@]}"; do
    repo=${ref%@*}
    children=$(imagetool ls --format '{{.Platform}} {{.Digest}}' "$ref" 2>/dev/null | awk '$2 { print $2 }' || true)
    skopeo delete "${skopeo_opts[@]}" "docker://$ref" >/dev/null 2>&1 || log "could not delete $ref"
    for child in $children; do
      skopeo delete "${skopeo_opts[@]}" "docker://$repo@$child" >/dev/null 2>&1 || true
    done
  done
  ((${#pushed[@]} == 0)) || log "cleanup: deleted ${#pushed[@]} indexes and their platforms' manifests"
}
[[ -z $cleanup ]] || trap delete_pushed EXIT

# --- 1. the bases ----------------------------------------------------------------------------------
log "bases -> $base_registry/docker-gs-ping-base/{jdk25,runtime25}:25"
bases=$(bash jib/base/publish-bases.sh "$base_registry") || die "jib/base/publish-bases.sh $base_registry failed"
for ref in $bases; do
  [[ $ref == *@sha256:* ]] || die "publish-bases.sh printed '$ref', not REFERENCE@DIGEST"
  pushed+=("${ref%:*@*}@${ref#*@}")
done

# --- 2. the images ---------------------------------------------------------------------------------
tag_refs() { # TAG-NAMES -> one full reference per line
  local tag
  for tag in $(tr ',' ' ' <<<"$1"); do echo "$repository:$tag"; done
}
declare -A refs=(
  [latest]=$(tag_refs "${LATEST_TAGS:-latest v1.0}")
  [multistage]=$(tag_refs "${MULTISTAGE_TAGS:-multistage}")
)
for image in latest multistage; do
  [[ -n ${refs[$image]} ]] || die "no tags for the $image image: nothing to push"
done
# Two builds, as each image has tags of its own (-Djib.to.tags); Jib's digest files stay apart.
bash .ci/push-image.sh jib:build@latest "${refs[latest]}" "${maven_opts[@]}" "$@"
pushed+=("$repository@$(<target/jib/latest.digest)")
bash .ci/push-image.sh jib:build@multistage "${refs[multistage]}" "${maven_opts[@]}" "$@"
pushed+=("$repository@$(<target/jib/multistage.digest)")

# --- 3. what the registry now serves -----------------------------------------------------------------
# A manifest list with exactly linux/amd64 and linux/arm64 at Jib's digest (ls: its row, then one
# per platform); prints each platform's architecture and manifest digest.
check_index() { # REF DIGEST
  local ref=$1 want=$2 rows got kind seen
  rows=$(imagetool ls --format '{{.Digest}} {{.MediaType}} {{.Platform}}' "$ref") || die "$ref: imagetool ls failed"
  read -r got kind _ <<<"$rows"
  [[ $got == "$want" ]] || die "$ref is $got, not Jib's $want"
  [[ $kind == application/vnd.docker.distribution.manifest.list.v2+json ]] || die "$ref is a $kind, not a Docker manifest list"
  seen=$(awk 'NR > 1 { print $3 }' <<<"$rows" | sort | paste -sd ' ')
  [[ $seen == "linux/amd64 linux/arm64" ]] || die "$ref has the platforms '$seen', not linux/amd64 and linux/arm64"
  awk 'NR > 1 { sub("^linux/", "", $3); print $3, $1 }' <<<"$rows"
}
version_label() { # REPOSITORY@DIGEST
  imagetool inspect --format '{{index .Config.Labels "org.opencontainers.image.version"}}' "$1"
}
for image in latest multistage; do
  digest=$(<"target/jib/$image.digest")
  first=''
  while IFS= read -r ref; do
    platforms=$(check_index "$ref" "$digest")
    [[ -n $first ]] && continue
    first=$ref
    labels=()
    while read -r arch child; do
      label=$(version_label "$repository@$child")
      [[ -z $release_version || $label == "$release_version" ]] ||
        die "$ref linux/$arch: version label '$label', not the release's $release_version"
      labels+=("$arch=$label")
    done <<<"$platforms"
    [[ ${labels[0]#*=} == "${labels[1]#*=}" ]] || die "$ref: the platforms' version labels differ (${labels[*]})"
  done <<<"${refs[$image]}"
  log "checked: $image $digest, a manifest list of linux/amd64 + linux/arm64, version ${labels[0]#*=}, as $(tr '\n' ' ' <<<"${refs[$image]}")"
done

for image in latest multistage; do
  sbom=target/jib/$image_name-$image.cdx.json
  [[ -s $sbom ]] || die "the build wrote no $sbom (jib/image-sbom.sh, pom.xml's sbom-$image)"
  [[ -z ${GITHUB_OUTPUT:-} ]] || echo "$image-sbom=$sbom" >>"$GITHUB_OUTPUT"
done
if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  {
    echo "repository=$repository"
    echo "latest-digest=$(<target/jib/latest.digest)"
    echo "multistage-digest=$(<target/jib/multistage.digest)"
  } >>"$GITHUB_OUTPUT"
fi
