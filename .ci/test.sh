#!/usr/bin/env bash
# The one test entry point, for .ci/run and the workflows: the README's "Run every test" command
# after `bash jib/local-env.sh` (the services and the bases it needs). The service with its images
# (Jib buildTar in `package`), then the image toolkit, whose ITs load those tarballs, then the image
# tests (jib/image-tests). Arguments go to the service's build and to the image tests:
#
#   bash .ci/test.sh                    # the README's: bases built on this machine
#   bash .ci/test.sh -Ppublished-base   # GitHub's runners: latest on the public eclipse-temurin base
#
# .ci/check-workflows.sh checks that the README's command is this one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./mvnw -B verify "$@" && ./mvnw -B verify -f jib/pom.xml && ./mvnw -B verify -f jib/image-tests/pom.xml "$@"
