#!/usr/bin/env bash
# Stops a build that asks for jib:dockerBuild when no Docker daemon answers, before anything is
# compiled, and says how to build without one. Run by pom.xml (execution docker-daemon-check,
# phase validate) with Maven's goals and Jib's docker client, if one is set:
#
#   bash jib/require-docker-daemon.sh "goals=[package, jib:dockerBuild@latest]" [DOCKER-CLI]
#
# Exits 0 at once when the goals have no dockerBuild. Only goals run with a lifecycle phase
# (./mvnw package jib:dockerBuild@...) get this check; Jib's own error still applies otherwise.
set -euo pipefail

goals=${1:-}
docker=${2:-docker}
[[ $goals == *dockerBuild* ]] || exit 0
# Maven passes an unset property as its literal ${...}; Jib then uses docker from PATH.
[[ $docker == "\${"* ]] && docker=docker

if ! command -v "$docker" >/dev/null; then
  why="no Docker client ($docker)"
elif why=$(timeout 20 "$docker" version --format '{{.Server.Version}}' 2>&1 >/dev/null); then
  exit 0
else
  why=${why:-"\`$docker version\` got no answer in 20 s"}
fi

cat >&2 <<MSG
require-docker-daemon: ERROR: jib:dockerBuild needs a Docker daemon and none is reachable: ${why//$'\n'/ }
  start one (root, Debian):      bash jib/local-env.sh
  or build without a daemon:     ./mvnw -B package   (tarballs in target/jib)
    then load them (no daemon):  jib/imagetool load target/jib/docker-gs-ping-latest.tar
    or push them to a registry:  ./mvnw -B package jib:build@latest jib:build@multistage -Dimage.registry=HOST:PORT/
MSG
exit 1
