#!/usr/bin/env bash
# Build the full-JDK base image of the "fat" docker-gs-ping:latest image locally, as any user,
# with no Dockerfile and no registry: mmdebstrap writes Debian 13 minbase with the pinned OpenJDK
# 25 JDK as a tarball, working in a user namespace; imagetool import makes that tarball the image's
# one layer and skopeo exports the image as a docker-archive tarball that Jib reads as
# <from><image>tar:///PATH</image>.
#
#   bash jib/base/build-jdk-base.sh [--force] [--arch amd64|arm64] [--push REGISTRY/REPO:TAG]
#
# --arch: the Debian architecture (default: this host's); another one's maintainer scripts run
#         under qemu-user-static (bash jib/local-env.sh registers it), minutes on 2 cores.
# stdout: only the absolute tarball path (everything else goes to stderr).
# Cache:  ${DOCKER_GS_PING_CACHE:-$HOME/.cache/docker-gs-ping}/base/jdk25-linux-ARCH.tar, and
#         beside it .packages (every package's version, for publish-bases.sh), rebuilt when
#         missing, damaged (.tar.sha256: jib/base/README.md) or made by another recipe (this
#         script, common.sh, debian-versions.txt, the mirrors).
# Versions: openjdk-25-jdk-headless as jib/base/debian-versions.txt pins it; the rest of Debian
#         13 as trixie(-updates, -security) has it when built.
# Env:    DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR (default: this machine's apt sources)
#         SOURCE_DATE_EPOCH (default 2025-01-01, as the pom's outputTimestamp)
set -euo pipefail

# Keep stdout for the result only; send all progress (ours and tools') to stderr.
exec 3>&1 1>&2

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=jib/base/common.sh
source "$HERE/common.sh"
usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }

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

[[ $(uname -s) == Linux ]] || die "Linux only: mmdebstrap needs a Linux kernel (this is $(uname -s))"
need_tools mmdebstrap skopeo
if ((EUID != 0)); then
  # a plain user's mmdebstrap maps root and the packages' users to subordinate ids
  need_tools newuidmap newgidmap
  if ! grep -qE "^($(id -un)|$EUID):" /etc/subuid || ! grep -qE "^($(id -un)|$EUID):" /etc/subgid; then
    die "$(id -un) has no subordinate uid and gid range in /etc/subuid and /etc/subgid (run: bash jib/local-env.sh)"
  fi
fi
ARCH=${ARCH:-$(host_arch)}
triplet "$ARCH" >/dev/null || die "architecture '$ARCH' is not supported (amd64 or arm64)"
if [[ $ARCH != "$(host_arch)" ]]; then
  need_tools arch-test
  arch-test "$ARCH" >/dev/null || die "this $(host_arch) host cannot run $ARCH binaries (run: bash jib/local-env.sh)"
fi
MIRROR=$(debian_mirror) && SECURITY_MIRROR=$(debian_security_mirror) || exit 1
JAVA_HOME_DIR=/usr/lib/jvm/java-25-openjdk-$ARCH
JDK_PIN=openjdk-25-jdk-headless=$(pinned_version openjdk-25-jdk-headless)
FAKETIME_PIN=libfaketime=$(pinned_version libfaketime)
IMAGE_NAME=docker-gs-ping-base/jdk25:linux-$ARCH
# The recipe: this script, common.sh, the versions, the target arch and the mirrors (the image's apt
# sources name them); any edit invalidates the cache.
RECIPE_HASH=$(recipe_hash "$(readlink -f "${BASH_SOURCE[0]}")" "arch=$ARCH" "mirrors=$MIRROR $SECURITY_MIRROR")

push_image() {
  [[ -n $PUSH ]] || return 0
  log "pushing to docker://$PUSH"
  # shellcheck disable=SC2046 # no flag, or one
  skopeo --insecure-policy copy --quiet $(dest_tls_flags "${PUSH%%/*}") "docker-archive:$OUT" "docker://$PUSH" ||
    die "push to $PUSH failed (is the registry up? try: bash jib/local-env.sh)"
  log "pushed $PUSH"
}

finish() {
  push_image
  echo "$OUT" >&3
  exit 0
}

