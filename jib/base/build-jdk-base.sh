#!/usr/bin/env bash
# Build the full-JDK base image of the "fat" docker-gs-ping:latest image locally,
# with no Dockerfile and no registry: debootstrap (Debian 13 minbase) + OpenJDK 25
# JDK, packed as an OCI image with umoci and exported with skopeo as a
# docker-archive tarball that Jib reads as  <from><image>tar:///PATH</image>.
#
#   bash jib/base/build-jdk-base.sh [--force] [--arch amd64|arm64] [--push REGISTRY/REPO:TAG]
#
# --arch: the Debian architecture (default: this host's); another one's second debootstrap
#         stage and apt run under qemu-user-static (bash jib/local-env.sh sets it up), 4-8 min
#         on 2 cores.
# stdout: only the absolute tarball path (everything else goes to stderr).
# Cache:  ${DOCKER_GS_PING_CACHE:-$HOME/.cache/docker-gs-ping}/base/jdk25-linux-ARCH.tar, and
#         beside it .oci/ (the OCI layout, for publish-bases.sh) and .packages (every package's
#         version), rebuilt only when missing or when the recipe (this script, common.sh,
#         debian-versions.txt) changed.
# Versions: openjdk-25-jdk-headless as jib/base/debian-versions.txt pins it; the rest of Debian
#         13 as trixie(-updates, -security) has it when built.
# Env:    DEBIAN_MIRROR (default http://deb.debian.org/debian)
#         SOURCE_DATE_EPOCH (default 2025-01-01, as the pom's outputTimestamp)
set -euo pipefail

# Keep stdout for the result only; send all progress (ours and tools') to stderr.
exec 3>&1 1>&2

EPOCH="${SOURCE_DATE_EPOCH:-1735689600}"

die() { echo "build-jdk-base: ERROR: $*" >&2; exit 1; }
log() { echo "build-jdk-base: $*" >&2; }
usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=jib/base/common.sh
source "$HERE/common.sh"
CACHE_DIR=$BASE_CACHE_DIR

