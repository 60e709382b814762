#!/usr/bin/env bash
# Makes the multistage image's class archive (a static CDS archive): the JDK's and the
# dependencies' classes that the service loads up to its first requests (app.classlist, beside
# this script, recorded by record-classlist.sh), parsed, verified, linked (-XX:+AOTClassLinking:
# loaded at start as one batch, their lambdas and string concatenations already resolved) and laid
# out once at build time, and mapped by the JVM at start.
# The image's own runtime dumps it in the image's own filesystem (the runtime base's one layer
# unpacked, the jars at Jib's paths and mtimes) under chroot, and under qemu for the other
# architecture: the JVM accepts an archive only from the same JVM build and the same class path
# files. Run by pom.xml (execution class-archive): Maven has no way to run a program inside
# another root filesystem. Runs as any user: the chroot is made as root of a user namespace
# (lib.sh: as_ns_root), for root as well, so that both dump the same bytes. A host that cannot
# run the image's Linux java (not Linux; user namespaces off, or without mounts) or lacks a
# runtime base stops with one line naming the published bases.
#
#   class-archive.sh WORK_DIR BASE_DIR "ARCH..." JVM_FLAG...
#
# WORK_DIR/jars.txt  in: the runtime dependency jars, ':'-separated (maven-dependency-plugin)
# WORK_DIR/image  out, Jib adds it as /app/cds:
#   classpath.jar   no classes; its manifest's Class-Path names ../libs/*.jar. Jib puts it first on
#                   the class path (extraClasspath): an archive holds classes of the jars before the
#                   first non-empty directory only, and Jib's /app/resources and /app/classes come
#                   first otherwise. The service's own classes, which change at every edit, stay out.
#   linux-ARCH.jsa  one per ARCH; the runtime base links /app/cds/app.jsa to its platform's.
# BASE_DIR        the runtime bases, runtime25-linux-ARCH.tar (jib/base/build-runtime-base.sh)
# JVM_FLAG        the image's flags that an archive must be dumped with (GC, heap)
# Each archive is kept in the user's cache ($CACHE_ROOT/class-archive, lib.sh), named by its inputs
# (this script, the class list, the flags, the jars, the base), and dumped again only when they
# change, like the bases, or when it no longer has the bytes recorded beside it when dumped
# (linux-ARCH-INPUTS.jsa.sha256, lib.sh's seal). Two dumps of the same inputs gave other bytes once
# (root's and a user's in .ci/run; 66 dumps since, busy, concurrent and under qemu, all the same;
# cause not found), and the images must be the same: the archive is the first bytes two dumps agree on.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# lib.sh, and the pins and trixie's apt (libfaketime, below)
# shellcheck source=jib/base/common.sh
source "$here/../base/common.sh"

