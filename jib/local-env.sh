#!/usr/bin/env bash
# Bring up (idempotently) what docker-gs-ping's images and tests need, on a Debian 12 or 13 machine
# (no systemd needed) or a GitHub runner. Two parts:
#  - the system's, which needs root: the tools (apt; the scanner cdxgen: npm), a Docker daemon, a
#    local OCI registry with deletes enabled on 127.0.0.1:5000, the other architecture
#    (qemu-user-static registered with binfmt_misc, so linux/arm64 runs on amd64 and the other way
#    round; dpkg's second architecture), user namespaces switched on where the kernel has them off,
#    and for the user who asked: a subordinate uid range (/etc/subuid) and the docker group;
#  - the user's, which does not: this user's base images, built in user namespaces, cached in
#    ${DOCKER_GS_PING_CACHE:-~/.cache/docker-gs-ping}/base.
# Run it as yourself: it asks for sudo only when part of the system's is missing, and says what for;
# when that is all there (tools installed, daemons answering), it needs no sudo at all. What is
# already there is used as it is: a tool on PATH, a Docker daemon or a registry that answers (a
# runner's own Docker, a registry service container).
#
#   bash jib/local-env.sh               # the system's part where missing, then this user's bases
#   bash jib/local-env.sh bases [ARCH]  # the same, with the bases of ARCH (amd64, arm64)
#   bash jib/local-env.sh system [USER] # the system's part only, as root; USER (default: the one
#                                       # who ran sudo) gets the subordinate ids and docker group
#   bash jib/local-env.sh status        # one line per service, changes nothing
#   bash jib/local-env.sh down          # stop and undo only what this script started or set up
#
# Env: DOCKER_GS_PING_STATE          pid/log/config dir (default /tmp/docker-gs-ping-state)
#      DOCKER_GS_PING_REGISTRY_ROOT  registry blobs     (default /var/lib/docker-gs-ping-registry)
#      DOCKER_GS_PING_REGISTRY       registry address   (default 127.0.0.1:5000, the tests'; another
#                                    one, with another state dir, for a second copy of the services;
#                                    off loopback only with DOCKER_GS_PING_REGISTRY_ANY_ADDRESS=yes)
set -euo pipefail
# shellcheck source=jib/lib.sh
source "$(dirname "$(readlink -f "$0")")/lib.sh"

STATE="${DOCKER_GS_PING_STATE:-/tmp/docker-gs-ping-state}"
REGISTRY_ROOT="${DOCKER_GS_PING_REGISTRY_ROOT:-/var/lib/docker-gs-ping-registry}"
REGISTRY_ADDR="${DOCKER_GS_PING_REGISTRY:-127.0.0.1:5000}"
REGISTRY_URL="http://$REGISTRY_ADDR/v2/"
# The registry has deletes on and no authentication: on loopback only, unless said otherwise.
loopback_host "$REGISTRY_ADDR" || [[ ${DOCKER_GS_PING_REGISTRY_ANY_ADDRESS:-} == yes ]] ||
  die "DOCKER_GS_PING_REGISTRY=$REGISTRY_ADDR is not on loopback: the registry lets anyone who reaches it delete images (no authentication); set DOCKER_GS_PING_REGISTRY_ANY_ADDRESS=yes to serve it there anyway"

case ${1:-up} in
  up | system | down | status | bases) ;;
  -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0" | sed 's/^# \{0,1\}//'; exit ;;
  *) die "unknown command '$1' (use: up | bases [ARCH] | system | down | status)" ;;
esac
[[ $(uname -s) == Linux ]] || die "Linux only (this is $(uname -s)); elsewhere build on the published bases: ./mvnw -B package -Ppublished-base,multistage-published-base"