PUSH='' FORCE='' ARCH=''
while (($#)); do
  case "$1" in
    --arch) [[ $# -ge 2 ]] || die "--arch needs a Debian architecture (amd64 or arm64)"; ARCH=$2; shift 2 ;;
    --push) [[ $# -ge 2 && -n $2 ]] || die "--push needs REGISTRY/REPO:TAG"; PUSH=$2; shift 2 ;;
    --push=*) PUSH=${1#--push=}; shift ;;
    --force) FORCE=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage; die "unknown argument '$1'" ;;
  esac
done
if [[ -n $PUSH ]]; then
  [[ $PUSH == */* && ${PUSH##*/} == *:* ]] || die "--push '$PUSH' must look like REGISTRY/REPO:TAG (e.g. 127.0.0.1:5000/docker-gs-ping-base/jdk25:local)"
fi

[[ $(uname -s) == Linux ]] || die "Linux only: debootstrap/umoci need a Linux kernel (this is $(uname -s))"
[[ $EUID -eq 0 ]] || die "must run as root (debootstrap, chroot and mounts need it); try: sudo bash $0"
[[ $EPOCH =~ ^[0-9]+$ ]] || die "SOURCE_DATE_EPOCH must be an integer, got '$EPOCH'"

# Install the tools only when missing (a fresh Debian 12 has none of them).
need=()
for p in debootstrap umoci skopeo debian-archive-keyring; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if ((${#need[@]})); then
  log "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" ||
    die "apt-get install ${need[*]} failed"
fi

HOST_ARCH=$(dpkg --print-architecture)
ARCH=${ARCH:-$HOST_ARCH}
triplet "$ARCH" >/dev/null || die "architecture '$ARCH' is not supported (amd64 or arm64)"
FOREIGN=''
if [[ $ARCH != "$HOST_ARCH" ]]; then
  FOREIGN=1
  # the kernel must run the other architecture's binaries (qemu-user-static, binfmt_misc F flag)
  qemu=$(grep -lx "magic $(case $ARCH in arm64) echo 7f454c460201010000000000000000000200b700 ;; amd64) echo 7f454c4602010100000000000000000002003e00 ;; esac)" \
    /proc/sys/fs/binfmt_misc/qemu-* 2>/dev/null | head -n 1 || true)
  [[ -n $qemu && $(head -n 1 "$qemu") == enabled ]] || die "this $HOST_ARCH host cannot run $ARCH binaries (run: bash jib/local-env.sh)"
fi
JAVA_HOME_DIR=/usr/lib/jvm/java-25-openjdk-$ARCH
JDK_PIN=openjdk-25-jdk-headless=$(pinned_version openjdk-25-jdk-headless)
IMAGE_NAME=docker-gs-ping-base/jdk25:linux-$ARCH
# The recipe: this script, common.sh, the versions and the target arch; any edit invalidates the cache.
RECIPE_HASH=$(recipe_hash "$(readlink -f "${BASH_SOURCE[0]}")" "arch=$ARCH")

# skopeo copies only between local files and the chosen registry, so it must not
# depend on /etc/containers/policy.json being present.
skopeo_() { skopeo --insecure-policy "$@"; }

push_image() {
  [[ -n $PUSH ]] || return 0
  log "pushing to docker://$PUSH"
  # shellcheck disable=SC2046 # no flag, or one
  skopeo_ copy --quiet $(dest_tls_flags "${PUSH%%/*}") "docker-archive:$OUT" "docker://$PUSH" ||
    die "push to $PUSH failed (is the registry up? try: bash jib/local-env.sh)"
  log "pushed $PUSH"
}

finish() {
  push_image
  echo "$OUT" >&3
  exit 0
}

cached() { [[ -z $FORCE ]] && in_cache "$PREFIX" "$RECIPE_HASH"; }

# Unmount everything below DIR (deepest first), then delete it without ever
# crossing into another filesystem: a leftover bind mount of /dev or /proc must
# never be followed by rm.
safe_rm() {
  local dir=$1 m
  [[ -e $dir ]] || return 0
  dir=$(readlink -f "$dir")
  while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done < <(awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
  if awk -v d="$dir/" 'index($5, d) == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
    die "cannot unmount everything under $dir; remove it by hand"
  fi
  rm -rf --one-file-system "$dir"
}

mkdir -p "$CACHE_DIR"
CACHE_DIR=$(readlink -f "$CACHE_DIR") # the printed path must be absolute (Jib's tar:// needs it)
PREFIX="$CACHE_DIR/jdk25-linux-$ARCH"
OUT="$PREFIX.tar"
LOG="$PREFIX.build.log"
if cached; then
  log "cached: $OUT ($(du -h "$OUT" | cut -f1), recipe ${RECIPE_HASH:0:12})"
  finish
fi

# One build at a time per cache dir; a second caller waits, then reuses the result.
exec 9>"$CACHE_DIR/.jdk25-$ARCH.lock"
flock 9
if cached; then
  log "built meanwhile by another run: $OUT"
  finish
fi

# Leftovers of crashed builds of this arch (possibly with mounts still in place).
for d in "$CACHE_DIR"/.build-"$ARCH".*; do [[ -e $d ]] && safe_rm "$d"; done

START=$SECONDS
WORK=$(mktemp -d "$CACHE_DIR/.build-$ARCH.XXXXXX")
ROOTFS=$WORK/bundle/rootfs
DEBS=$CACHE_DIR/debs # .deb cache shared by debootstrap and apt: fast rebuilds after recipe edits
mkdir -p "$DEBS/partial"
: >"$LOG"
BUILT=''
# shellcheck disable=SC2317 # invoked by the EXIT trap
on_exit() {
  local rc=$?
  if ((rc != 0)) && [[ -z $BUILT ]]; then
    log "build FAILED (exit $rc); last lines of $LOG:"
    tail -n 25 "$LOG" >&2 || true
  fi
  safe_rm "$WORK" || true
}
trap on_exit EXIT
trap 'exit 130' INT TERM

step() { log "[$((SECONDS - START))s] $*"; }
quiet() { "$@" >>"$LOG" 2>&1; } # tool chatter goes to the build log
in_root() {
  chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 HOME=/root "$@"
}

step "OCI layout + empty bundle (umoci)"
quiet umoci init --layout "$WORK/oci"
quiet umoci new --image "$WORK/oci:jdk25"
quiet umoci unpack --image "$WORK/oci:jdk25" "$WORK/bundle"

step "debootstrap --variant=minbase --arch=$ARCH $SUITE from $MIRROR${FOREIGN:+ (second stage under qemu)} (log: $LOG)"
keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
quiet debootstrap ${FOREIGN:+--foreign} --variant=minbase --arch="$ARCH" --components=main "${keyring[@]}" \
  --cache-dir="$DEBS" "$SUITE" "$ROOTFS" "$MIRROR" || die "debootstrap failed"
if [[ -n $FOREIGN ]]; then
  quiet in_root /debootstrap/debootstrap --second-stage || die "debootstrap --second-stage failed"
fi

step "apt sources, no-docs and no-service-start policy"
rm -f "$ROOTFS/etc/apt/sources.list"
cat >"$ROOTFS/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY_MIRROR
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# Docs, man pages and message translations (~40 MB) are dead weight in a server
# image; keep copyright files (licences) and libc's locale.alias.
cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/docker-gs-ping-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-gs-ping" <<'EOF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
EOF
printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
cp -L /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null || true

step "apt-get install $JDK_PIN ca-certificates (+ security updates)"
mountpoint -q "$ROOTFS/proc" || mount -t proc proc "$ROOTFS/proc"
# A private devpts keeps apt/dpkg from complaining about missing ptys.
mkdir -p "$ROOTFS/dev/pts"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$ROOTFS/dev/pts"
mount --bind "$DEBS" "$ROOTFS/var/cache/apt/archives"
quiet in_root apt-get update -q || die "apt-get update in the rootfs failed"
quiet in_root apt-get dist-upgrade -y -q || die "apt-get dist-upgrade in the rootfs failed"
quiet in_root apt-get install -y -q "$JDK_PIN" ca-certificates ||
  die "apt-get install $JDK_PIN failed (does trixie still offer it? see jib/base/debian-versions.txt)"
quiet in_root apt-get autoclean -q # keep the shared .deb cache from growing forever
in_root "$JAVA_HOME_DIR/bin/javac" -version >>"$LOG" 2>&1 || die "javac does not run in the new rootfs"
JDK_VERSION=$(dpkg-query --admindir="$ROOTFS/var/lib/dpkg" -W -f='${Version}' openjdk-25-jdk-headless)
# every package's version, for publish-bases.sh to check that both architectures have the same
dpkg-query --admindir="$ROOTFS/var/lib/dpkg" -W -f='${Package} ${Version}\n' | LC_ALL=C sort >"$WORK/packages"
umount "$ROOTFS/var/cache/apt/archives" "$ROOTFS/dev/pts" "$ROOTFS/proc"

step "slimming and normalising the rootfs"
# Nothing may still be mounted before deleting /dev nodes etc. inside the rootfs.
if awk -v d="$(readlink -f "$WORK")/" 'index($5, d) == 1 { f = 1 } END { exit !f }' /proc/self/mountinfo; then
  die "something is still mounted under $WORK"
fi
rm -f "$ROOTFS/usr/sbin/policy-rc.d"
# Same cleanup hook as Debian's official images, for images built FROM this one.
cat >"$ROOTFS/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
(
  cd "$ROOTFS"
  rm -rf var/lib/apt/lists/* var/cache/apt/* var/cache/debconf/*-old var/lib/dpkg/*-old \
    var/cache/ldconfig/aux-cache tmp/* var/tmp/* root/.cache dev/* proc/* sys/* \
    usr/share/man/* usr/share/info/* usr/share/lintian/*
  mkdir -p var/lib/apt/lists/partial var/cache/apt/archives/partial
  find usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
  find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
  find usr/share/doc -mindepth 1 -type d -empty -delete
  find var/log -type f -delete
  # Host-specific files that debootstrap copied in; Docker provides its own at run time.
  : >etc/resolv.conf
  rm -f etc/hostname
  # Fixed mtimes: same inputs give the same layer regardless of build time.
  find . -xdev -newermt "@$EPOCH" -exec touch --no-dereference --date="@$EPOCH" {} +
)

CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
step "umoci repack + config"
quiet umoci repack --image "$WORK/oci:jdk25" --history.created "$CREATED" \
  --history.created_by "debootstrap --variant=minbase $SUITE + apt-get install $JDK_PIN ca-certificates" \
  --history.comment "jib/base/build-jdk-base.sh recipe $RECIPE_HASH" "$WORK/bundle"
quiet umoci config --image "$WORK/oci:jdk25" --no-history --created "$CREATED" \
  --os linux --architecture "$ARCH" \
  --config.env "PATH=$JAVA_HOME_DIR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.env "JAVA_HOME=$JAVA_HOME_DIR" \
  --config.env "LANG=C.UTF-8" \
  --config.cmd jshell \
  --config.workingdir / \
  --config.label "org.opencontainers.image.title=docker-gs-ping-base/jdk25" \
  --config.label "org.opencontainers.image.description=Debian 13 (trixie) minbase + OpenJDK 25 JDK (headless): full-JDK base of docker-gs-ping:latest" \
  --config.label "org.opencontainers.image.base.name=debian:$SUITE (debootstrap --variant=minbase)" \
  --config.label "org.opencontainers.image.version=$JDK_VERSION" \
  --config.label "org.opencontainers.image.created=$CREATED" \
  --config.label "com.example.docker-gs-ping.recipe-sha256=$RECIPE_HASH"
quiet umoci gc --layout "$WORK/oci"

step "skopeo copy -> docker-archive ($IMAGE_NAME)"
quiet skopeo_ copy "oci:$WORK/oci:jdk25" "docker-archive:$WORK/jdk25-base.tar:$IMAGE_NAME" ||
  die "skopeo copy to docker-archive failed"

mv -f "$WORK/packages" "$PREFIX.packages"
store_in_cache "$WORK/jdk25-base.tar" "$WORK/oci" "$PREFIX" "$RECIPE_HASH"
BUILT=1

log "built $OUT in $((SECONDS - START)) s: $(du -h "$OUT" | cut -f1), OpenJDK $JDK_VERSION, recipe ${RECIPE_HASH:0:12}"
finish
