# shellcheck shell=bash
# Sourced by build-jdk-base.sh, build-runtime-base.sh and publish-bases.sh: the pinned package versions, the
# platforms, Debian 13's apt, how a base is packed and how it goes into the cache. Part of both recipes
# (their hashes). Run on its own, it prints what trixie offers now for each pinned package and both
# architectures:
#   bash jib/base/common.sh
BASE_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=jib/lib.sh
source "$BASE_SCRIPTS/../lib.sh"
VERSIONS_FILE=$BASE_SCRIPTS/debian-versions.txt
mapfile -t PINNED < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$VERSIONS_FILE")
# chroot lives in sbin, which a plain user's PATH lacks
PATH=$PATH:/usr/sbin:/sbin
# Every file the bases are made of is created with the same modes, by root as by a plain user.
umask 022

# the version debian-versions.txt pins for PACKAGE
pinned_version() {
  local pin
  for pin in "${PINNED[@]}"; do [[ ${pin%%=*} == "$1" ]] && { echo "${pin#*=}"; return; }; done
  echo "no version for $1 in $VERSIONS_FILE" >&2
  return 1
}

SUITE=trixie
BASE_CACHE_DIR=$CACHE_ROOT/base
# the time of every file and of the images (default 2025-01-01, as the pom's outputTimestamp)
EPOCH=${SOURCE_DATE_EPOCH:-1735689600}
[[ $EPOCH =~ ^[0-9]+$ ]] || die "SOURCE_DATE_EPOCH must be an integer, got '$EPOCH'"

# TOOL... are on PATH, or stop naming the set-up that installs them
need_tools() {
  local tool
  for tool; do command -v "$tool" >/dev/null || die "$tool not found (run: bash jib/local-env.sh)"; done
}

# apt-get or apt-cache on trixie's package lists, kept in the cache: the host (Debian 12 or 13)
# keeps its own sources and lists untouched. The lists are fetched once, and again with `update`.
trixie_apt() { # apt-get|apt-cache ARGS...
  local dir=$BASE_CACHE_DIR/apt tool=$1 mirror security
  shift
  mirror=$(debian_mirror) && security=$(debian_security_mirror) || return
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s\n' \
    "$mirror $SUITE main" "$mirror $SUITE-updates main" "$security $SUITE-security main" >"$dir/sources.list"
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

# Packs LAYER, an uncompressed tar of a root file system, as the one layer of an image with
# imagetool import, which takes the tar verbatim (so no root is needed and the layer is the tar's
# bytes), configured by its FLAGs, into the image store (an OCI layout) WORK/oci, and exports it
# with skopeo as the docker-archive WORK/image.tar named NAME:TAG.
pack_image() { # WORK LAYER NAME:TAG CREATED_BY COMMENT FLAG...
  local work=$1 layer=$2 name=$3 created_by=$4 comment=$5
  shift 5
  {
    SOURCE_DATE_EPOCH=$EPOCH imagetool --store "$work/oci" import --created-by "$created_by" --message "$comment" "$@" \
      "$layer" "$name" &&
      skopeo --insecure-policy copy -q "oci:$work/oci:$name" "docker-archive:$work/image.tar:$name"
  } || die "packing $name failed (imagetool import, skopeo)"
}

# Moves a built base into the cache as PREFIX.tar (docker-archive: Jib's tar://, one platform),
# then records its sha256 beside it (PREFIX.tar.sha256, with PREFIX.packages when there: lib.sh's
# seal; pom.xml's bases-present checks the tarball's line) and the recipe hash. The old records go
# first, so a crash in between means "rebuild", never "trust a stale base".
store_in_cache() { # DOCKER_ARCHIVE PREFIX HASH
  local files=()
  rm -f "$2.tar.recipe.sha256" "$2.tar.sha256"
  rm -rf "$2.oci" # the OCI layout kept beside it until publish-bases.sh made its own
  mv -f "$1" "$2.tar"
  [[ ! -f $2.packages ]] || files+=("$2.packages")
  seal "$2.tar" "${files[@]}"
  echo "$3" >"$2.tar.recipe.sha256.new" && mv -f "$2.tar.recipe.sha256.new" "$2.tar.recipe.sha256"
}

# cached PREFIX HASH: built by this recipe, with the bytes recorded when built; a damaged one is
# named in one line on stderr
in_cache() {
  [[ -s $1.tar && -f $1.tar.recipe.sha256 && $(<"$1.tar.recipe.sha256") == "$2" ]] || return
  sealed "$1.tar" && return
  log "$1.tar is not as it was built (sha256sum -c $1.tar.sha256): building it again"
  return 1
}

# The .deb of the pinned PACKAGE for ARCH, downloaded into DIR once (apt checks it against
# trixie's signed lists) and checked at each use (lib.sh's seal); prints its path.
pinned_deb() { # DIR PACKAGE ARCH
  local version deb offered
  version=$(pinned_version "$2") || return
  deb=$1/${2}_${version//:/%3a}_$3.deb # apt-get download's file name
  if [[ -f $deb ]] && ! sealed "$deb"; then
    log "$deb is not as it was downloaded (sha256sum -c $deb.sha256): downloading it again"
    rm -f "$deb"
  fi
  if [[ ! -f $deb ]]; then
    log "downloading $2=$version ($3)"
    mkdir -p "$1"
    if ! (cd "$1" && trixie_apt apt-get download -qq "$2:$3=$version" >&2) || [[ ! -s $deb ]]; then
      offered=$(trixie_apt apt-cache policy "$2:$3" 2>/dev/null | awk '/Candidate:/ { print $2 }')
      die "cannot download $2=$version for $3 (trixie offers: ${offered:-nothing}); update $VERSIONS_FILE"
    fi
    seal "$deb"
  fi
  echo "$deb"
}

# skopeo's flag for a destination registry: plain HTTP only for one on this machine's loopback
dest_tls_flags() { # REGISTRY-HOST[:PORT]
  if loopback_host "$1"; then echo --dest-tls-verify=false; fi
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
