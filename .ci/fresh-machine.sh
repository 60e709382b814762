#!/usr/bin/env bash
# The fresh-machine test (issues #22, #27): does the README's first command, run by a plain user,
# build the images on a new Debian machine that has only a JDK, git, CA certificates and sudo, with
# nothing typed before it? And does a plain `./mvnw -B compile jib:dockerBuild` without the set-up
# stop fast with a one-line hint?
#
#   bash .ci/fresh-machine.sh [--suite bookworm|trixie] [--repo DIR] [--rev REV] [--command CMD] [--keep]
#
#   --suite    the new machine's Debian (default bookworm, with openjdk-17-jdk-headless; trixie gets
#              openjdk-25-jdk-headless, or 21 where 25 is not there)
#   --repo     the checkout to clone (default: the one this script is in); --rev the commit or branch
#              to check out (default HEAD of that checkout; what is not committed is not tested)
#   --command  what to run (default: the README's first `shell` block, which must be one line)
#   --keep     keep the work directory (the machine's filesystem) for a look afterwards
#
# Needs root, debootstrap and unshare (util-linux) on a Linux host. How it runs:
#  1. The clean machine: `debootstrap --variant=minbase SUITE` from the Debian mirror of this host's
#     apt sources (or DEBIAN_MIRROR), plus the JDK, git, ca-certificates and sudo
#     (--no-install-recommends), made once and cached as a tarball in
#     ~/.cache/docker-gs-ping/fresh-machine/; each run unpacks a fresh copy under /var/tmp.
#  2. This host's network settings go in (they are the host's, not the machine's under test): its
#     extra CA certificates (/usr/local/share/ca-certificates; this network intercepts TLS) into the
#     system store and Java's cacerts, /etc/resolv.conf and /etc/hosts, and apt's
#     Acquire::Check-Valid-Until/Check-Date settings (the mirror here serves a dated snapshot).
#  3. A plain user, newcomer (useradd -m: a home and a subordinate uid range; not in the docker
#     group; sudo without a password, as the steps have no stdin), and a `git clone` of REV in its
#     home; then, as that user (root only made the machine), CI=true, no stdin, timed:
#     a. `./mvnw -B compile jib:dockerBuild` with no set-up, twice (empty, then warm ~/.m2): it must
#        fail, print no Java stack trace and name `bash jib/local-env.sh`; the warm one within 30 s.
#     b. the README's first command; it must pass and leave target/jib/*.tar.
# The machine has a mount and a pid namespace of its own (unshare), with /proc mounted and /sys and
# /dev bound (rslave). It is entered with pivot_root, not chroot: the kernel refuses user namespaces
# (the bases', the class archive's) to a chrooted process. So the root is bound onto itself, to be a
# mount point, and the host's tree is unmounted from the namespace. The mounts vanish with the mount
# namespace, even after a crash, and every process left in the machine with its pid namespace.
# jib/local-env.sh inside starts its own dockerd there (--iptables=false --bridge=none, its own
# /var/lib/docker and socket), so the host's images are not touched. The network is the host's: if
# the host's registry already answers on 127.0.0.1:5000, local-env.sh uses it (the build pushes
# nothing); qemu's binfmt_misc registration is kernel-wide, so the host's serves the machine too.
# At the end (also on failure or Ctrl-C) `bash jib/local-env.sh down` runs inside, every process
# left in the mount namespace is ended by pid, and the work directory is removed (unless --keep);
# the cached tarball stays. Prints each step's wall time and the total; the log is in the cache dir.
# Measured here (2 cores, shared; 2026-12-07, four passing runs, two per suite): 4-5.5 min in all,
# and the clean machine once, 1.5-2 min (the plain goal's first run, Maven's downloads, 16-25 s; the
# README's command 3.5-5 min, the bases 1-2 min of it), 4.3 GB in /var/tmp while it runs, 0.5 GB
# (bookworm) and 0.9 GB (trixie) of cache.
set -euo pipefail
# shellcheck source=jib/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../jib/lib.sh"

