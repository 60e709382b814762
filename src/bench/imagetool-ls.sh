#!/usr/bin/env bash
# Latency of `jib/imagetool ls` on a local store and on a registry, next to `docker image ls` and
# `skopeo inspect`, with hyperfine. Loads the image tarballs into a throwaway store, pushes them to
# a registry process of its own (docker-registry on a free loopback port, stopped by pid at the
# end), warms the layer-size cache once, then times each command. Prints hyperfine's table and
# writes its JSON to target/bench/imagetool-ls.json.
#
# Usage: src/bench/imagetool-ls.sh [--images DIR] [--index REF] [--runs N] [--java-opts 'OPTS'] [--write-classlist]
#   --images DIR   tarballs to load (default target/jib: docker-gs-ping-latest.tar, -multistage.tar)
#   --index REF    also a multi-platform image, copied from REF (read only) into the store and the
#                  registry as docker-gs-ping:index, e.g. 127.0.0.1:5000/docker-gs-ping-base/runtime25:25
#   --java-opts    extra JVM options for the launcher (IMAGETOOL_JAVA_OPTS), to compare settings
#   --write-classlist  instead of timing, record the classes load, push, ls, history and compare
#                  load here into jib/src/main/cds/imagetool.classlist (the launcher's CDS archive)
# Needs: hyperfine, docker-registry (bash jib/local-env.sh); docker and skopeo for the reference lines.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=SCRIPTDIR/../../jib/lib.sh
source jib/lib.sh
project=$PWD
images=$project/target/jib runs=20 index='' classlist=''
while [ $# -gt 0 ]; do
  case $1 in
    --images) images=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --index) index=$2; shift 2 ;;
    --write-classlist) classlist=$project/jib/src/main/cds/imagetool.classlist; shift ;;
    --java-opts) export IMAGETOOL_JAVA_OPTS=$2; shift 2 ;;
    *) echo "usage: $0 [--images DIR] [--index REF] [--runs N] [--java-opts OPTS] [--write-classlist]" >&2; exit 2 ;;
  esac
done
command -v hyperfine >/dev/null || die "needs hyperfine (apt-get install hyperfine)"
command -v docker-registry >/dev/null || die "needs docker-registry (bash jib/local-env.sh)"
tarballs=("$images"/docker-gs-ping-*.tar)
[ -f "${tarballs[0]}" ] || die "no docker-gs-ping-*.tar in $images (./mvnw -B package -DskipTests, or --images DIR)"

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
if [ -n "$classlist" ]; then
  # every command below writes the classes it loads (with sharing off, so that all of them are listed)
  mkdir -p "$work/classes"
  tool() { IMAGETOOL_JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$work/classes/$RANDOM$RANDOM.lst" "$project/jib/imagetool" "$@"; }
  tool=tool
fi
for t in "${tarballs[@]}"; do "$tool" load "$t" >/dev/null; done
# (an index's platform rows carry its name: uniq)
for name in $("$tool" ls --format '{{.Repository}}:{{.Tag}}' | uniq); do
  "$tool" push "$name" "$registry/bench/$name" >/dev/null
done
repo=$registry/bench/docker-gs-ping
if [ -n "$index" ]; then
  # the store has no pull: the index goes to the bench registry, and from there into the store as a tarball
  "$tool" push "$index" "$repo:index" >/dev/null
  command -v skopeo >/dev/null || die "--index needs skopeo (to bring the index into the store)"
  skopeo copy -q --all --src-tls-verify=false "docker://$repo:index" "oci-archive:$work/index.tar:docker-gs-ping:index"
  "$tool" load "$work/index.tar" >/dev/null
fi
"$tool" ls >/dev/null && "$tool" ls "$repo" >/dev/null # fills the layer-size cache once

if [ -n "$classlist" ]; then
  "$tool" ls --format json >/dev/null
  "$tool" ls --format json "$repo" >/dev/null
  "$tool" history "$repo:latest" >/dev/null
  if [ -n "$index" ]; then
    "$tool" compare docker-gs-ping:index --platform linux/amd64 --platform linux/arm64 >/dev/null
    "$tool" history --platform linux/arm64 "$repo:index" >/dev/null
  else
    "$tool" compare docker-gs-ping:latest docker-gs-ping:multistage >/dev/null
  fi
  mkdir -p "$(dirname "$classlist")"
  # the classes, then the lambda proxies and method-handle forms they resolve (@lambda-... lines,
  # archived too, after the classes they name); not the numbered dynamic proxies, named anew each run
  { cat "$work"/classes/*.lst | grep -v -e '^[#@]' -e '/[$]Proxy[0-9]' | LC_ALL=C sort -u
    cat "$work"/classes/*.lst | grep '^@lambda-' | LC_ALL=C sort -u; } >"$classlist"
  echo "wrote $(wc -l <"$classlist") classes to $classlist"
  exit 0
fi
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