cached() { [[ -z $FORCE ]] && in_cache "$PREFIX" "$RECIPE_HASH"; }

mkdir -p "$BASE_CACHE_DIR"
CACHE_DIR=$(readlink -f "$BASE_CACHE_DIR") # the printed path must be absolute (Jib's tar:// needs it)
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
if cached 2>/dev/null; then
  log "built meanwhile by another run: $OUT"
  finish
fi

rm -rf "$CACHE_DIR"/.build-"$ARCH".* # leftovers of crashed builds of this arch
START=$SECONDS
WORK=$(mktemp -d "$CACHE_DIR/.build-$ARCH.XXXXXX")
: >"$LOG"
BUILT=''
# shellcheck disable=SC2317 # invoked by the EXIT trap
on_exit() {
  local rc=$?
  if ((rc != 0)) && [[ -z $BUILT ]]; then
    log "build FAILED (exit $rc); last lines of $LOG:"
    tail -n 25 "$LOG" >&2 || true
  fi
  rm -rf "$WORK"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

step() { log "[$((SECONDS - START))s] $*"; }

cat >"$WORK/debian.sources" <<EOF
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
# Docs, man pages and message translations (~40 MB) are dead weight in a server image; keep
# copyright files (licences) and libc's locale.alias. mmdebstrap writes these options into the
# image's dpkg and apt config (and applies the dpkg ones to the essential packages it unpacks).
DPKG_OPTIONS=(path-exclude=/usr/share/doc/* path-include=/usr/share/doc/*/copyright path-exclude=/usr/share/man/*
  path-exclude=/usr/share/info/* path-exclude=/usr/share/lintian/* path-exclude=/usr/share/locale/*
  path-include=/usr/share/locale/locale.alias)
APT_OPTIONS=('APT::Install-Recommends "false";' 'APT::Install-Suggests "false";' 'Acquire::Languages "none";')

# Same cleanup hook as Debian's official images, for images built FROM this one.
cat >"$WORK/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF

# Run by mmdebstrap (sh, $1: the root file system) once the packages are installed, as root of its
# user namespace, with the chroot's apt lists still there.
# shellcheck disable=SC2016 # expanded by that sh
CUSTOMIZE='set -e
cd "$1"
# the config files under the names they have always had here (mmdebstrap names them after itself)
mv etc/apt/sources.list.d/0000debian.sources etc/apt/sources.list.d/debian.sources
mv etc/apt/apt.conf.d/99mmdebstrap etc/apt/apt.conf.d/docker-gs-ping
mv etc/dpkg/dpkg.cfg.d/99mmdebstrap etc/dpkg/dpkg.cfg.d/docker-gs-ping-nodoc
# The Java trust store, written again as ca-certificates-java writes it when installed (every
# certificate linked in /etc/ssl/certs), with the clock stopped at SOURCE_DATE_EPOCH by the pinned
# libfaketime: each entry holds its creation time, so the bytes differed at every build.
chroot . sh -c "cd /tmp && apt-get download -qq $FAKETIME_PIN && dpkg-deb -x libfaketime_*.deb faketime"
faketime=$(echo tmp/faketime/usr/lib/*/faketime/libfaketimeMT.so.1)
[ -f "$faketime" ]
rm etc/ssl/certs/java/cacerts
find etc/ssl/certs -maxdepth 1 -type l -name "*.pem" | LC_ALL=C sort | sed "s,^,+/," |
  chroot . env LD_PRELOAD="/$faketime" \
    FAKETIME="$(date -u -d "@$SOURCE_DATE_EPOCH" "+%Y-%m-%d %H:%M:%S")" FAKETIME_DONT_FAKE_MONOTONIC=1 \
    "$JAVA_HOME_DIR/bin/java" -Xmx64m -jar /usr/share/ca-certificates-java/ca-certificates-java.jar -storepass changeit
[ -s etc/ssl/certs/java/cacerts ]
# what apt and dpkg kept or wrote anyway (mmdebstrap then empties /tmp and removes its logs)
rm -rf var/lib/apt/lists/* var/cache/apt/* var/cache/debconf/*-old var/lib/dpkg/*-old var/tmp/* root/.cache \
  usr/share/man/* usr/share/info/* usr/share/lintian/*
mkdir -p var/lib/apt/lists/partial var/cache/apt/archives/partial
find usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
find usr/share/doc -mindepth 1 -type d -empty -delete
find var/log -type f -delete
# the host files mmdebstrap copied in; Docker provides its own at run time
: >etc/resolv.conf
rm -f etc/hostname'

step "mmdebstrap --variant=minbase --arch=$ARCH $SUITE + $JDK_PIN ca-certificates from $MIRROR (log: $LOG)"
# update-alternatives (the JDK's postinst) needs the man directory its links go to, though empty.
# No /dev in the layer (the container runtime mounts its own); the hook empties apt's lists and cache.
# Our descriptors 3 (stdout) and 9 (the lock) stay out of it: Debian 13's mmdebstrap would then
# number its own hook's past 9, which dash, its sh, cannot redirect ("Bad fd number").
# shellcheck disable=SC2016 # expanded by mmdebstrap's sh
JAVA_HOME_DIR=$JAVA_HOME_DIR FAKETIME_PIN=$FAKETIME_PIN SOURCE_DATE_EPOCH=$EPOCH \
  mmdebstrap --mode=unshare --variant=minbase --arch="$ARCH" --include="$JDK_PIN,ca-certificates" \
  "${DPKG_OPTIONS[@]/#/--dpkgopt=}" "${APT_OPTIONS[@]/#/--aptopt=}" \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook="upload $WORK/docker-clean /etc/apt/apt.conf.d/docker-clean" --customize-hook="$CUSTOMIZE" \
  --skip=cleanup/apt,output/dev "$SUITE" "$WORK/rootfs.tar" "$WORK/debian.sources" >>"$LOG" 2>&1 3>&- 9>&- ||
  die "mmdebstrap failed (does trixie still offer $JDK_PIN and $FAKETIME_PIN? see jib/base/debian-versions.txt)"

# every package's version, for publish-bases.sh to check that both architectures have the same
mkdir "$WORK/dpkg"
tar -xOf "$WORK/rootfs.tar" ./var/lib/dpkg/status >"$WORK/dpkg/status"
dpkg-query --admindir="$WORK/dpkg" -W -f='${Package} ${Version}\n' | LC_ALL=C sort >"$WORK/packages"
JDK_VERSION=$(awk '$1 == "openjdk-25-jdk-headless" { print $2 }' "$WORK/packages")

step "imagetool import + skopeo -> docker-archive ($IMAGE_NAME)"
CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)
pack_image "$WORK" "$WORK/rootfs.tar" "$IMAGE_NAME" \
  "mmdebstrap --variant=minbase $SUITE --include=$JDK_PIN,ca-certificates" \
  "jib/base/build-jdk-base.sh recipe $RECIPE_HASH" \
  --platform "linux/$ARCH" \
  --env "PATH=$JAVA_HOME_DIR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --env "JAVA_HOME=$JAVA_HOME_DIR" \
  --env "LANG=C.UTF-8" \
  --cmd jshell \
  --workdir / \
  --label "org.opencontainers.image.title=docker-gs-ping-base/jdk25" \
  --label "org.opencontainers.image.description=Debian 13 (trixie) minbase + OpenJDK 25 JDK (headless): full-JDK base of docker-gs-ping:latest" \
  --label "org.opencontainers.image.base.name=debian:$SUITE (mmdebstrap --variant=minbase)" \
  --label "org.opencontainers.image.version=$JDK_VERSION" \
  --label "org.opencontainers.image.created=$CREATED" \
  --label "com.example.docker-gs-ping.recipe-sha256=$RECIPE_HASH" >>"$LOG" 2>&1

mv -f "$WORK/packages" "$PREFIX.packages"
store_in_cache "$WORK/image.tar" "$PREFIX" "$RECIPE_HASH"
BUILT=1

log "built $OUT in $((SECONDS - START)) s: $(du -h "$OUT" | cut -f1), OpenJDK $JDK_VERSION, recipe ${RECIPE_HASH:0:12}"
finish
