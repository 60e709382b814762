#!/usr/bin/env bash
# Build the base image of docker-gs-ping:multistage: a Java runtime jlinked from a pinned Debian 13
# OpenJDK 25 package's jmods, exactly the shared libraries it links against taken from pinned
# Debian packages (not from this host), /etc/passwd and /etc/group with nonroot 65532, an empty
# /tmp, /etc/os-release and a dpkg record of each package its files come from (status.d, as
# distroless: what vulnerability scanners read); no shell, no package manager. Jib then only adds the application layers, and any machine
# builds the same bytes, for either architecture, on either: jlink is the pinned JDK 25's own, run
# under chroot in a root of this host's architecture made of the pinned packages (a Debian 12 host
# cannot run Debian 13's JDK: it needs glibc 2.38), and it reads the target architecture's jmods.
# Any user builds it, the same bytes as root: the chroot is in a user namespace, and the layer is a
# tar that says root owns every file. Packed like build-jdk-base.sh (imagetool, skopeo) as a
# docker-archive tarball that Jib reads as <from><image>tar:///PATH</image>.
#
#   bash jib/base/build-runtime-base.sh [--force] [--arch amd64|arm64]
#
# stdout: only the absolute tarball path (everything else goes to stderr).
# Cache:  ${DOCKER_GS_PING_CACHE:-$HOME/.cache/docker-gs-ping}/base/runtime25-linux-ARCH.tar,
#         rebuilt when missing, damaged (.tar.sha256) or made by another recipe (this script,
#         common.sh, debian-versions.txt, the static files); the .debs are kept in
#         base/runtime-debs/ARCH.
# Env:    SOURCE_DATE_EPOCH (default 2025-01-01, as the pom's outputTimestamp)
#
# Which versions: jib/base/debian-versions.txt (the rule is written there), the same for every
# architecture.
set -euo pipefail
exec 3>&1 1>&2

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=jib/base/common.sh
source "$HERE/common.sh"
LIBRARY_PACKAGES=(libc6 libgcc-s1 libstdc++6 zlib1g)
JDK_PACKAGES=(openjdk-25-jdk-headless openjdk-25-jre-headless) # jmods/, and the jlink that reads them
# jdk.jfr: Micronaut's request events; jdk.zipfs: read by Micronaut at start (jdeps misses it).
MODULES=java.base,java.logging,jdk.jfr,jdk.unsupported,jdk.zipfs
# Not --strip-debug: its native half runs the host's objcopy, which cannot read another
# architecture's libraries (jlink then leaves them as they are, silently); the target's own
# binutils strip them below instead, the same way for both architectures.
JLINK_OPTIONS=(--strip-java-debug-attributes --no-header-files --no-man-pages --compress=zip-6)
STATIC_DIR="$HERE/../../src/main/rootfs-multistage"

