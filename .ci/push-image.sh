#!/usr/bin/env bash
# Build one of the pom's images and push it with Jib under a given set of tags, e.g. the tags
# docker/metadata-action derives from the git ref:
#
#   bash .ci/push-image.sh jib:build@latest "$TAGS" [MAVEN_ARG...]
#
#   jib:build@latest | jib:build@multistage   the Jib execution (image) to push
#   TAGS    full references, one per line (metadata-action's `tags` output; commas or spaces
#           also separate), all in one repository, e.g.
#           ghcr.io/owner/docker-gs-ping:main
#           ghcr.io/owner/docker-gs-ping:latest
#
# The first reference becomes -Djib.to.image and the other tags -Djib.to.tags, which replace
# the pom's <to> (so `:latest` and `v1.0` are pushed only when listed). The build runs
# `compile` and the goal (Jib takes the classes and the SBOM from there; no tests, no tarballs).
# Credentials never on the command line (Jib's README: a -Djib.to.auth.password is visible to
# every process and in logs; this script refuses one): sign in first, `docker login` or
# docker/login-action, or configure a credential helper; Jib reads ~/.docker/config.json
# (auths, credHelpers, credsStore) as the Docker CLI does. Try it against the local registry of
# jib/local-env.sh:
#
#   bash .ci/push-image.sh jib:build@multistage 127.0.0.1:5000/demo/docker-gs-ping:multistage \
#       -Djib.allowInsecureRegistries=true
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DIE_STATUS=2 # its own errors exit 2, apart from the build's (Maven's status)
# shellcheck source=SCRIPTDIR/../jib/lib.sh
source jib/lib.sh


(($# >= 2)) || die "usage: bash .ci/push-image.sh jib:build@EXECUTION TAGS [MAVEN_ARG...]"
goal=$1 refs_text=$2
shift 2
[[ $goal =~ ^jib:build@([A-Za-z0-9._-]+)$ ]] || die "first argument must be jib:build@EXECUTION, not '$goal'"
execution=${BASH_REMATCH[1]}
for arg in "$@"; do
  [[ $arg != -Djib.*auth.password=* ]] ||
    die "'${arg%%=*}=…': no password on the command line; sign in first (docker login, docker/login-action) or use a credential helper, which Jib reads from ~/.docker/config.json"
done

read -r -a refs <<<"$(tr ',\n\t' '   ' <<<"$refs_text")"
((${#refs[@]})) || die "no image references given (metadata-action derived no tags from ${GITHUB_REF:-this ref}): nothing to push"

repository='' tags=()
for ref in "${refs[@]}"; do
  [[ $ref != *@* ]] || die "'$ref': expected a tag, not a digest"
  last=${ref##*/}
  [[ $ref == */* && $last == *:* ]] || die "'$ref': expected REGISTRY/REPOSITORY:TAG"
  repo=${ref%:*} tag=${ref##*:}
  [[ $tag =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "'$ref': '$tag' is not a valid tag"
  [[ -z $repository || $repo == "$repository" ]] || die "'$ref' is not in $repository: one repository per push"
  repository=$repo
  tags+=("$tag")
done
# The others as jib.to.tags; with a single tag, that tag again (an empty jib.to.tags would let
# the pom's own tags, such as v1.0, through).
extra=("${tags[@]:1}")
((${#extra[@]})) || extra=("${tags[0]}")
extra_list=$(IFS=,; echo "${extra[*]}")

digest_file=target/jib/$execution.digest
rm -f "$digest_file" # a digest from an earlier build must not pass for this push's
echo "push-image: $goal -> $repository, tags ${tags[*]}"
./mvnw -B compile "$goal" -Djib.to.image="${refs[0]}" -Djib.to.tags="$extra_list" "$@"

[[ -s $digest_file ]] || die "Jib wrote no $digest_file"
digest=$(<"$digest_file")
echo "push-image: pushed $repository@$digest as ${tags[*]}"
if [[ -n ${GITHUB_STEP_SUMMARY:-} ]]; then
  {
    echo "### \`$execution\` image"
    echo
    echo "\`$repository@$digest\`"
    echo
    for ref in "${refs[@]}"; do echo "- \`$ref\`"; done
    echo
  } >>"$GITHUB_STEP_SUMMARY"
fi