BINFMT=/proc/sys/fs/binfmt_misc
# The image platforms besides the host's, as Debian architectures (= OCI's for these two).
HOST_ARCH=$(host_arch)
case $HOST_ARCH in
  amd64) OTHER_ARCH=arm64 QEMU=qemu-aarch64 OTHER_STRIP=aarch64-linux-gnu-strip:binutils-aarch64-linux-gnu ;;
  arm64) OTHER_ARCH=amd64 QEMU=qemu-x86_64 OTHER_STRIP=x86_64-linux-gnu-strip:binutils-x86-64-linux-gnu ;;
  *) OTHER_ARCH='' ;;
esac
# What the tests and the image scripts run, as COMMAND-OR-FILE:DEBIAN-PACKAGE: only what is
# missing is installed, so a runner's own Maven or Docker stays as it is.
TOOLS=(docker-registry:docker-registry skopeo:skopeo mmdebstrap:mmdebstrap newuidmap:uidmap arch-test:arch-test wrk:wrk
  hyperfine:hyperfine curl:curl jq:jq readelf:binutils mvn:maven npm:npm /etc/ssl/certs/ca-certificates.crt:ca-certificates
  /usr/share/keyrings/debian-archive-keyring.gpg:debian-archive-keyring)
# qemu-user-static: the same name on Debian 13 (a transitional package there); both ship the
# binfmt_misc entry as a binfmt.d file, which is what is registered below.
[[ -z $OTHER_ARCH ]] || TOOLS+=("/usr/lib/binfmt.d/$QEMU.conf:qemu-user-static" "$OTHER_STRIP")

# The scanner the image tests run on the tarballs (ScannerIT), pinned, installed with npm for all
# users, with a Node.js of its own, also from npm: cdxgen 12 needs Node.js 20 and Debian 12's is 18.
CDXGEN_VERSION=12.8.4
CDXGEN_PACKAGES=("@cyclonedx/cdxgen@$CDXGEN_VERSION" "@cyclonedx/cdxgen-plugins-bin-linux-$HOST_ARCH@1.8.0"
  "node-linux-$([[ $HOST_ARCH == amd64 ]] && echo x64 || echo "$HOST_ARCH")@20.20.2")
CDXGEN_PREFIX=/usr/local/lib/docker-gs-ping-cdxgen
cdxgen_ok() { [[ $(cdxgen --version 2>/dev/null) == *"Generator $CDXGEN_VERSION"* ]] && command -v cdx-validate >/dev/null; }

docker_ok() { docker_cli info >/dev/null 2>&1; }
registry_ok() { curl -fsS -o /dev/null --max-time 3 "$REGISTRY_URL" 2>/dev/null; }

