#!/usr/bin/env bash
# The one test entry point, for .ci/run and the workflows: the README's "Run every test" command
# after `bash jib/local-env.sh` (which starts the services it needs). The service with its images
# (Jib buildTar in `package`), then the image toolkit, whose ITs load those tarballs. Arguments
# replace the service build's base profile:
#
#   bash .ci/test.sh                    # the README's: -Plocal-base, the base built here, offline
#   bash .ci/test.sh -Ppublished-base   # GitHub's runners: the public eclipse-temurin base
#
# .ci/check-workflows.sh checks that the README's command is this one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

(($#)) || set -- -Plocal-base
./mvnw -B verify "$@" && ./mvnw -B verify -f jib/pom.xml
