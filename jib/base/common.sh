# shellcheck shell=bash
# Sourced by build-jdk-base.sh, build-runtime-base.sh and publish-bases.sh: the pinned package versions, the
# platforms, Debian 13's apt, and how a built base goes into the cache. Part of both recipes (their hashes).
# Run on its own, it prints what trixie offers now for each pinned package and both architectures:
#   bash jib/base/common.sh
BASE_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VERSIONS_FILE=$BASE_SCRIPTS/debian-versions.txt
mapfile -t PINNED < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$VERSIONS_FILE")

# the version debian-versions.txt pins for PACKAGE
pinned_version() {
  local pin
  for pin in "${PINNED[@]}"; do [[ ${pin%%=*} == "$1" ]] && { echo "${pin#*=}"; return; }; done
  echo "no version for $1 in $VERSIONS_FILE" >&2
  return 1
}

SUITE=trixie
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-${MIRROR%/debian}/debian-security}"
BASE_CACHE_DIR="${DOCKER_GS_PING_CACHE:-${HOME:-/root}/.cache/docker-gs-ping}/base"

# apt-get or apt-cache on trixie's package lists, kept in the cache: the host (Debian 12 or 13)
# keeps its own sources and lists untouched. The lists are fetched once, and again with `update`.
trixie_apt() { # apt-get|apt-cache ARGS...
  local dir=$BASE_CACHE_DIR/apt tool=$1
  shift
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s\n' \
    "$MIRROR $SUITE main" "$MIRROR $SUITE-updates main" "$SECURITY_MIRROR $SUITE-security main" >"$dir/sources.list"
  local opts=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=/dev/null
    -o "Dir::State::lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o APT::Architectures::=amd64 -o APT::Architectures::=arm64
    -o APT::Sandbox::User=root)
  if [[ $* != *update* ]] && ! compgen -G "$dir/lists/*_Packages*" >/dev/null; then
    apt-get -qq "${opts[@]}" update >&2 || return
  fi
  "$tool" "${opts[@]}" "$@"
}

# Debian architecture (the same word as OCI's for these two) -> GNU triplet, or fail
triplet() {
  case $1 in
    amd64) echo x86_64-linux-gnu ;;
    arm64) echo aarch64-linux-gnu ;;
    *) return 1 ;;
  esac
}

# The recipe: the script that builds, this file, the versions, and ARGS (e.g. arch=arm64).
recipe_hash() { # SCRIPT ARGS...
  { cat "$1" "${BASH_SOURCE[0]}" "$VERSIONS_FILE"; shift; printf '%s\n' "$@"; } | sha256sum | cut -d' ' -f1
}

# Moves a built base into the cache as PREFIX.tar (docker-archive: Jib's tar://, one platform)
# and PREFIX.oci/ (the OCI image layout umoci made, its layers compressed: what
# publish-bases.sh puts into the multi-platform index), then records the recipe hash. The
# old hash goes first, so a crash in between means "rebuild", never "trust a stale base".
store_in_cache() { # DOCKER_ARCHIVE OCI_LAYOUT PREFIX HASH
  rm -f "$3.tar.recipe.sha256"
  rm -rf "$3.oci"
  mv -f "$1" "$3.tar"
  mv -f "$2" "$3.oci"
  echo "$4" >"$3.tar.recipe.sha256.new" && mv -f "$3.tar.recipe.sha256.new" "$3.tar.recipe.sha256"
}

# cached PREFIX HASH: both forms are there and were built by this recipe
in_cache() { [[ -s $1.tar && -s $1.oci/index.json && -f $1.tar.recipe.sha256 && $(<"$1.tar.recipe.sha256") == "$2" ]]; }

# skopeo's flag for a destination registry: plain HTTP only for one on this machine's loopback
dest_tls_flags() { # REGISTRY-HOST[:PORT]
  if [[ $1 =~ ^(localhost|127\.[0-9]+\.[0-9]+\.[0-9]+|\[::1\])(:[0-9]+)?$ ]]; then echo --dest-tls-verify=false; fi
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  trixie_apt apt-get -qq update >&2
  for pin in "${PINNED[@]}"; do
    for arch in amd64 arm64; do
      printf '%s:%s pinned %s, offered %s\n' "${pin%%=*}" "$arch" "${pin#*=}" \
        "$(trixie_apt apt-cache policy "${pin%%=*}:$arch" | awk '/Candidate:/ { print $2 }')"
    done
  done
fi
