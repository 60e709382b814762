#!/usr/bin/env bash
# The README's "Run every test" command, without starting the services: the service with its
# images (Jib buildTar in `package`), then the image toolkit, whose ITs load those tarballs, then
# the image tests (jib/image-tests). Arguments go to the service's build and to the image tests,
# which build it again on the same base:
#
#   bash .ci/test.sh -Plocal-base       # .ci/run: no registry access, base built here
#   bash .ci/test.sh -Ppublished-base   # GitHub Actions: public eclipse-temurin:17-jdk base
#
# Needs a Docker daemon and a registry on 127.0.0.1:5000: `bash jib/local-env.sh` here,
# `bash .ci/github-env.sh` (plus a registry service container) on GitHub's runners.
# .ci/check-workflows.sh checks that the README's command is this line with -Plocal-base.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./mvnw -B verify "$@" && ./mvnw -B verify -f jib/pom.xml && ./mvnw -B verify -f jib/image-tests/pom.xml "$@"
