#!/usr/bin/env bash
# Assembles the filesystem that Jib layers onto `scratch` for docker-gs-ping:multistage:
# a jlinked Java runtime at /opt/java, exactly the shared libraries it links against,
# /etc/passwd and /etc/group with nonroot 65532, and an empty /tmp. No shell, no package
# manager, no javac: nothing is there that the runtime does not load.
#
# Usage: assemble-rootfs.sh JAVA_HOME MODULES JLINK_OPTIONS STATIC_DIR OUTPUT_DIR
#   JAVA_HOME      JDK whose jlink and modules make the runtime (the build's own JDK)
#   MODULES        comma-separated modules (jdeps misses jdk.zipfs, which Micronaut needs)
#   JLINK_OPTIONS  extra jlink options, e.g. "--strip-debug --no-header-files"
#   STATIC_DIR     files copied as they are (etc/passwd, etc/group)
#   OUTPUT_DIR     recreated from scratch
set -euo pipefail

die() { echo "assemble-rootfs: $*" >&2; exit 1; }

[ $# -eq 5 ] || die "usage: $0 JAVA_HOME MODULES JLINK_OPTIONS STATIC_DIR OUTPUT_DIR"
java_home=$1 modules=$2 jlink_options=$3 static_dir=$4 out=$5

# The runtime is copied out of the build's JDK, so it must be a Linux JDK of the image's
# architecture: a macOS or Windows JDK would produce binaries that cannot run in the image.
[ "$(uname -s)" = Linux ] || die "the multistage runtime is jlinked from the build's JDK and must be built on Linux (this is $(uname -s)); build on Linux or in CI, or use -Pmultistage-published-base"
[ -x "$java_home/bin/jlink" ] || die "no jlink in $java_home: the build must run on a full JDK"
command -v ldd >/dev/null || die "ldd not found (package libc-bin)"
command -v strip >/dev/null || die "strip not found (package binutils)"
[ -f "$static_dir/etc/passwd" ] || die "missing $static_dir/etc/passwd"

rm -rf "$out"
mkdir -p "$out"
# shellcheck disable=SC2086 # options are a word list by design
"$java_home/bin/jlink" --add-modules "$modules" $jlink_options --output "$out/opt/java"
# jlink's --strip-native-debug-symbols keeps the symbol tables; dropping them takes ~5 MB off
# libjvm.so. Java stack traces are unaffected; only native frames in crash logs lose their names.
find "$out/opt/java" -name '*.so' -exec strip --strip-unneeded {} +

# The libraries the runtime's binaries link against, resolved by the build host's loader.
# Copied as real files at the same paths, so the image's dynamic loader finds them; the
# runtime's own libraries (found through $ORIGIN) are already in place.
mapfile -t libs < <(find "$out/opt/java" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
  | xargs -0 ldd 2>/dev/null \
  | awk '/=> \// { print $3 } /^[[:space:]]*\/[^ ]+ \(0x/ { print $1 }' \
  | grep -v "^$out/" | sort -u)
[ "${#libs[@]}" -gt 0 ] || die "ldd found no shared libraries for the runtime"
for lib in "${libs[@]}"; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done

cp -R "$static_dir/." "$out/"
mkdir -p "$out/tmp"
echo "assemble-rootfs: $(du -sh "$out" | cut -f1) in $out (${#libs[@]} shared libraries)" >&2
