#!/usr/bin/env bash
# One image's CycloneDX SBOM: the application's (cyclonedx-maven-plugin: this project and its
# jars) with the Debian packages of the image's base added, as its dpkg records say (the full
# JDK base's /var/lib/dpkg/status, the runtime base's status.d/), one component per package and
# platform: pkg:deb/debian/NAME@VERSION?arch=ARCH&distro=debian-N. The Java runtime is there as
# the openjdk-25 package it comes from. Run by the pom (execution image-sboms) for each image.
#
#   bash jib/image-sbom.sh NAME APP_SBOM BASE_PREFIX "ARCH..." DIR...
#
# Writes DIR/NAME in each DIR (Jib's extra directory, and next to the tarballs).
# BASE_PREFIX: the cached base without -linux-ARCH.tar (e.g. ~/.cache/docker-gs-ping/base/jdk25);
#              empty for a published base, whose packages the SBOM then does not list.
# ARCH...:     the image's platforms (amd64, arm64; one argument): a multi-platform image lists
#              each one's.
set -euo pipefail
# shellcheck source=jib/lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"
(($# >= 5)) || die "usage: image-sbom.sh NAME APP_SBOM BASE_PREFIX 'ARCH...' DIR..."
NAME=$1 APP_SBOM=$2 BASE_PREFIX=$3
read -ra ARCHES <<<"$4"
shift 4
[[ -s $APP_SBOM ]] || die "no application SBOM at $APP_SBOM"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# NAME VERSION ARCH DISTRO, a line per installed package in BASE's dpkg records
packages() { # BASE.tar
  local layer dir=$WORK/rootfs
  rm -rf "$dir" && mkdir "$dir"
  layer=$(base_layer "$1")
  tar -xOf "$1" "$layer" | tar -x -C "$dir" --wildcards ./etc/debian_version './var/lib/dpkg/status*' ||
    die "no /etc/debian_version or dpkg records in $1"
  # status: paragraphs with Status; status.d/NAME: one record each, all installed
  # shellcheck disable=SC2016 # awk's own $
  find "$dir/var/lib/dpkg" -type f \( -name status -o -path '*/status.d/*' ! -name '*.md5sums' \) -print0 |
    LC_ALL=C sort -z | xargs -0 awk -v distro="debian-$(cut -d. -f1 "$dir/etc/debian_version")" '
      function flush() { if (name != "" && (status == "" || status ~ / installed$/)) print name, version, arch, distro; name = status = "" }
      FNR == 1 || /^Package: / { flush() }
      /^Package: / { name = $2 } /^Version: / { version = $2 } /^Architecture: / { arch = $2 } /^Status: / { status = $0 }
      END { flush() }'
}

: >"$WORK/packages"
if [[ -n $BASE_PREFIX ]]; then
  for arch in "${ARCHES[@]}"; do
    base=$BASE_PREFIX-linux-$arch.tar
    [[ -s $base ]] || die "no base at $base (build it: bash jib/local-env.sh bases $arch)"
    packages "$base" >>"$WORK/packages"
  done
  [[ -s $WORK/packages ]] || die "no Debian package found in the dpkg records of $BASE_PREFIX-linux-{${ARCHES[*]}}.tar"
else
  log "the base is a published image: $NAME lists the application only"
fi
jq -R -n --slurpfile app "$APP_SBOM" '
  [inputs | split(" ") | {name: .[0], version: .[1], arch: .[2], distro: .[3]}
   | "pkg:deb/debian/\(.name | @uri)@\(.version | @uri)?arch=\(.arch)&distro=\(.distro)" as $purl
   | {type: "library", "bom-ref": $purl, name, version, purl: $purl}] as $debs
  | $app[0] | .components = ((.components // []) + ($debs | sort_by(.purl)))' <"$WORK/packages" >"$WORK/$NAME"
for dir; do mkdir -p "$dir" && cp "$WORK/$NAME" "$dir/$NAME.new" && mv -f "$dir/$NAME.new" "$dir/$NAME"; done
log "$NAME: $(wc -l <"$WORK/packages") Debian packages + the application's $(jq '.components | length' "$APP_SBOM") components"
