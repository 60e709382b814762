#!/usr/bin/env bash
# Two platforms against one, measured: `compile jib:build jib:build@multistage -Pmulti-arch` to the
# local registry (repositories of its own, multi-arch-bench/...) with both platforms, and with
# -Djib.from.platforms=linux/amd64 (the same bases, one platform), alternately, RUNS times each
# after one warm-up of each (bases cached in Jib's layer cache). Prints:
#
#   - the wall times (median) and their ratio (goal <= 1.5);
#   - the bytes of the second platform's application layers that are not already blobs of the first
#     platform's image (what its push uploads; goal 0), per image;
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
raw() { skopeo inspect --raw --tls-verify=false "docker://$registry/$1"; }

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
  index=$(raw "$repo:$tag")
  amd64=$(jq -r '.manifests[] | select(.platform.architecture == "amd64") | .digest' <<<"$index")
  arm64=$(jq -r '.manifests[] | select(.platform.architecture == "arm64") | .digest' <<<"$index")
  base=$([[ $tag == latest ]] && echo jdk25 || echo runtime25)
  base_arm64=$(raw "docker-gs-ping-base/$base:25" | jq -r '.manifests[] | select(.platform.architecture == "arm64") | .digest')
  # arm64's layers that are neither its base's nor amd64's: what pushing the second platform adds
  extra=$(jq -rs '(.[0].layers | map(.digest)) as $amd64 | (.[1].layers | map(.digest)) as $base
      | [.[2].layers[] | select(.digest as $d | ($amd64 + $base | index($d)) == null) | .size] | add // 0' \
    <(raw "$repo@$amd64") <(raw "docker-gs-ping-base/$base@$base_arm64") <(raw "$repo@$arm64"))
  app=$(jq -rs '(.[0].layers | length) as $n | .[1].layers[$n:] | map(.size) | add' \
    <(raw "docker-gs-ping-base/$base@$base_arm64") <(raw "$repo@$arm64"))
  echo "$tag: linux/arm64 application layers $app bytes, of which not already pushed for linux/amd64: $extra bytes (goal 0)"
  for platform in linux/amd64 linux/arm64; do
    docker_cli pull -q --platform "$platform" "$registry/$repo:$tag" >/dev/null
    echo "$tag $platform: docker image ls SIZE $(docker_cli image ls --format '{{.Size}}' "$registry/$repo:$tag")"
    docker_cli image rm "$registry/$repo:$tag" >/dev/null
  done
done
