#!/bin/sh
# Runs CMD in an image's filesystem unpacked by unpack-image.sh, as the image's user 65532, with the
# machine's /proc: the container without Docker's start-up, and without root. Used by the class
# list's recording (record-classlist.sh) and the benchmark (src/bench/bench.sh).
#
# Two nested user namespaces, one uid mapped in each, so neither root nor an /etc/subuid range is
# needed: in the first this user is root, to bind the machine's /proc into ROOTFS (a new proc needs
# a pid namespace, below); in the second this user is 65532, and unshare enters ROOTFS while it still
# holds that namespace's capabilities, which CMD, exec'd as 65532, no longer has. ROOTFS's files are
# this user's, so they show as 65532's. No pid namespace and every step an exec: CMD keeps the pid
# this script started with (unshare --fork would hold back a benchmark's SIGTERM and count its own
# RSS).
#
# Usage: env -i IMAGE_ENV... run-unpacked.sh ROOTFS CMD...   (CMD is looked up on that env's PATH)
# shellcheck disable=SC2016 # the inner shell expands them
exec /usr/bin/unshare --map-root-user --mount /bin/sh -c \
  '/usr/bin/mount --rbind /proc "$0/proc" && exec /usr/bin/unshare --map-user=65532 --map-group=65532 --root="$0" "$@"' "$@"