(($# >= 3)) || die "usage: $0 WORK_DIR BASE_DIR \"ARCH...\" JVM_FLAG..."
work=$1 base_dir=$2 arches=$3
shift 3
classlist=$here/app.classlist
[[ -s $work/jars.txt ]] || die "no list of dependency jars at $work/jars.txt"
mapfile -t -d : jars <"$work/jars.txt"

# The manifest: the jars in name order, continuation lines of at most 72 bytes. Written with the
# build's jar tool at a fixed date, so the same jars give the same bytes.
mkdir -p "$work/image"
{
  echo 'Manifest-Version: 1.0'
  echo "Class-Path:$(for jar in "${jars[@]}"; do echo " ../libs/${jar##*/}"; done | sort | tr -d '\n')" |
    fold -w 71 | sed '2,$s/^/ /'
} >"$work/manifest.txt"
if ! cmp -s "$work/manifest.txt" "$work/manifest.used" || [[ ! -f $work/image/classpath.jar ]]; then
  "${JAVA_HOME:?JAVA_HOME must be the build JDK}/bin/jar" --create --file "$work/image/classpath.jar" \
    --manifest "$work/manifest.txt" --date=2025-01-01T00:00:02Z
  cp "$work/manifest.txt" "$work/manifest.used"
fi

rm -rf "$work"/root.* # the dump roots of killed builds (one build per target/ at a time)
rm -f "$work"/image/*.jsa
# What a dump needs, checked before any. A host that cannot make the archive stops here: the image
# of a commit is the same everywhere, and the published bases make one without an archive.
no_archive() { die "cannot dump the multistage image's class archive: $*; build on the published bases instead: -Ppublished-base,multistage-published-base"; }
[[ $(uname -s) == Linux ]] || no_archive "this host ($(uname -s)) cannot run the image's Linux java"
# The dump's namespaces, tried: user namespaces may be off, or on without mounts (Ubuntu's AppArmor
# restriction, a container's masked /proc).
mkdir -p "$work/proc-probe"
why=$(as_ns_root --proc "$work/proc-probe" true 2>&1) ||
  no_archive "this host cannot run the image's java under chroot as root of a user namespace (${why%%$'\n'*})"
for arch in $arches; do
  base=$base_dir/runtime25-linux-$arch.tar
  [[ -f $base ]] || no_archive "no runtime base for $arch at $base (run: bash jib/local-env.sh)"
  sealed "$base" || die "$base is not as it was built (sha256sum -c $base.sha256): build it again with bash jib/local-env.sh bases $arch"
done

cache=$CACHE_ROOT/class-archive
mkdir -p "$cache"
for arch in $arches; do
  base=$base_dir/runtime25-linux-$arch.tar
  inputs=$( { cat "${BASH_SOURCE[0]}" "$classlist" "$work/manifest.txt" "$base.recipe.sha256"
    printf '%s\n' "$@"; sha256sum "${jars[@]}" | cut -d' ' -f1 | sort; } | sha256sum | cut -d' ' -f1)
  archive=$cache/linux-$arch-$inputs.jsa
  if [[ -f $archive ]] && ! sealed "$archive"; then
    log "$archive is not as it was dumped (sha256sum -c $archive.sha256): dumping it again"
    rm -f "$archive"
  fi
  if [[ ! -f $archive ]]; then
    start=$SECONDS
    root=$(mktemp -d "$work/root.XXXXXX")
    trap 'rm -rf "$root"' EXIT
    # the base's one layer (lib.sh's base_layer), unpacked here with tar: without imagetool,
    # which Maven (running this script) would have to build first.
    layer=$(base_layer "$base")
    # the same tree for root and any user: every file this user's (root of the namespace below)
    tar -xf "$base" -O "$layer" | tar -x --no-same-owner --same-permissions -C "$root"
    mkdir -p "$root/app/libs" "$root/app/cds" "$root/proc"
    cp "${jars[@]}" "$root/app/libs/"
    cp "$work/image/classpath.jar" "$classlist" "$root/app/cds/"
    # Jib's file times (1970-01-01T00:00:01Z): the JVM checks each jar's size and mtime
    touch -d @1 "$root"/app/libs/*.jar "$root/app/cds/classpath.jar"
    # Root of a user namespace with a private /proc (the JVM finds itself through /proc/self/exe),
    # gone with the process; no address randomisation and a fixed environment: the archive holds
    # pointers, and two dumps of the same inputs on a busy machine once differed all over
    # (setarch -R gives the same bytes).
    # Linking runs Java code in the dump, so two more things keep its bytes the same: the JVM
    # interprets only (-Xint: no compiler threads racing the dump's allocations; under qemu two
    # dumps differed in 1.2 MB without it), and its monotonic clock is stopped: the linked method
    # handles hold soft references stamped with that clock (ms), the last bytes two dumps differed
    # in. libfaketime (Debian's, of the root's architecture) stops it, preloaded by the root's own
    # dynamic loader so that only the dumping JVM runs with it; the archive keeps no other time.
    # trixie's libfaketime for this architecture, downloaded into the cache once
    deb=$(pinned_deb "$cache" libfaketime "$arch")
    dpkg-deb -x "$deb" "$root/tmp/faketime"
    faketime=/$(cd "$root" && echo tmp/faketime/usr/lib/*/faketime/libfaketimeMT.so.1)
    [[ -f $root$faketime ]] || die "no libfaketimeMT.so.1 in libfaketime for $arch"
    loader=$(readelf -l "$root/opt/java/bin/java" | sed -n 's/.*program interpreter: \(.*\)]/\1/p')
    # Still, a dump once came out laid out otherwise, all over (above): two must agree.
    declare -A dumped=()
    for ((try = 1; ; try++)); do
      ((try <= 4)) || die "no two of 4 dumps of the $arch class archive were the same bytes"
      as_ns_root --proc "$root/proc" \
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin FAKETIME='2000-01-01 00:00:00' FAKETIME_DONT_FAKE_MONOTONIC=0 \
        NO_FAKE_STAT=1 setarch "$(uname -m)" -R chroot "$root" \
        "$loader" --preload "$faketime" \
        /opt/java/bin/java "$@" -Xint -Xshare:dump -XX:+AOTClassLinking \
        -XX:SharedClassListFile=/app/cds/app.classlist -XX:SharedArchiveFile="/tmp/app-$try.jsa" -Xlog:all=error \
        -cp /app/cds/classpath.jar >&2 || die "the $arch runtime could not dump the archive"
      sum=$(sha256sum <"$root/tmp/app-$try.jsa" | cut -d' ' -f1)
      [[ -n ${dumped[$sum]:-} ]] && break
      dumped[$sum]=$try
    done
    ((${#dumped[@]} == 1)) || log "linux/$arch: $((try - 1)) dumps gave ${#dumped[@]} different archives; two agreed"
    rm -f "$cache/linux-$arch-"*.jsa* # the dumps of older inputs, and their records
    mv "$root/tmp/app-$try.jsa" "$archive.$$" && mv "$archive.$$" "$archive" && seal "$archive"
    rm -rf "$root"
    trap - EXIT
    log "linux/$arch: $(du -h "$archive" | cut -f1) in $((SECONDS - start)) s"
  fi
  ln -f "$archive" "$work/image/linux-$arch.jsa" 2>/dev/null || cp "$archive" "$work/image/linux-$arch.jsa"
done
