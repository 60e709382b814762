#!/usr/bin/env bash
# The edit loop, measured: in a copy of this project (the work tree is never touched), builds each
# image once to warm up, then times the developer's commands, each after a one-line controller
# change of its own (so every timed build compiles), ROUNDS times each (default 3):
#
#   ./mvnw compile jib:build@multistage   to the local registry (a repository of its own)
#   ./mvnw compile jib:dockerBuild@multistage
#   ./mvnw compile jib:dockerBuild        (latest)
#
# and prints per command: the median and each wall time, bytes uploaded (registry: the blobs the
# new manifest has that the previous one had not) and which layers changed (by Jib's history comment). Goals (warm,
# 2 cores): lean <= 4 s to the registry and <= 5 s to the daemon, latest <= 8 s to the daemon,
# <= 64 KB uploaded. The daemon images get names of their own (edit-loop/...), removed at the end;
# the registry's edit-loop/ manifests are deleted when the registry allows deletes.
#
# Usage: src/bench/edit-loop.sh [ROUNDS]   Needs: the daemon and registry of jib/local-env.sh,
# and the bases in the cache (run the README's first command once).
set -euo pipefail
rounds=${1:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [ROUNDS]" >&2; exit 2; }
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=SCRIPTDIR/../../jib/lib.sh
source jib/lib.sh
project=$PWD
registry=${EDIT_LOOP_REGISTRY:-127.0.0.1:5000}
# one fixed name: the registry cannot delete a repository, only its manifests, so a name per run
# would leave an empty repository in its catalog every time
name=edit-loop/docker-gs-ping

curl -fsS -o /dev/null "http://$registry/v2/" || die "no registry at $registry (bash jib/local-env.sh)"
docker_cli version --format '{{.Server.Version}}' >/dev/null 2>&1 || die "no Docker daemon (bash jib/local-env.sh)"

copy=$(mktemp -d "${TMPDIR:-/tmp}/edit-loop.XXXXXX")
pushed=() # every manifest pushed here: each round leaves one, untagged by the next
cleanup() {
  docker_cli image rm "$name:latest" "$name:v1.0" "$name:multistage" >/dev/null 2>&1 || true
  local digest
  for digest in $(printf '%s\n' "${pushed[@]}" | sort -u); do
    curl -fsS -o /dev/null -X DELETE "http://$registry/v2/$name/manifests/$digest" 2>/dev/null \
      || log "could not delete $registry/$name@$digest (registry without deletes?)"
  done
  rm -rf "$copy"
}
trap cleanup EXIT
# the work tree as it is, with its target/ (warm classes and Jib's layer cache stay outside: ~/.cache)
tar -C "$project" --exclude=./jib/target -cf - . | tar -C "$copy" -xf -

mvn_() { (cd "$copy" && ./mvnw -B -q "$@" -Dimage.name="$name" -Djib.console=plain) >"$copy/last.log" 2>&1 \
  || die "./mvnw $* failed: $(tail -5 "$copy/last.log")"; }
manifest() { curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$registry/v2/$name/manifests/$1"; }
# the registry serves a manifest's bytes as pushed, so their sha256 is its digest
pushed_digest() { echo "sha256:$(manifest multistage | sha256sum | cut -d' ' -f1)"; }
blobs() { manifest multistage | grep -o '"size":[0-9]*,"digest":"[^"]*"\|"digest":"[^"]*","size":[0-9]*' | sort; }
# layer diff_ids with Jib's comment, from the daemon's copy of an image (the format ends in an empty line)
daemon_layers() {
  docker_cli image inspect --format '{{range .RootFS.Layers}}{{println .}}{{end}}' "$1"
  docker_cli image history --no-trunc --format '{{.Comment}}' "$1" | tac | grep -v '^$' | sed 's/^/comment /'
}
changed_comments() { # layers whose diff_id is new, named by Jib's history comment (same order)
  local before=$1 after=$2
  mapfile -t b < <(grep -v '^comment \|^$' "$before")
  mapfile -t a < <(grep -v '^comment \|^$' "$after")
  mapfile -t c < <(grep '^comment ' "$after" | cut -d' ' -f2-)
  local out=() i
  for i in "${!a[@]}"; do
    printf '%s\n' "${b[@]}" | grep -qx "${a[$i]}" || out+=("${c[$((i - ${#a[@]} + ${#c[@]}))]:-layer $i}")
  done
  local IFS=,
  echo "${out[*]:-none}"
}
timed() { local start; start=$(date +%s%N); "$@"; echo $(( ($(date +%s%N) - start) / 1000000 )); }

push_args=(-Dimage.registry="$registry/" -Djib.allowInsecureRegistries=true)
log "warming up in $copy"
mvn_ compile jib:build@multistage "${push_args[@]}"
pushed+=("$(pushed_digest)")
mvn_ compile jib:dockerBuild@multistage
mvn_ compile jib:dockerBuild

controller=$copy/src/main/java/com/example/gsping/web/PingController.java
grep -q 'Hello, Docker! <3"' "$controller" || die "the controller's greeting is not where this script edits it"
edits=0
edit() { # a one-line change of its own before every timed build, so each one compiles
  edits=$((edits + 1))
  sed -i "s/Hello, Docker! <3[^\"]*\"/Hello, Docker! <3 (edit $edits)\"/" "$controller"
  grep -q "(edit $edits)" "$controller" || die "the controller change did not apply"
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "load: $(uptime)"
times=() uploads=()
blobs >"$copy/blobs.before"
for _ in $(seq "$rounds"); do
  edit
  times+=("$(timed mvn_ compile jib:build@multistage "${push_args[@]}" | tail -1)")
  pushed+=("$(pushed_digest)")
  blobs >"$copy/blobs.after"
  uploads+=("$(comm -13 "$copy/blobs.before" "$copy/blobs.after" | grep -o '"size":[0-9]*' | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }')")
  mv "$copy/blobs.after" "$copy/blobs.before"
done
echo "compile jib:build@multistage       median_ms=$(printf '%s\n' "${times[@]}" | median) runs_ms=${times[*]} uploaded_bytes=${uploads[*]} (config + changed layers)"
for execution in @multistage ""; do
  image=$name:latest
  [ -z "$execution" ] || image=$name:multistage
  daemon_layers "$image" >"$copy/layers.before"
  times=()
  for _ in $(seq "$rounds"); do
    edit
    times+=("$(timed mvn_ compile "jib:dockerBuild$execution" | tail -1)")
  done
  daemon_layers "$image" >"$copy/layers.after"
  printf '%-34s median_ms=%s runs_ms=%s changed_layers=%s\n' "compile jib:dockerBuild$execution" \
    "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}" "$(changed_comments "$copy/layers.before" "$copy/layers.after")"
done
echo "load: $(uptime)"