# A pid file is only trusted while that pid still runs the program we started,
# so a recycled pid is never signalled.
pid_alive() { # NAME EXPECTED-EXE-BASENAME
  local f="$STATE/$1.pid" pid
  [[ -s $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] && [[ -d /proc/$pid ]] || return 1
  [[ $(basename "$(readlink "/proc/$pid/exe" 2>/dev/null || true)") == "$2" ]]
}

# Start a program detached from our session (so closing the terminal or killing
# this script's process group leaves it running) and record its real pid: the
# inner shell writes its own pid, then execs the program in place.
spawn() { # NAME LOGFILE CMD...
  local name=$1 logf=$2
  shift 2
  rm -f "$STATE/$name.pid"
  # shellcheck disable=SC2016 # $$/$0/$@ belong to the inner shell
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$STATE/$name.pid" "$@" >"$logf" 2>&1 </dev/null &
  local i pid exe
  for ((i = 0; i < 50; i++)); do
    if [[ -s $STATE/$name.pid ]]; then
      pid=$(<"$STATE/$name.pid")
      exe=$(readlink "/proc/$pid/exe" 2>/dev/null || echo gone)
      [[ $exe != */bash ]] && return # exec done (or it already died: wait_for reports it)
    fi
    sleep 0.1
  done
  die "could not start $name (see $logf)"
}

wait_for() { # SECONDS CHECK-FN WHAT NAME EXE LOGFILE
  local deadline=$((SECONDS + $1))
  until "$2"; do
    if ! pid_alive "$4" "$5"; then
      log "last lines of $6:"; tail -n 20 "$6" >&2
      die "$3 exited before becoming ready"
    fi
    if ((SECONDS >= deadline)); then
      log "last lines of $6:"; tail -n 20 "$6" >&2
      die "$3 did not become ready within $1 s"
    fi
    sleep 0.5
  done
}

# The packages of the tools that are missing, one a line.
missing_packages() {
  local t
  docker_ok || TOOLS+=(dockerd:docker.io docker:docker.io)
  for t in "${TOOLS[@]}"; do
    if [[ ${t%%:*} == /* ]]; then [[ -e ${t%%:*} ]]; else PATH="$PATH:/usr/sbin:/sbin" command -v "${t%%:*}" >/dev/null; fi || echo "${t#*:}"
  done | sort -u
}

install_missing() {
  local missing
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]})) || return 0
  # Keep package maintainer scripts from starting dockerd/registry with their default settings
  # (Debian's registry: all interfaces, htpasswd); we start them ourselves below.
  local policy=/usr/sbin/policy-rc.d added_policy='' rc=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1
  fi
  {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
      # Debian 13 ships the docker client apart from docker.io (12 has one package).
      if [[ " ${missing[*]} " == *" docker.io "* ]] && apt-cache show docker-cli >/dev/null 2>&1; then missing+=(docker-cli); fi &&
      log "installing: ${missing[*]}" &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  } >&2 || rc=$?
  [[ -n $added_policy ]] && rm -f "$policy"
  ((rc == 0)) || die "apt-get install ${missing[*]} failed (exit $rc)"
}

install_cdxgen() {
  cdxgen_ok && return
  log "installing ${CDXGEN_PACKAGES[*]} in $CDXGEN_PREFIX (npm install)"
  npm install --prefix "$CDXGEN_PREFIX" --no-fund --no-audit --loglevel=error "${CDXGEN_PACKAGES[@]}" >&2 ||
    die "npm install ${CDXGEN_PACKAGES[*]} failed"
  local command
  for command in cdxgen cdx-validate; do # what ScannerIT runs
    printf '#!/bin/sh\nexec %s/node_modules/.bin/node %s/node_modules/.bin/%s "$@"\n' \
      "$CDXGEN_PREFIX" "$CDXGEN_PREFIX" "$command" >"/usr/local/bin/$command"
    chmod 755 "/usr/local/bin/$command"
  done
  cdxgen_ok || die "cdxgen $CDXGEN_VERSION does not run after npm install in $CDXGEN_PREFIX"
  echo "cdxgen:   $CDXGEN_VERSION installed"
}

start_dockerd() {
  if docker_ok; then
    echo "dockerd:  already running (server $(docker_cli version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    local driver
    driver=$(docker_cli info -f '{{.Driver}}' 2>/dev/null || true)
    # DockerParityIT compares `docker image ls` IDs and sizes, which follow the classic image store.
    [[ $driver == overlay2 ]] || log "WARNING: dockerd's storage driver is '$driver', not overlay2: DockerParityIT will fail"
    return
  fi
  command -v dockerd >/dev/null || die "dockerd not found (is docker.io installed?)"
  local logf="$STATE/dockerd.log"
  if pid_alive dockerd dockerd; then
    log "dockerd pid $(<"$STATE/dockerd.pid") (ours) is not answering yet; waiting"
  else
    # No bridge/iptables: this host has no network to NAT to, and containers use
    # --network host. overlay2 is the storage driver Debian's kernel supports.
    spawn dockerd "$logf" dockerd --iptables=false --bridge=none --storage-driver=overlay2
  fi
  wait_for 30 docker_ok "dockerd (log: $logf)" dockerd dockerd "$logf"
  echo "dockerd:  started (pid $(<"$STATE/dockerd.pid"), server $(docker_cli version -f '{{.Server.Version}}'), log $logf)"
}

start_registry() {
  if registry_ok; then
    # The tests delete tags: a registry without storage.delete answers 405 to any manifest DELETE.
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 -X DELETE \
      "${REGISTRY_URL}local-env/probe/manifests/sha256:$(printf '0%.0s' {1..64})" || true)
    [[ $code != 405 ]] || die "the registry at $REGISTRY_URL refuses deletes (REGISTRY_STORAGE_DELETE_ENABLED=true)"
    echo "registry: already running at $REGISTRY_URL"
    return
  fi
  # Something else listening on the port that is not a registry is a conflict we must not paper over.
  if curl -sS -o /dev/null --max-time 3 "http://$REGISTRY_ADDR/" 2>/dev/null; then
    die "port ${REGISTRY_ADDR##*:} answers HTTP but $REGISTRY_URL does not; free the port or stop that service"
  fi
  command -v docker-registry >/dev/null || die "docker-registry not found (is the docker-registry package installed?)"
  local cfg="$STATE/registry.yml" logf="$STATE/registry.log"
  mkdir -p "$REGISTRY_ROOT"
  # Loopback-only and no auth (unlike Debian's /etc/docker/registry/config.yml,
  # which binds :5000 on all interfaces with htpasswd); delete enabled so tests
  # can clean up tags.
  cat >"$cfg" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
  fields:
    service: docker-gs-ping-registry
storage:
  filesystem:
    rootdirectory: $REGISTRY_ROOT
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $REGISTRY_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  if pid_alive registry docker-registry; then
    log "registry pid $(<"$STATE/registry.pid") (ours) is not answering yet; waiting"
  else
    spawn registry "$logf" docker-registry serve "$cfg"
  fi
  wait_for 20 registry_ok "registry at $REGISTRY_URL (log: $logf)" registry docker-registry "$logf"
  echo "registry: started (pid $(<"$STATE/registry.pid"), $REGISTRY_URL, storage $REGISTRY_ROOT, log $logf)"
}

# What this script set up (not started) is recorded as a file in $STATE, so `down` undoes only that.
mark() { : >"$STATE/set-up.$1"; }
marked() { [[ -e $STATE/set-up.$1 ]]; }

setup_other_arch() {
  [[ -n $OTHER_ARCH ]] || { echo "foreign:  no second platform for $HOST_ARCH hosts"; return; }
  # build-runtime-base.sh downloads pinned Debian versions of the other architecture's packages;
  # other distributions' archives do not have them.
  if grep -qxE 'ID="?debian"?' /etc/os-release && ! dpkg --print-foreign-architectures | grep -qx "$OTHER_ARCH"; then
    dpkg --add-architecture "$OTHER_ARCH"
    mark "dpkg-arch-$OTHER_ARCH"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || die "apt-get update after dpkg --add-architecture $OTHER_ARCH failed"
  fi
  # Mounted for good: `down` leaves the mount, which holds the entries that others register too.
  if [[ ! -e $BINFMT/register ]]; then
    mount -t binfmt_misc binfmt_misc "$BINFMT" || die "cannot mount binfmt_misc on $BINFMT (a container needs --privileged)"
  fi
  # Registered from qemu's binfmt.d file (Debian 13's qemu no longer registers with binfmt-support).
  if [[ -e $BINFMT/$QEMU && $(head -n 1 "$BINFMT/$QEMU") != enabled ]]; then
    echo 1 >"$BINFMT/$QEMU" || die "cannot enable $QEMU in binfmt_misc"
    mark "binfmt-enabled-$QEMU"
  elif [[ ! -e $BINFMT/$QEMU ]]; then
    grep -m 1 '^:' "/usr/lib/binfmt.d/$QEMU.conf" >"$BINFMT/register" || die "cannot register $QEMU with binfmt_misc"
    mark "binfmt-$QEMU"
  fi
  # F (fix binary): the kernel opened the interpreter when it was registered, so it works in
  # containers and chroots that do not have it
  grep -q '^flags: .*F' "$BINFMT/$QEMU" || die "$BINFMT/$QEMU lacks the F flag: containers of linux/$OTHER_ARCH would not find qemu"
  echo "foreign:  linux/$OTHER_ARCH runs under $(sed -n 's/^interpreter //p' "$BINFMT/$QEMU") (binfmt_misc)"
}

undo_other_arch() {
  [[ -n $OTHER_ARCH ]] || return 0
  if marked "binfmt-$QEMU"; then
    echo -1 >"$BINFMT/$QEMU" && rm -f "$STATE/set-up.binfmt-$QEMU" && echo "foreign:  $QEMU unregistered"
  fi
  if marked "binfmt-enabled-$QEMU"; then
    echo 0 >"$BINFMT/$QEMU" && rm -f "$STATE/set-up.binfmt-enabled-$QEMU" && echo "foreign:  $QEMU disabled again"
  fi
  if marked "dpkg-arch-$OTHER_ARCH"; then
    dpkg --remove-architecture "$OTHER_ARCH" && rm -f "$STATE/set-up.dpkg-arch-$OTHER_ARCH" &&
      echo "foreign:  dpkg architecture $OTHER_ARCH removed"
  fi
}

stop_one() { # NAME EXE
  local f="$STATE/$1.pid" pid i
  if ! pid_alive "$1" "$2"; then
    echo "$1: not started by this script (nothing to stop)"
    rm -f "$f"
    return
  fi
  pid=$(<"$f")
  kill -TERM "$pid"
  # dockerd needs a few seconds to stop containers and its containerd child.
  for ((i = 0; i < 40; i++)); do [[ -d /proc/$pid ]] || break; sleep 0.5; done
  if [[ -d /proc/$pid ]]; then
    log "$1 pid $pid ignored SIGTERM for 20 s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
  echo "$1: stopped (pid $pid)"
}

# The images' bases (jib/base/): built once from pinned Debian packages, as this user, cached.
build_bases() { # ARCH
  local here
  here=$(dirname "$(readlink -f "$0")")
  bash "$here/base/build-jdk-base.sh" --arch "$1" >/dev/null || die "the linux/$1 JDK base did not build"
  bash "$here/base/build-runtime-base.sh" --arch "$1" >/dev/null || die "the linux/$1 runtime base did not build"
  echo "bases:    linux/$1 built for $(id -un) in $CACHE_ROOT/base (jib/base/)"
}

userns_ok() { unshare --map-root-user true 2>/dev/null; }
foreign_ok() { [[ $(head -n 1 "$BINFMT/$QEMU" 2>/dev/null) == enabled ]]; }

# What of the system's part this user lacks, one reason a line; nothing when all is there.
system_lacks() {
  local missing
  mapfile -t missing < <(missing_packages)
  ((${#missing[@]} == 0)) || echo "installing ${missing[*]}"
  cdxgen_ok || echo "installing the scanner cdxgen $CDXGEN_VERSION (npm)"
  userns_ok || echo "switching on user namespaces (the bases are built in them)"
  [[ -n $(awk -F: -v u="$(id -un)" '$1 == u' /etc/subuid /etc/subgid 2>/dev/null) ]] ||
    echo "a subordinate uid range for $(id -un) (/etc/subuid, /etc/subgid: mmdebstrap maps the bases' users there)"
  [[ -z $OTHER_ARCH ]] || foreign_ok || echo "registering qemu for linux/$OTHER_ARCH with binfmt_misc"
  if ! docker_ok; then
    if [[ -S /var/run/docker.sock ]] && ! id -nG | grep -qw docker; then
      echo "adding $(id -un) to the docker group"
    else
      echo "starting a Docker daemon"
    fi
  fi
  registry_ok || echo "starting the registry at $REGISTRY_URL"
}

# The system's part, through sudo, for what system_lacks named (REASONS); sudo asks for a password
# at a terminal, and fails at once without one (CI).
system_via_sudo() { # REASONS
  local sudo=(sudo) user
  user=$(id -un)
  [[ -t 0 && -z ${CI:-} ]] || sudo+=(-n)
  log "root is needed (sudo) only for the system's part:"
  printf '  - %s\n' "${1//$'\n'/$'\n'  - }" >&2
  command -v sudo >/dev/null || die "sudo is not installed: as root, run: bash jib/local-env.sh system $user"
  # The caller's PATH, which the tests get: a tool there (the runner's Maven) is not installed again.
  "${sudo[@]}" env PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" DOCKER_GS_PING_STATE="$STATE" \
    DOCKER_GS_PING_REGISTRY_ROOT="$REGISTRY_ROOT" DOCKER_GS_PING_REGISTRY="$REGISTRY_ADDR" \
    bash "$(readlink -f "$0")" system "$user" ||
    die "the system's part failed or sudo was refused; as root, run: bash jib/local-env.sh system $user"
}

# As root: user namespaces on, where this kernel has a switch for them that is off.
allow_userns() {
  local knob
  for knob in kernel.unprivileged_userns_clone=1 kernel.apparmor_restrict_unprivileged_userns=0; do
    local file=/proc/sys/${knob%=*}
    file=${file//.//}
    [[ -e $file && $(<"$file") != "${knob#*=}" ]] || continue
    echo "${knob#*=}" >"$file" || die "cannot set ${knob%=*}=${knob#*=}"
    echo "userns:   ${knob%=*} set to ${knob#*=} (was $((1 - ${knob#*=})))"
  done
}

# As root, for the user who ran sudo: a subordinate uid/gid range (useradd gives new users one) and
# the docker group. Group changes reach that user's next login, not the shells already open.
provision_user() { # USER
  local user=$1 start
  id "$user" >/dev/null 2>&1 || die "no user '$user'"
  if [[ -z $(awk -F: -v u="$user" '$1 == u' /etc/subuid /etc/subgid 2>/dev/null) ]]; then
    start=$(awk -F: 'BEGIN { m = 100000 } $2 + $3 > m { m = $2 + $3 } END { print m }' /etc/subuid /etc/subgid 2>/dev/null)
    usermod --add-subuids "$start-$((start + 65535))" --add-subgids "$start-$((start + 65535))" "$user" ||
      die "cannot give $user a subordinate uid range"
    echo "user:     $user has the subordinate ids $start-$((start + 65535))"
  fi
  if getent group docker >/dev/null && ! id -nG "$user" | grep -qw docker; then
    usermod -aG docker "$user" || die "cannot add $user to the docker group"
    echo "user:     $user added to the docker group: log in again (or run: newgrp docker) to use docker"
  fi
}

status() {
  if docker_ok; then echo "dockerd:  running"; else echo "dockerd:  not running"; fi
  if registry_ok; then echo "registry: running at $REGISTRY_URL"; else echo "registry: not running"; fi
  if [[ -n $OTHER_ARCH && $(head -n 1 "$BINFMT/$QEMU" 2>/dev/null) == enabled ]]; then
    echo "foreign:  linux/$OTHER_ARCH enabled"
  else
    echo "foreign:  linux/${OTHER_ARCH:-none} not enabled"
  fi
}

main() {
  local mode=${1:-up} lacks user
  case $mode in
    system)
      ((EUID == 0)) || die "the system's part needs root: sudo bash jib/local-env.sh system"
      mkdir -p "$STATE"
      install_missing
      install_cdxgen
      allow_userns
      user=${2:-${SUDO_USER:-root}}
      [[ $user == root ]] || provision_user "$user"
      setup_other_arch
      start_dockerd
      start_registry
      ;;
    up | bases)
      if ((EUID == 0)); then
        main system
      else
        lacks=$(system_lacks)
        [[ -z $lacks ]] || system_via_sudo "$lacks"
      fi
      build_bases "${2:-$HOST_ARCH}"
      ;;
    down)
      ((EUID == 0)) || exec sudo env DOCKER_GS_PING_STATE="$STATE" bash "$(readlink -f "$0")" down
      # Registry first: it does not depend on dockerd, but stop the newer service first.
      stop_one registry docker-registry
      stop_one dockerd dockerd
      undo_other_arch
      ;;
    status) status ;;
  esac
}

main "$@"
