#!/usr/bin/env bash
# Latency of `jib/imagetool ls` on a local store and on a registry, next to `docker image ls` and
# `skopeo inspect`, with hyperfine. Loads the image tarballs into a throwaway store, pushes them to
# a registry process of its own (docker-registry on a free loopback port, stopped by pid at the
# end), warms the layer-size cache once, then times each command. Prints hyperfine's table and
# writes its JSON to target/bench/imagetool-ls.json.
#
# Usage: src/bench/imagetool-ls.sh [--images DIR] [--runs N] [--java-opts 'OPTS']
#   --images DIR   tarballs to load (default target/jib: docker-gs-ping-latest.tar, -multistage.tar)
#   --java-opts    extra JVM options for the launcher (IMAGETOOL_JAVA_OPTS), to compare settings
# Needs: hyperfine, docker-registry (bash jib/local-env.sh); docker and skopeo for the reference lines.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
project=$PWD
images=$project/target/jib runs=20
while [ $# -gt 0 ]; do
  case $1 in
    --images) images=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --java-opts) export IMAGETOOL_JAVA_OPTS=$2; shift 2 ;;
    *) echo "usage: $0 [--images DIR] [--runs N] [--java-opts OPTS]" >&2; exit 2 ;;
  esac
done
die() { echo "imagetool-ls: $*" >&2; exit 1; }
command -v hyperfine >/dev/null || die "needs hyperfine (apt-get install hyperfine)"
command -v docker-registry >/dev/null || die "needs docker-registry (bash jib/local-env.sh)"
tarballs=("$images"/docker-gs-ping-*.tar)
[ -f "${tarballs[0]}" ] || die "no docker-gs-ping-*.tar in $images (./mvnw -B package -Plocal-base, or --images DIR)"

work=$(mktemp -d /tmp/imagetool-ls-bench.XXXXXX)
registry_pid=
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
registry=127.0.0.1:$port
cat > "$work/registry.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: $registry
YAML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do curl -fsS "http://$registry/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://$registry/v2/" >/dev/null || die "registry on $registry did not start: $(cat "$work/registry.log")"

tool=$project/jib/imagetool
export IMAGETOOL_STORE=$work/store
"$tool" --version >/dev/null # builds the jar when needed, outside the timings
for t in "${tarballs[@]}"; do "$tool" load "$t" >/dev/null; done
for name in $("$tool" ls --format json | python3 -c 'import json,sys; print(" ".join(r["repository"]+":"+r["tag"] for r in json.load(sys.stdin)))'); do
  "$tool" push "$name" "$registry/bench/$name" >/dev/null
done
repo=$registry/bench/docker-gs-ping
"$tool" ls >/dev/null && "$tool" ls "$repo" >/dev/null # fills the layer-size cache once

echo "java: $(java -version 2>&1 | head -1); IMAGETOOL_JAVA_OPTS='${IMAGETOOL_JAVA_OPTS:-}'"
echo "local store: $("$tool" ls | tail -n +2 | wc -l) tags; registry $repo: $(curl -fsS "http://$registry/v2/bench/docker-gs-ping/tags/list")"
cmds=(-n "imagetool ls (local store)" "$tool ls"
      -n "imagetool ls (registry)" "$tool ls $repo")
if command -v docker >/dev/null && docker version >/dev/null 2>&1; then
  cmds+=(-n "docker image ls" "docker image ls")
fi
if command -v skopeo >/dev/null; then
  cmds+=(-n "skopeo inspect (registry)" "skopeo inspect --tls-verify=false docker://$repo:latest")
fi
mkdir -p "$project/target/bench"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$project/target/bench/imagetool-ls.json" "${cmds[@]}"
