#!/usr/bin/env bash
# Two platforms against one, measured: `compile jib:build jib:build@multistage -Pmulti-arch` to the
# local registry (repositories of its own, multi-arch-bench/...) with both platforms, and with
# -Djib.from.platforms=linux/amd64 (the same bases, one platform), alternately, RUNS times each
# after one warm-up of each (bases cached in Jib's layer cache). Prints:
#
#   - the wall times (median) and their ratio (goal <= 1.5);
#   - the bytes of the second platform's application layers that are not already blobs of the first
#     platform's image (what its push uploads; goal 0), per image: compressed bytes as the registry
#     holds them, from `jib/imagetool compare` (layers matched by content, each counted once);
#   - `docker image ls` SIZE of each image per platform (docker pull --platform, under names of its
#     own, removed again).
#
# Usage: src/bench/multi-arch.sh [RUNS]    (default 3) Needs: jib/local-env.sh's daemon and registry,
# and the bases there: bash jib/base/publish-bases.sh 127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=SCRIPTDIR/../../jib/lib.sh
source jib/lib.sh
runs=${1:-3}
registry=${MULTI_ARCH_REGISTRY:-127.0.0.1:5000}
out=target/multi-arch-bench
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, got '$runs'"
curl -fsS -o /dev/null "http://$registry/v2/" || die "no registry at $registry (bash jib/local-env.sh)"
skopeo inspect --raw --tls-verify=false "docker://$registry/docker-gs-ping-base/jdk25:25" >/dev/null 2>&1 ||
  die "no bases in $registry (bash jib/base/publish-bases.sh $registry)"
mkdir -p "$out"
# the tags it pushed go again (the registry keeps the repositories: it cannot delete those)
cleanup() {
  local label tag digest
  for label in one two; do
    for tag in latest v1.0 multistage; do
      digest=$(skopeo inspect --raw --tls-verify=false "docker://$registry/multi-arch-bench/$label/docker-gs-ping:$tag" 2>/dev/null |
        sha256sum | cut -d' ' -f1) || continue
      curl -fsS -o /dev/null -X DELETE "http://$registry/v2/multi-arch-bench/$label/docker-gs-ping/manifests/sha256:$digest" 2>/dev/null || true
    done
  done
}
trap cleanup EXIT

build() { # one|two EXTRA-ARGS...: prints wall ms
  local label=$1 start
  shift
  mkdir -p "$out/$label" # jib:build writes its digest files there but, unlike buildTar, does not create it
  start=$(date +%s%N)
  ./mvnw -B -q compile jib:build jib:build@multistage -Pmulti-arch -Dbase.registry="$registry/" \
    -Dimage.registry="$registry/multi-arch-bench/$label/" -Djib.allowInsecureRegistries=true -Djib.console=plain \
    -Dimage.dir="$out/$label" "$@" >"$out/$label.log" 2>&1 || die "jib:build ($label) failed: $(tail -5 "$out/$label.log")"
  echo $((($(date +%s%N) - start) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
own() { jib/imagetool compare --format '{{.b.ownCompressedSize}}' "$@"; } # A --platform P B --platform P: B's bytes A lacks
# REPO:TAG BASE:TAG (in $registry): the bytes of linux/arm64's application layers (those its base
# lacks) and, of them, those linux/amd64's image lacks too. The arm64 layers amd64 lacks are the
# base's (amd64 has none: another architecture) plus those, hence the difference of two compares.
arm64_figures() {
  local image=$registry/$1 base=$registry/$2 app not_amd64 base_not_amd64
  app=$(own "$base" --platform linux/arm64 "$image" --platform linux/arm64)
  not_amd64=$(own "$image" --platform linux/amd64 "$image" --platform linux/arm64)
  base_not_amd64=$(own "$image" --platform linux/amd64 "$base" --platform linux/arm64)
  echo "${1##*:}: linux/arm64 application layers $app bytes, of which not already pushed for linux/amd64:" \
    "$((not_amd64 - base_not_amd64)) bytes (goal 0)"
}

build one -Djib.from.platforms=linux/amd64 >/dev/null
build two >/dev/null
one=() two=()
for ((i = 0; i < runs; i++)); do
  one+=("$(build one -Djib.from.platforms=linux/amd64)")
  two+=("$(build two)")
done
m1=$(printf '%s\n' "${one[@]}" | median) m2=$(printf '%s\n' "${two[@]}" | median)
echo "jib:build latest+multistage, linux/amd64 only:      ${one[*]} ms (median $m1)"
echo "jib:build latest+multistage, linux/amd64+arm64:     ${two[*]} ms (median $m2)"
awk -v a="$m1" -v b="$m2" 'BEGIN { printf "two platforms / one: %.2fx (goal <= 1.5x)\n", b / a }'

repo=multi-arch-bench/two/docker-gs-ping
for tag in latest multistage; do
  arm64_figures "$repo:$tag" "docker-gs-ping-base/$([[ $tag == latest ]] && echo jdk25 || echo runtime25):25"
  for platform in linux/amd64 linux/arm64; do
    docker_cli pull -q --platform "$platform" "$registry/$repo:$tag" >/dev/null
    echo "$tag $platform: docker image ls SIZE $(docker_cli image ls --format '{{.Size}}' "$registry/$repo:$tag")"
    docker_cli image rm "$registry/$repo:$tag" >/dev/null
  done
done
