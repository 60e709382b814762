#!/usr/bin/env bash
# GitHub Actions' counterpart of `bash jib/local-env.sh`: readies an ubuntu runner for
# .ci/test.sh. The runner already has Docker, and the job's `registry` service container
# (registry:2, ports 5000:5000, REGISTRY_STORAGE_DELETE_ENABLED=true) is the registry on
# 127.0.0.1:5000, so this script only checks those and adds what the image toolkit's ITs
# run besides:
#   - docker-registry (RegistryAuthIT starts its own htpasswd registry) and skopeo
#     (OciLayoutInteropIT), the same Debian/Ubuntu packages local-env.sh installs;
#   - mount/umount for StoreDiskFullIT's 512 KB tmpfs: the runner user is not root, so
#     wrappers that call them through passwordless sudo go first on PATH ($GITHUB_PATH).
# Prints one line per item; exits non-zero with the reason when something is missing.
#
# Env: REGISTRY_CONTAINER_ID  the service container (${{ job.services.registry.id }}), for logs
set -euo pipefail

REGISTRY_URL=http://127.0.0.1:5000/v2/

die() { echo "github-env: ERROR: $*" >&2; exit 1; }
say() { echo "github-env: $*"; }

[[ ${GITHUB_ACTIONS:-} == true ]] || die "for GitHub Actions runners only; on a Debian machine run: bash jib/local-env.sh"

SUDO=()
if ((EUID != 0)); then
  sudo -n true 2>/dev/null || die "needs root or passwordless sudo (GitHub's hosted runners have it)"
  SUDO=(sudo -n)
fi

# --- Docker -----------------------------------------------------------------------------------
docker info >/dev/null 2>&1 || die "Docker daemon not reachable (\`docker info\` failed)"
storage=$(docker info -f '{{.Driver}} {{json .DriverStatus}}' 2>/dev/null || echo '?')
say "docker: server $(docker version -f '{{.Server.Version}}'), storage $storage"
if [[ $storage == *io.containerd.snapshotter* ]]; then
  # DockerParityIT compares `docker image ls` IDs and sizes with imagetool's, which follow the
  # classic image store (overlay2); the containerd image store reports other IDs and sizes.
  echo "::warning title=containerd image store::dockerd uses the containerd image store; DockerParityIT expects the classic (overlay2) one"
fi

# --- registry on 127.0.0.1:5000 (the service container) ---------------------------------------
registry_log() {
  if [[ -n ${REGISTRY_CONTAINER_ID:-} ]]; then
    docker logs --tail 30 "$REGISTRY_CONTAINER_ID" >&2 || true
  fi
}
for ((i = 0; ; i++)); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$REGISTRY_URL" || true)
  [[ $code == 200 ]] && break
  if ((i >= 60)); then
    registry_log
    die "no registry at $REGISTRY_URL after 30 s (last HTTP status: ${code:-none}); is the job's 'registry' service (registry:2, ports 5000:5000) defined?"
  fi
  sleep 0.5
done
# The registry ITs delete tags: a registry without storage.delete answers 405 to any manifest DELETE.
zero=sha256:0000000000000000000000000000000000000000000000000000000000000000
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 -X DELETE "${REGISTRY_URL}github-env/probe/manifests/$zero" || true)
if [[ $code == 405 ]]; then
  die "the registry at $REGISTRY_URL refuses deletes; set REGISTRY_STORAGE_DELETE_ENABLED: \"true\" on the service"
fi
say "registry: $REGISTRY_URL answers, deletes enabled (probe: HTTP $code)"

# --- docker-registry and skopeo -----------------------------------------------------------------
missing=()
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v skopeo >/dev/null || missing+=(skopeo)
if ((${#missing[@]})); then
  say "installing ${missing[*]} (apt)"
  # Keep the docker-registry package from starting its own service on :5000, as local-env.sh does.
  policy=/usr/sbin/policy-rc.d added_policy=
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod +x "$policy"
    added_policy=1
  fi
  rc=0
  { "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } || rc=$?
  [[ -n $added_policy ]] && "${SUDO[@]}" rm -f "$policy"
  ((rc == 0)) || die "apt-get install ${missing[*]} failed (exit $rc)"
  if systemctl list-unit-files docker-registry.service >/dev/null 2>&1; then
    "${SUDO[@]}" systemctl disable --now docker-registry.service >/dev/null 2>&1 || true
  fi
fi
say "docker-registry: $(command -v docker-registry) ($(docker-registry --version 2>/dev/null | head -n 1 || echo '?'))"
say "skopeo: $(command -v skopeo) ($(skopeo --version 2>/dev/null || echo '?'))"

# --- mount/umount as the runner user ------------------------------------------------------------
if ((EUID != 0)); then
  [[ -n ${GITHUB_PATH:-} ]] || die "GITHUB_PATH is not set"
  bin="${RUNNER_TEMP:-/tmp}/docker-gs-ping-bin"
  mkdir -p "$bin"
  for cmd in mount umount; do
    real=$(command -v "$cmd") || die "$cmd not found"
    printf '#!/bin/sh\n# %s through passwordless sudo: StoreDiskFullIT mounts a tmpfs.\nexec sudo -n %s "$@"\n' \
      "$cmd" "$real" >"$bin/$cmd"
    chmod +x "$bin/$cmd"
  done
  echo "$bin" >>"$GITHUB_PATH"
  say "mount/umount: sudo wrappers in $bin, first on PATH from the next step on"
fi
say "ready for: bash .ci/test.sh"
