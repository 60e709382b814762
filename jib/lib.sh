# shellcheck shell=bash
# Sourced by every script of the project: the facts and helpers they share, defined once here.
# pom.xml and jib/image-tests/pom.xml read the same cache root (their cache.dir property).
#
#   PROG        the name messages start with (default: the script's file name without .sh)
#   DIE_STATUS  the exit status of die (default 1)

PROG=${PROG:-$(basename "${0%.sh}")}
die() { echo "$PROG: ERROR: $*" >&2; exit "${DIE_STATUS:-1}"; }
log() { echo "$PROG: $*" >&2; }

# The cache of this user's bases, class archives and tools (pom.xml: cache.dir).
CACHE_ROOT=${DOCKER_GS_PING_CACHE:-${HOME:?HOME is not set}/.cache/docker-gs-ping}

# What the build takes from the cache is checked before each use against the sha256 recorded when it
# was made, so a damaged, truncated or replaced file is made again, never used.
# seal FILE [MORE...]: records the sha256 of FILE, then of the files MORE (in FILE's folder or under
# it), in FILE.sha256 as sha256sum prints them (there, `sha256sum -c FILE.sha256` checks them by
# hand); written whole or not at all.
seal() {
  local dir
  dir=$(dirname "$1")
  (cd "$dir" && sha256sum -- "${@#"$dir/"}") >"$1.sha256.new" && mv -f "$1.sha256.new" "$1.sha256"
}
# sealed FILE: FILE.sha256 records FILE first, and FILE and the rest still have those bytes.
sealed() {
  [[ -f $1.sha256 && $(head -n 1 "$1.sha256") == *"  $(basename "$1")" ]] &&
    (cd "$(dirname "$1")" && sha256sum --check --status --strict -- "$(basename "$1").sha256")
}
# base_layer BASE.tar: the member name of a base's one layer, the docker-archive's SHA256.tar
# (jib/base/common.sh's pack_image), read with tar alone; dies for any other tarball.
base_layer() {
  local layer
  layer=$(tar -tf "$1" | grep -x '[0-9a-f]\{64\}\.tar') || layer=''
  [[ -n $layer && $layer != *$'\n'* ]] || die "$1: not one layer, as jib/base/ makes a base: rebuild it (bash jib/local-env.sh)"
  echo "$layer"
}

# This host's platform as Debian and OCI name it (the same word for these two), or what uname says.
host_arch() {
  case $(uname -m) in
    x86_64) echo amd64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) uname -m ;;
  esac
}

# The image toolkit, jib/imagetool (which builds its jar when missing or older than its sources).
IMAGETOOL=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/imagetool
imagetool() { "$IMAGETOOL" "$@"; }

# Debian's docker client matches its dockerd; a newer one elsewhere on PATH may not.
docker_cli() {
  if [[ -x /usr/bin/docker ]]; then /usr/bin/docker "$@"; else command docker "$@"; fi
}

# HOST[:PORT] is this machine's loopback: the one kind of registry spoken to in plain HTTP.
loopback_host() { [[ $1 =~ ^(localhost|127\.[0-9]+\.[0-9]+\.[0-9]+|\[::1\])(:[0-9]+)?$ ]]; }

# Debian's archive as this machine's apt sources name it (the first source whose path ends in
# /debian), or DEBIAN_MIRROR; its security archive: the source of a -security suite, or
# DEBIAN_SECURITY_MIRROR, or the archive's sibling debian-security.
debian_mirror() {
  [[ -n ${DEBIAN_MIRROR:-} ]] && { echo "${DEBIAN_MIRROR%/}"; return; }
  apt_sources | awk '$1 !~ /-security$/ && $2 ~ /\/debian\/?$/ { sub(/\/$/, "", $2); print $2; exit }' | grep . ||
    { echo "$PROG: ERROR: this machine's apt sources name no Debian archive (.../debian): set DEBIAN_MIRROR" >&2; return 1; }
}
debian_security_mirror() {
  [[ -n ${DEBIAN_SECURITY_MIRROR:-} ]] && { echo "${DEBIAN_SECURITY_MIRROR%/}"; return; }
  local url
  url=$(apt_sources | awk '$1 ~ /-security$/ { sub(/\/$/, "", $2); print $2; exit }')
  if [[ -n $url ]]; then echo "$url"; else url=$(debian_mirror) && echo "${url%/debian}/debian-security"; fi
}
# "SUITE URI" for every source of this machine's apt, one-line and deb822 forms alike.
apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ ! -r $f ]] || sed -E -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" { print $3, $2 }'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ ! -r $f ]] || awk '
      /^[[:space:]]*$/ { flush() } /^[[:space:]]*#/ { next }
      tolower($1) == "types:" { deb = / deb( |$)/ } tolower($1) == "uris:" { uri = $2 }
      tolower($1) == "enabled:" { off = tolower($2) == "no" }
      tolower($1) == "suites:" { suites = ""; for (i = 2; i <= NF; i++) suites = suites " " $i }
      function flush(  n, s, i) { if (deb && !off && uri != "") { n = split(suites, s, " "); for (i = 1; i <= n; i++) print s[i], uri }
        deb = 0; off = 0; uri = ""; suites = "" }
      END { flush() }' "$f"
  done
}

# Runs CMD as root of a user namespace of its own (this user mapped to root, no other uid), with
# a mount and pid namespace of its own and, with --proc DIR, a /proc of that pid namespace on DIR:
# chroot and mounts without root. The same for root as for any user, so both build the same bytes.
as_ns_root() { # [--proc DIR] CMD...
  local proc=()
  if [[ $1 == --proc ]]; then proc=(--mount-proc="$2"); shift 2; fi
  unshare --map-root-user --mount --pid --fork "${proc[@]}" "$@"
}