CACHE=$CACHE_ROOT/fresh-machine
NEWCOMER=newcomer                    # the machine's plain user, who runs the steps
CLONE=/home/$NEWCOMER/docker-gs-ping # in the machine
OUT=/root/fresh-machine              # in the machine: the steps' logs and times, root's only
WARM_LIMIT=30                        # seconds the plain goal may take once Maven's downloads are cached

# ---- inside the machine's mount and pid namespaces (the script runs itself there) ----
if [[ ${1:-} == __inside ]]; then
  root=$2 work=$3 cmd=$4
  readlink /proc/self/ns/mnt >"$work/mntns" # so the outer part can end whatever is left in here
  mount --bind "$root" "$root"
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
  mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
  # pivot_root, not chroot (see the header): from here on, this script sees only the machine.
  cd "$root" && mkdir -p .oldroot && pivot_root . .oldroot && umount -l /.oldroot && rmdir /.oldroot && cd /
  mkdir -p "$OUT"
  # A login's environment, not ours: only what a CI run has; and only descriptors 0-2, as the
  # caller's others would shift the numbers the build's own get (mmdebstrap's dash hooks take 0-9).
  # shellcheck disable=SC2016 # expanded by the newcomer's bash
  close_fds='for fd in /proc/self/fd/*; do ((${fd##*/} < 3)) || eval "exec ${fd##*/}>&-"; done'
  in_machine() { # BASH-SCRIPT: run as the newcomer in the clone, CI=true, no stdin
    runuser -u "$NEWCOMER" -- /usr/bin/env -i HOME="/home/$NEWCOMER" USER="$NEWCOMER" LOGNAME="$NEWCOMER" \
      LANG=C.UTF-8 CI=true PATH=/usr/local/bin:/usr/bin:/bin bash -c "$close_fds; cd $CLONE && $1" </dev/null
  }
  # shellcheck disable=SC2317 # run by the trap
  down() {
    [[ -e $CLONE/jib/local-env.sh ]] || return 0
    log "cleaning up inside: bash jib/local-env.sh down"
    in_machine 'bash jib/local-env.sh down' || log "local-env.sh down failed (exit $?)"
  }
  trap down EXIT
  trap 'exit 130' INT TERM

  total=$SECONDS
  step() { printf '\n==> fresh-machine: %s\n' "$1"; }
  took() { printf '<== fresh-machine: %s: %s s (exit %s)\n' "$1" "$2" "$3"; echo "$1|$2|$3" >>"$OUT/times"; }

  # What the steps need of the machine, not of the project: user namespaces for the newcomer.
  in_machine 'unshare --map-root-user true' || die "the newcomer cannot make a user namespace in the machine"

  # a. the plain goal, no set-up: twice, to tell Maven's first downloads from the check itself.
  plain='./mvnw -B compile jib:dockerBuild'
  failed=''
  for run in cold warm; do
    step "$plain  (no set-up, $run ~/.m2)"
    t=$SECONDS rc=0
    in_machine "$plain" >"$OUT/plain-$run.log" 2>&1 || rc=$?
    took "plain goal without set-up ($run ~/.m2)" $((SECONDS - t)) "$rc"
    echo "--- its last 15 lines:"
    tail -n 15 "$OUT/plain-$run.log"
    echo "---"
    ((rc != 0)) || { failed+=" plain-$run:passed"; log "it passed without the set-up?"; }
    if grep -qE '^[[:space:]]+at [[:alnum:]_.$]+\(' "$OUT/plain-$run.log"; then
      failed+=" plain-$run:stack-trace"
      log "it printed a Java stack trace ($(grep -cE '^[[:space:]]+at ' "$OUT/plain-$run.log") frames)"
    fi
    grep -q 'bash jib/local-env.sh' "$OUT/plain-$run.log" || { failed+=" plain-$run:no-hint"; log "no line names bash jib/local-env.sh"; }
    if [[ $run == warm ]] && ((SECONDS - t > WARM_LIMIT)); then failed+=" plain-warm:slow"; log "slower than $WARM_LIMIT s"; fi
  done

  # b. the README's first command, in the same clone.
  step "$cmd"
  t=$SECONDS rc=0
  in_machine "set -o pipefail; $cmd" || rc=$?
  took "README's first command" $((SECONDS - t)) "$rc"
  ((rc == 0)) || failed+=" readme-command:exit-$rc"
  if ! ls -l "$CLONE"/target/jib/*.tar 2>/dev/null; then failed+=" readme-command:no-target/jib/*.tar"; fi
  took "inside the machine, total" $((SECONDS - total)) "$([[ -z $failed ]] && echo 0 || echo 1)"
  [[ -z $failed ]] || die "failed:$failed"
  exit 0
fi

# ---- on the host ----
SUITE=bookworm REPO='' REV=HEAD CMD='' KEEP=''
while (($#)); do
  case $1 in
    --suite) SUITE=${2:?--suite needs bookworm or trixie}; shift 2 ;;
    --repo) REPO=${2:?--repo needs a directory}; shift 2 ;;
    --rev) REV=${2:?--rev needs a commit or branch}; shift 2 ;;
    --command) CMD=${2:?--command needs a command}; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h | --help) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
case $SUITE in bookworm | trixie) ;; *) die "--suite: bookworm or trixie, not '$SUITE'" ;; esac
((EUID == 0)) || die "needs root (debootstrap, chroot, mounts)"
for t in debootstrap unshare pivot_root chroot git; do command -v "$t" >/dev/null || die "$t not found (apt-get install debootstrap util-linux git)"; done
REPO=$(cd "${REPO:-$(dirname "${BASH_SOURCE[0]}")/..}" && git rev-parse --show-toplevel)
COMMIT=$(git -C "$REPO" rev-parse --verify "$REV^{commit}") || die "no commit '$REV' in $REPO"
if [[ -z $CMD ]]; then
  # The first fenced `shell` block's lines; a block of more than one command is not guessed at.
  mapfile -t block < <(git -C "$REPO" show "$COMMIT:README.md" | awk '/^```shell$/ {on = 1; next} on && /^```/ {exit} on')
  ((${#block[@]} == 1)) || die "README.md's first shell block is not one line; give --command"
  CMD=${block[0]#\$ }
fi

mkdir -p "$CACHE"
# tee ignores Ctrl-C, so that the clean-up's lines still reach the terminal and the log.
exec > >(trap '' INT; exec tee "$CACHE/last-run.log") 2>&1
started=$SECONDS
log "repo $REPO at $COMMIT ($(git -C "$REPO" log -1 --format=%s "$COMMIT"))"
log "machine: Debian $SUITE minbase + a JDK, git, ca-certificates, sudo; command: $CMD"

# The host's network settings for apt inside (see the header): the Acquire::Check-* lines only.
host_apt_conf() { grep -hsE '^[[:space:]]*Acquire::Check-(Valid-Until|Date)' /etc/apt/apt.conf /etc/apt/apt.conf.d/* || true; }
# The host's CA certificates, resolver and hosts file, into a machine's root (system store only;
# Java's cacerts is done in the machine, by update-ca-certificates' hook and keytool).
host_network() { # ROOT
  cp /etc/resolv.conf /etc/hosts "$1/etc/"
  host_apt_conf >"$1/etc/apt/apt.conf.d/99fresh-machine-host"
  shopt -s nullglob
  local crts=(/usr/local/share/ca-certificates/*.crt)
  shopt -u nullglob
  ((${#crts[@]} == 0)) || cp "${crts[@]}" "$1/usr/local/share/ca-certificates/"
}

TARBALL=$CACHE/rootfs-$SUITE.tar
t=$SECONDS
if [[ -e $TARBALL ]] && ! sealed "$TARBALL"; then
  log "$TARBALL is not as it was made (sha256sum -c $TARBALL.sha256): making it again"
  rm -f "$TARBALL"
fi
if [[ ! -s $TARBALL ]]; then
  log "making the clean $SUITE machine (once; cached as $TARBALL)"
  mirror=$(debian_mirror) || exit 1
  build=$(mktemp -d /var/tmp/fresh-machine-rootfs.XXXXXX)
  trap 'rm -rf --one-file-system "$build"' EXIT
  # In a mount namespace: the /proc and /sys it mounts in the target go with it, even on Ctrl-C.
  unshare --mount --propagation private debootstrap --variant=minbase "$SUITE" "$build/root" "$mirror" >"$build/debootstrap.log" 2>&1 ||
    { tail -n 30 "$build/debootstrap.log"; die "debootstrap failed"; }
  cp /etc/resolv.conf /etc/hosts "$build/root/etc/"
  host_apt_conf >"$build/root/etc/apt/apt.conf.d/99fresh-machine-host"
  # The JDK's postinst runs java (ca-certificates-java), which needs /proc: mounted in a namespace.
  # shellcheck disable=SC2016 # expanded by the inner shell
  unshare --mount --propagation private bash -c '
    set -e
    mount -t proc proc "$1/proc"
    jdk=openjdk-17-jdk-headless
    chroot "$1" apt-get update -qq
    if [[ $2 == trixie ]]; then
      jdk=openjdk-21-jdk-headless
      chroot "$1" apt-cache show openjdk-25-jdk-headless >/dev/null 2>&1 && jdk=openjdk-25-jdk-headless
    fi
    echo "fresh-machine: installing $jdk git ca-certificates sudo" >&2
    DEBIAN_FRONTEND=noninteractive chroot "$1" apt-get install -y -qq --no-install-recommends "$jdk" git ca-certificates sudo
    chroot "$1" apt-get clean' _ "$build/root" "$SUITE" >>"$build/debootstrap.log" 2>&1 ||
    { tail -n 30 "$build/debootstrap.log"; die "installing the JDK, git, ca-certificates and sudo failed"; }
  # The cached machine is the clean one: the host's settings go into each run's copy instead.
  rm -f "$build/root/etc/apt/apt.conf.d/99fresh-machine-host"
  rm -rf "$build/root/var/lib/apt/lists/"*
  tar -C "$build/root" -cf "$TARBALL.tmp" . && mv "$TARBALL.tmp" "$TARBALL" && seal "$TARBALL"
  rm -rf --one-file-system "$build"
  trap - EXIT
  printf '<== fresh-machine: %s: %s s\n' "make the clean machine (debootstrap + JDK, git, ca-certificates, sudo)" $((SECONDS - t))
fi

WORK=$(mktemp -d /var/tmp/fresh-machine.XXXXXX)
ROOT=$WORK/root
# Ends, by pid, every process still in the machine's mount namespace (dockerd, containerd, the
# inside part itself), TERM first (dockerd stops its containers), KILL after 10 s; then removes the
# work directory. The mounts live only in that namespace. Those in namespaces of their own (a
# base's mmdebstrap, the class archive's, containers) go with the machine's pid namespace: the
# kernel ends them all when the inside part, its first process, ends.
# shellcheck disable=SC2317 # run by the trap's clean-up
machine_pids() {
  local p ns
  [[ -s $WORK/mntns ]] || return 0
  ns=$(<"$WORK/mntns")
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/ns/mnt" 2>/dev/null) != "$ns" ]] || echo "${p#/proc/}"
  done
}
# shellcheck disable=SC2317 # run by the trap
cleanup() {
  local rc=$? pids i
  trap - EXIT INT TERM
  for i in 1 2 3 4 5; do
    mapfile -t pids < <(machine_pids)
    ((${#pids[@]})) || break
    log "ending what is left in the machine: ${pids[*]}"
    kill "$( ((i < 5)) && echo -TERM || echo -KILL)" "${pids[@]}" 2>/dev/null || true
    sleep 2.5
  done
  if [[ -n $KEEP ]]; then log "kept $WORK (remove it with: rm -rf --one-file-system $WORK)"; else rm -rf --one-file-system "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t=$SECONDS
mkdir "$ROOT"
tar -C "$ROOT" -xf "$TARBALL"
[[ -x $ROOT/usr/bin/sudo ]] || die "$TARBALL has no sudo (made by an older version of this script): remove it"
host_network "$ROOT"
# update-ca-certificates' hook adds them to Java's cacerts; keytool is the check (and the fallback).
# Then the newcomer: useradd gives it a subordinate uid range; sudo without a password, as the
# steps have no stdin to type one on.
# shellcheck disable=SC2016 # expanded by the inner shell
unshare --mount --propagation private bash -c '
  set -e
  mount -t proc proc "$1/proc"
  chroot "$1" update-ca-certificates >/dev/null 2>&1 # its only chatter: a rehash warning about the bundle
  for crt in "$1"/usr/local/share/ca-certificates/*.crt; do
    [[ -e $crt ]] || continue
    alias=fresh-machine-$(basename "$crt" .crt)
    fp=$(chroot "$1" openssl x509 -noout -fingerprint -sha256 -in "${crt#"$1"}" 2>/dev/null | sed "s/.*=//") || fp=""
    if [[ -z $fp ]] || ! chroot "$1" keytool -list -cacerts -storepass changeit 2>/dev/null | grep -qi "$fp"; then
      chroot "$1" keytool -importcert -noprompt -cacerts -storepass changeit -alias "$alias" -file "${crt#"$1"}" >/dev/null
    fi
  done
  chroot "$1" useradd --create-home --shell /bin/bash "$2"
  echo "$2 ALL=(ALL:ALL) NOPASSWD: ALL" >"$1/etc/sudoers.d/$2"
  chmod 440 "$1/etc/sudoers.d/$2"' _ "$ROOT" "$NEWCOMER"
git clone -q --no-hardlinks "$REPO" "$ROOT$CLONE"
git -C "$ROOT$CLONE" checkout -q --detach "$COMMIT"
chroot "$ROOT" chown -R "$NEWCOMER:" "$CLONE"
printf '<== fresh-machine: %s: %s s\n' "fresh copy, host network settings, CA certificates, the newcomer, git clone" $((SECONDS - t))

rc=0
# In the background and waited for: a Ctrl-C (or TERM) then runs the clean-up at once; in the
# foreground, bash would wait for the innermost command, which may ignore SIGINT.
unshare --mount --propagation private --pid --fork bash "$(readlink -f "${BASH_SOURCE[0]}")" __inside "$ROOT" "$WORK" "$CMD" &
wait $! || rc=$?
echo
jdks=("$ROOT"/usr/lib/jvm/java-[0-9][0-9]-openjdk-*)
echo "fresh-machine: Debian $SUITE (${jdks[0]##*/}), $COMMIT, command: $CMD"
[[ ! -s $ROOT$OUT/times ]] || while IFS='|' read -r what secs code; do
  printf '  %-48s %5s s  (%d min %02d s)  exit %s\n' "$what" "$secs" $((secs / 60)) $((secs % 60)) "$code"
done <"$ROOT$OUT/times"
printf '  %-48s %5s s\n' "total, with the machine's set-up" $((SECONDS - started))
# The line that names the command to run, as the plain goal printed it.
grep -h -m 1 'bash jib/local-env.sh' "$ROOT$OUT/plain-warm.log" 2>/dev/null | sed 's/^/  plain goal hint: /' || true
((rc == 0)) && echo "fresh-machine: PASSED" || echo "fresh-machine: FAILED"
exit "$rc"