ARCH='' FORCE=''
while (($#)); do
  case "$1" in
    --arch) [[ $# -ge 2 ]] || die "--arch needs a Debian architecture (amd64 or arm64)"; ARCH=$2; shift 2 ;;
    --force) FORCE=1; shift ;;
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
done
HOST_ARCH=$(host_arch)
ARCH=${ARCH:-$HOST_ARCH}
TRIPLET=$(triplet "$ARCH") || die "architecture '$ARCH' is not supported (amd64 or arm64)"
[[ $(uname -s) == Linux ]] || die "Linux only (this is $(uname -s))"
STRIP=$TRIPLET-strip
need_tools apt-get dpkg-deb readelf "$STRIP" tar skopeo unshare chroot

mkdir -p "$BASE_CACHE_DIR"
CACHE_DIR=$(readlink -f "$BASE_CACHE_DIR")
PREFIX="$CACHE_DIR/runtime25-linux-$ARCH"
OUT="$PREFIX.tar"
RECIPE_HASH=$(recipe_hash "${BASH_SOURCE[0]}" "arch=$ARCH" "$(find "$STATIC_DIR" -type f | sort | xargs cat | sha256sum)")
cached() { [[ -z $FORCE ]] && in_cache "$PREFIX" "$RECIPE_HASH"; }
finish() { echo "$OUT" >&3; exit 0; }
if cached; then log "cached: $OUT (recipe ${RECIPE_HASH:0:12})"; finish; fi
exec 9>"$CACHE_DIR/.runtime-$ARCH.lock"
flock 9
if cached 2>/dev/null; then log "built meanwhile by another run: $OUT"; finish; fi

rm -rf "$CACHE_DIR"/.runtime-build-"$ARCH".* # leftovers of killed builds of this arch (we hold its lock)
START=$SECONDS
WORK=$(mktemp -d "$CACHE_DIR/.runtime-build-$ARCH.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# Unpacks the pinned PACKAGEs of ARCH into DIR, their .debs kept in the cache (common.sh: pinned_deb).
unpack_pinned() { # ARCH DIR PACKAGE...
  local arch=$1 dir=$2 pkg deb
  shift 2
  mkdir -p "$dir"
  for pkg; do
    deb=$(pinned_deb "$CACHE_DIR/runtime-debs/$arch" "$pkg" "$arch")
    dpkg-deb -x "$deb" "$dir"
  done
}
# Debian 13 is merged-/usr: /lib and /lib64 are links into /usr, which base-files makes, not libc6
merged_usr() { ln -s usr/lib "$1/lib"; [[ ! -d $1/usr/lib64 ]] || ln -s usr/lib64 "$1/lib64"; }
# each target package in a directory of its own, to know which one a library comes from
for pkg in openjdk-25-jdk-headless "${LIBRARY_PACKAGES[@]}"; do unpack_pinned "$ARCH" "$WORK/debs/$pkg" "$pkg"; done
# jlink's own root: the pinned JDK and libraries of this host's architecture
unpack_pinned "$HOST_ARCH" "$WORK/jlink-root" "${JDK_PACKAGES[@]}" "${LIBRARY_PACKAGES[@]}"
merged_usr "$WORK/jlink-root"

ROOTFS=$WORK/rootfs
log "jlink $MODULES from the pinned $ARCH jmods"
mv "$WORK/debs/openjdk-25-jdk-headless/usr/lib/jvm/java-25-openjdk-$ARCH/jmods" "$WORK/jlink-root/target-jmods"
mkdir -p "$WORK/jlink-root/proc"
# as root of a user namespace, with a private /proc (the JDK finds itself through /proc/self/exe)
as_ns_root --proc "$WORK/jlink-root/proc" chroot "$WORK/jlink-root" \
  "/usr/lib/jvm/java-25-openjdk-$HOST_ARCH/bin/jlink" --module-path /target-jmods \
  --add-modules "$MODULES" "${JLINK_OPTIONS[@]}" --output /runtime || die "jlink failed"
mkdir -p "$ROOTFS/opt"
mv "$WORK/jlink-root/runtime" "$ROOTFS/opt/java"
# jlink's --strip-native-debug-symbols keeps the symbol tables; dropping them takes ~5 MB off libjvm.so
find "$ROOTFS/opt/java" -name '*.so' -exec "$STRIP" --strip-unneeded {} +

# The libraries the runtime's binaries need (ELF NEEDED, transitively) and the dynamic loader,
# from the pinned packages, at the paths the loader searches; OWNED: each package's files here.
declare -A seen=() owned=([openjdk-25-jdk-headless]=$(cd "$ROOTFS" && find opt/java -type f))
queue=()
while IFS= read -r -d '' f; do queue+=("$f"); done < <(find "$ROOTFS/opt/java" -type f \( -name '*.so' -o -perm -u+x \) -print0)
interp=$(readelf -l "$ROOTFS/opt/java/bin/java" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
[[ -n $interp ]] || die "no program interpreter in bin/java"
dir=usr/lib/$TRIPLET
while ((${#queue[@]})); do
  f=${queue[0]} queue=("${queue[@]:1}")
  for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    [[ -n ${seen[$lib]:-} || -e $ROOTFS/opt/java/lib/$lib || -e $ROOTFS/opt/java/lib/server/$lib ]] && continue
    seen[$lib]=1
    for pkg in "${LIBRARY_PACKAGES[@]}"; do
      if [[ -e $WORK/debs/$pkg/$dir/$lib ]]; then
        mkdir -p "$ROOTFS/$dir"
        cp -L "$WORK/debs/$pkg/$dir/$lib" "$ROOTFS/$dir/$lib"
        owned[$pkg]+=$'\n'$dir/$lib
        queue+=("$ROOTFS/$dir/$lib")
        continue 2
      fi
    done
    die "$lib (needed by ${f#"$ROOTFS"}) is in none of the pinned packages"
  done
done
# the loader's path as the deb has it: a link to the loader copied above (amd64), or the loader
mkdir -p "$ROOTFS/usr$(dirname "$interp")"
cp -P "$WORK/debs/libc6/usr$interp" "$ROOTFS/usr$interp"
[[ -L $ROOTFS/usr$interp ]] || owned[libc6]+=$'\n'usr$interp
# What scanners read in an image without dpkg, as distroless writes it: for each package the files
# come from, its record (name, source, version, architecture: the .deb's own control fields) and
# its files here with their MD5 sums (as shipped: the JDK's are jlinked and stripped).
mkdir -p "$ROOTFS/var/lib/dpkg/status.d"
for pkg in "${!owned[@]}"; do
  dpkg-deb -f "$(pinned_deb "$CACHE_DIR/runtime-debs/$ARCH" "$pkg" "$ARCH")" Package Source Version Architecture >"$ROOTFS/var/lib/dpkg/status.d/$pkg"
  (cd "$ROOTFS" && LC_ALL=C sort <<<"${owned[$pkg]}" | sed '/^$/d' | xargs -d '\n' md5sum --) >"$ROOTFS/var/lib/dpkg/status.d/$pkg.md5sums"
done
merged_usr "$ROOTFS"
[[ -x $ROOTFS$interp ]] || die "no dynamic loader at $interp"
cp -R "$STATIC_DIR/." "$ROOTFS/"
# The JVM flag -XX:SharedArchiveFile=/app/cds/app.jsa names one file for every platform; the image
# adds each platform's class archive (jib/multistage/class-archive.sh), this link picks this one's.
mkdir -p "$ROOTFS/app/cds"
ln -s "linux-$ARCH.jsa" "$ROOTFS/app/cds/app.jsa"
mkdir -p "$ROOTFS/tmp"
chmod 1777 "$ROOTFS/tmp"

# The layer: every file owned by root, at one time, in name order, whoever builds it.
tar --create --file="$WORK/layer.tar" --directory="$ROOTFS" --format=gnu --sort=name \
  --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" .
pack_image "$WORK" "$WORK/layer.tar" "docker-gs-ping-base/runtime25:linux-$ARCH" \
  "jlink $MODULES + libraries from $(for p in openjdk-25-jdk-headless "${LIBRARY_PACKAGES[@]}"; do printf '%s=%s ' "$p" "$(pinned_version "$p")"; done)" \
  "jib/base/build-runtime-base.sh recipe $RECIPE_HASH" \
  --platform "linux/$ARCH" --env PATH=/opt/java/bin --env JAVA_HOME=/opt/java --user 65532:65532 \
  --label "org.opencontainers.image.title=docker-gs-ping-base/runtime25" \
  --label "org.opencontainers.image.version=$(pinned_version openjdk-25-jdk-headless)" \
  --label "com.example.docker-gs-ping.recipe-sha256=$RECIPE_HASH" >/dev/null
store_in_cache "$WORK/image.tar" "$PREFIX" "$RECIPE_HASH"
log "built $OUT in $((SECONDS - START)) s: $(du -h "$OUT" | cut -f1), ${#seen[@]} libraries, recipe ${RECIPE_HASH:0:12}"
finish
