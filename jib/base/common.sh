# shellcheck shell=bash
# Sourced by build-jdk-base.sh, build-runtime-base.sh and publish-bases.sh: the pinned package versions, the
# platforms, and how a built base goes into the cache. Part of both recipes (their hashes).
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
