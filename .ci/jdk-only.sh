#!/usr/bin/env bash
# Issue #27's promise, checked as root on this machine: a developer with only a JDK (a new user with
# an empty home, no Docker access, no bases, no sudo) builds and tests the service in a fresh clone
# (./mvnw -B test) and runs it from the jar (./mvnw -B package -Djib.skip: no images). The user is
# made anew for each run and removed after it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
user=gsping-jdk-only

userdel --remove "$user" 2>/dev/null || true
useradd --create-home --shell /bin/bash "$user"
trap 'userdel --remove "$user" 2>/dev/null || true' EXIT
home=$(getent passwd "$user" | cut -d: -f6)
git clone -q --no-hardlinks "$PWD" "$home/docker-gs-ping"
chown -R "$user:" "$home/docker-gs-ping"
port=$((20000 + RANDOM % 10000))
# shellcheck disable=SC2016 # expanded by the user's shell
runuser -u "$user" -- env -i HOME="$home" USER="$user" LANG=C.UTF-8 CI=true PATH=/usr/local/bin:/usr/bin:/bin PORT="$port" bash -c '
  set -euo pipefail
  cd ~/docker-gs-ping
  ! docker info >/dev/null 2>&1 || { echo "jdk-only: ERROR: this user reaches a Docker daemon" >&2; exit 1; }
  ./mvnw -B test
  ./mvnw -B -q package -DskipTests -Djib.skip
  [[ ! -e ~/.cache/docker-gs-ping ]] || { echo "jdk-only: ERROR: the build made ~/.cache/docker-gs-ping" >&2; exit 1; }
  java -jar target/docker-gs-ping-1.0.0-all.jar >target/jar.log 2>&1 &
  health=$(curl -s --retry 30 --retry-delay 1 --retry-connrefused "http://127.0.0.1:$PORT/health")
  kill $! && wait $! || true # ended before its user is removed
  [[ $health == "{\"Status\":\"OK\"}" ]] || { echo "jdk-only: ERROR: the jar answered /health with: $health" >&2; exit 1; }
  echo "jdk-only: PASSED: test, package -Djib.skip and the jar (/health: $health) with only a JDK"' </dev/null
