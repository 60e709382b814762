#!/usr/bin/env python3
"""Checks that what the GitHub workflows run exists in the project, so that a rename can't
silently break CI. Called by .ci/check-workflows.sh; needs PyYAML.

  python3 .ci/check-workflow-refs.py ROOT [--emit-run-scripts DIR]

Prints one line per problem ("check-workflows: FILE: ...") and exits 1 if there is any:
  - every `bash X` / `sh X` / `source X` script and every `./X` program named in a workflow
    `run:` step, or in the scripts they (and .ci/run) call, exists (and `./X` is executable);
  - every Maven `plugin:goal@id` names an execution id of that plugin in the pom the command
    targets (-f FILE, else the root pom.xml), every -P profile exists there, and -f files exist;
  - -Plocal-base (the offline base) is not used on GitHub's runners;
  - local `uses: ./...` targets exist; third-party actions are pinned to a full commit SHA
    with a `# vX.Y.Z` comment, at a major that runs on Node 24 (NODE24_MAJORS; an action not
    listed there is a problem until its action.yml has been read and it is added);
  - jobs that push images run after other jobs (`needs:`), top-level permissions are read-only,
    and a job gets a write permission only for what it does: packages for a push script,
    id-token and attestations for actions/attest (which needs both);
  - the README's test command is .ci/test.sh's line with -Plocal-base, and .ci/run runs it;
  - the IMAGE_NAME of a workflow is pom.xml's image.name;
  - .github/dependabot.yml covers every pom.xml and the github-actions ecosystem.
With --emit-run-scripts, each bash `run:` block is written to DIR (for shellcheck) and
DIR/scripts.txt lists the project scripts they call.
"""
import os
import re
import shlex
import sys
import xml.etree.ElementTree as ET

import yaml

PROBLEMS = []
NO_GITHUB_PROFILES = {"local-base"}  # builds a base with debootstrap: for machines without a registry
PUSH_SCRIPTS = (".ci/push-image.sh", ".ci/release-images.sh")
TEST_SCRIPT = ".ci/test.sh"
GOAL_RE = re.compile(r"^(?:[\w.-]+:){1,3}[\w.-]+@([\w.-]+)$")
SHA_USES_RE = re.compile(r"^\s*(?:-\s+)?uses:\s*([^\s#]+)\s*(#.*)?$")
POM_NS = "{http://maven.apache.org/POM/4.0.0}"
# The first major of each action used here whose action.yml says `runs: using: node24` (GitHub
# runs Node 20 actions on Node 24 from 2026 and then drops Node 20). Composite actions: the
# first major whose nested actions all run on Node 24. Read an action's action.yml at the
# pinned commit before adding or raising it.
NODE24_MAJORS = {
    "actions/checkout": 5,
    "actions/setup-java": 5,
    "actions/cache": 5,
    "actions/upload-artifact": 6,
    "actions/download-artifact": 6,
    "actions/attest": 3,
    "actions/attest-build-provenance": 4,
    "actions/attest-sbom": 4,
    "docker/login-action": 4,
    "docker/metadata-action": 6,
}
# Job permissions a workflow may grant as `write`, and what the job must do to need them.
ATTEST_ACTIONS = ("actions/attest", "actions/attest-build-provenance", "actions/attest-sbom")


def problem(where, message):
    PROBLEMS.append(f"check-workflows: {where}: {message}")


def rel(root, path):
    return os.path.relpath(path, root)


# ---------------------------------------------------------------------------------------- poms
class Pom:
    def __init__(self, path):
        self.path = path
        self.executions = {}  # plugin artifactId -> set of execution ids
        self.profiles = set()
        self.properties = {}
        tree = ET.parse(path)
        project = tree.getroot()
        self._plugins(project.find(f"{POM_NS}build"))
        props = project.find(f"{POM_NS}properties")
        if props is not None:
            for p in props:
                self.properties[p.tag.replace(POM_NS, "")] = (p.text or "").strip()
        profiles = project.find(f"{POM_NS}profiles")
        if profiles is not None:
            for profile in profiles.findall(f"{POM_NS}profile"):
                pid = profile.findtext(f"{POM_NS}id")
                if pid:
                    self.profiles.add(pid.strip())
                self._plugins(profile.find(f"{POM_NS}build"))

    def _plugins(self, build):
        if build is None:
            return
        for container in (build.find(f"{POM_NS}plugins"), build.find(f"{POM_NS}pluginManagement/{POM_NS}plugins")):
            if container is None:
                continue
            for plugin in container.findall(f"{POM_NS}plugin"):
                artifact = (plugin.findtext(f"{POM_NS}artifactId") or "").strip()
                ids = self.executions.setdefault(artifact, set())
                for execution in plugin.findall(f"{POM_NS}executions/{POM_NS}execution"):
                    eid = execution.findtext(f"{POM_NS}id")
                    ids.add((eid or "default").strip())

    def plugin_for_prefix(self, prefix):
        """Plugins a goal prefix can name: jib -> jib-maven-plugin, shade -> maven-shade-plugin."""
        names = {f"{prefix}-maven-plugin", f"maven-{prefix}-plugin", prefix}
        return [a for a in self.executions if a in names]


POMS = {}


def pom(root, path):
    full = os.path.normpath(os.path.join(root, path))
    if full not in POMS:
        POMS[full] = Pom(full)
    return POMS[full]


# ------------------------------------------------------------------------------ shell commands
def split_commands(script):
    """Simple commands of a shell script: continuation lines joined, comments and heredoc
    bodies dropped, split on ; && || | and newlines. Good enough for CI scripts."""
    lines, heredoc = [], None
    for line in script.replace("\\\n", " ").splitlines():
        if heredoc:
            if line.strip() == heredoc:
                heredoc = None
            continue
        m = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line)
        if m:
            heredoc = m.group(1)
        lines.append(line)
    commands = []
    for line in lines:
        try:
            lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()")
            lexer.whitespace_split = True
            lexer.commenters = "#"
            tokens = list(lexer)
        except ValueError:
            tokens = line.split()
        current = []
        for tok in tokens:
            if tok and set(tok) <= set(";&|()"):
                if current:
                    commands.append(current)
                current = []
            else:
                current.append(tok)
        if current:
            commands.append(current)
    return commands


SHELL_WORDS = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "for", "!", "{", "}",
               "time", "exec", "sudo", "env", "command", "nohup", "case", "esac"}


def strip_prefixes(tokens):
    """Drops leading keywords, VAR=value assignments and wrappers (sudo, env, exec)."""
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in SHELL_WORDS or re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", t) or (i > 0 and tokens[i - 1] in ("sudo", "env") and t.startswith("-")):
            i += 1
            continue
        break
    return tokens[i:]


def literal(token):
    return "$" not in token and "`" not in token and "*" not in token and "GHEXPR" not in token


def check_command(root, where, tokens, scripts_seen, in_workflow):
    tokens = strip_prefixes(tokens)
    if not tokens:
        return
    head = tokens[0]
    # bash X / sh X / source X / . X
    if head in ("bash", "sh", "source", ".") and len(tokens) > 1:
        args = [t for t in tokens[1:] if not t.startswith("-")]
        if args and literal(args[0]) and not args[0].startswith("/"):
            path = os.path.join(root, args[0])
            if not os.path.isfile(path):
                problem(where, f"`{head} {args[0]}`: {args[0]} does not exist")
            else:
                scripts_seen.add(os.path.normpath(args[0]))
    # ./X or dir/X run directly
    elif "/" in head and literal(head) and not head.startswith("/"):
        path = os.path.join(root, head)
        if not os.path.isfile(path):
            problem(where, f"`{head}`: {head} does not exist")
        elif not os.access(path, os.X_OK):
            problem(where, f"`{head}`: {head} is not executable (chmod +x, or run it with bash)")
        elif os.path.basename(head) != "mvnw":
            scripts_seen.add(os.path.normpath(head))
    check_maven(root, where, tokens, in_workflow)


def check_maven(root, where, tokens, in_workflow):
    """Goals with @execution, -P profiles and -f files, in any command (also arguments handed
    to scripts such as .ci/push-image.sh, which run them against the root pom)."""
    is_maven = os.path.basename(tokens[0]) in ("mvnw", "mvn")
    # scripts (bash X, ./X) hand their arguments to Maven: check goals and -P there too
    runs_something = is_maven or tokens[0] in ("bash", "sh") or "/" in tokens[0]
    if not runs_something:
        return
    pom_file = "pom.xml"
    profiles = []
    i = 1
    while i < len(tokens):
        t = tokens[i]
        if is_maven and t in ("-f", "--file") and i + 1 < len(tokens):
            pom_file = tokens[i + 1]
            i += 1
        elif is_maven and t.startswith("--file="):
            pom_file = t.split("=", 1)[1]
        elif is_maven and t.startswith("-f") and len(t) > 2 and not t.startswith("-fae") and not t.startswith("-ff"):
            pom_file = t[2:]
        elif t in ("-P", "--activate-profiles") and i + 1 < len(tokens):
            profiles += tokens[i + 1].split(",")
            i += 1
        elif t.startswith("-P") and len(t) > 2:
            profiles += t[2:].split(",")
        elif t.startswith("--activate-profiles="):
            profiles += t.split("=", 1)[1].split(",")
        i += 1
    if not literal(pom_file):
        return
    if os.path.isdir(os.path.join(root, pom_file)):
        pom_file = os.path.join(pom_file, "pom.xml")
    if not os.path.isfile(os.path.join(root, pom_file)):
        problem(where, f"`-f {pom_file}`: {pom_file} does not exist")
        return
    p = pom(root, pom_file)
    for t in tokens[1:]:
        m = GOAL_RE.match(t)
        if not m or not literal(t):
            continue
        prefix, execution = t.split("@")[0].split(":")[-2], m.group(1)
        plugins = p.plugin_for_prefix(prefix)
        if not plugins:
            problem(where, f"`{t}`: {pom_file} configures no '{prefix}' plugin")
        elif not any(execution in p.executions[a] for a in plugins):
            known = sorted(set().union(*(p.executions[a] for a in plugins)))
            problem(where, f"`{t}`: {pom_file} has no execution '{execution}' of {plugins[0]} (it has: {', '.join(known) or 'none'})")
    for prof in profiles:
        name = prof.lstrip("!-+")
        if not name or name.startswith("?") or not literal(name):
            continue
        if name not in p.profiles:
            problem(where, f"`-P{name}`: {pom_file} has no profile '{name}' (it has: {', '.join(sorted(p.profiles)) or 'none'})")
        elif in_workflow and name in NO_GITHUB_PROFILES:
            problem(where, f"`-P{name}` is for machines without registry access; GitHub's runners use the public base")


def check_script_file(root, script, scripts_seen, done):
    if script in done:
        return
    done.add(script)
    path = os.path.join(root, script)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    before = set(scripts_seen)
    for tokens in split_commands(text):
        check_command(root, script, tokens, scripts_seen, in_workflow=False)
    for s in sorted(scripts_seen - before):
        if s.startswith(".ci/") or s.startswith(".github/"):
            check_script_file(root, s, scripts_seen, done)


# ----------------------------------------------------------------------------------- workflows
def expr_free(text):
    return re.sub(r"\$\{\{.*?\}\}", "GHEXPR", text, flags=re.S)


def check_workflow(root, path, wf, scripts_seen, emit_dir, workflow_scripts):
    where = rel(root, path)
    if not isinstance(wf, dict):
        problem(where, "not a YAML mapping")
        return
    perms = wf.get("permissions")
    if perms is None:
        problem(where, "no top-level `permissions:` (set them to the least needed, e.g. contents: read)")
    elif perms == "write-all" or (isinstance(perms, dict) and any(v == "write" for v in perms.values())):
        problem(where, "top-level `permissions:` grant write; grant it only to the job that needs it")
    for job_id, job in (wf.get("jobs") or {}).items():
        jwhere = f"{where}: job {job_id}"
        uses = job.get("uses")
        if isinstance(uses, str) and uses.startswith("./"):
            if not os.path.isfile(os.path.join(root, uses)):
                problem(jwhere, f"`uses: {uses}`: {uses} does not exist")
            else:
                check_reusable_call(root, jwhere, uses, job.get("with") or {})
        defaults_shell = ((job.get("defaults") or {}).get("run") or {}).get("shell") or \
            ((wf.get("defaults") or {}).get("run") or {}).get("shell") or "bash"
        pushes = attests = False
        for n, step in enumerate(job.get("steps") or [], 1):
            swhere = f"{jwhere}: step {step.get('name') or step.get('id') or step.get('uses') or n}"
            suses = step.get("uses")
            if isinstance(suses, str) and suses.split("@")[0] in ATTEST_ACTIONS:
                attests = True
            if isinstance(suses, str) and suses.startswith("./"):
                target = os.path.join(root, suses)
                if not (os.path.isfile(os.path.join(target, "action.yml")) or os.path.isfile(os.path.join(target, "action.yaml"))):
                    problem(swhere, f"`uses: {suses}`: no action.yml there")
            run = step.get("run")
            if not isinstance(run, str):
                continue
            shell = step.get("shell") or defaults_shell
            if shell not in ("bash", "sh") and not shell.startswith("bash "):
                continue
            text = expr_free(run)
            if any(script in text for script in PUSH_SCRIPTS):
                pushes = True
            if TEST_SCRIPT in text:
                workflow_scripts.add(TEST_SCRIPT)
            for tokens in split_commands(text):
                check_command(root, swhere, tokens, scripts_seen, in_workflow=True)
            if emit_dir:
                name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{os.path.basename(path)}-{job_id}-{n}") + ".sh"
                with open(os.path.join(emit_dir, name), "w", encoding="utf-8") as f:
                    # actionlint's way: an expression becomes a plain word of the same shape
                    f.write(f"#!/usr/bin/env bash\n# {where}: job {job_id}, step {n}\nset -e\n")
                    f.write(re.sub(r"\$\{\{.*?\}\}", lambda m: "_" * len(m.group(0)), run, flags=re.S) + "\n")
        check_job_permissions(jwhere, job, pushes, attests)
    image_name = (wf.get("env") or {}).get("IMAGE_NAME")
    if image_name is not None:
        want = pom(root, "pom.xml").properties.get("image.name")
        if image_name != want:
            problem(where, f"env IMAGE_NAME is '{image_name}' but pom.xml's image.name is '{want}'")


def check_job_permissions(where, job, pushes, attests):
    """Least privilege: each write permission only in the job whose steps need it."""
    perms = job.get("permissions")
    if perms == "write-all" or isinstance(perms, str) and perms != "read-all":
        problem(where, f"`permissions: {perms}`: list the scopes the job needs")
        return
    perms = perms if isinstance(perms, dict) else {}
    needed = {}
    if pushes:
        needed["packages"] = f"runs {' or '.join(PUSH_SCRIPTS)}"
        if not job.get("needs"):
            problem(where, "pushes images without `needs:` on the jobs that test the images first")
    if attests:
        needed["id-token"] = needed["attestations"] = "uses actions/attest (the OIDC token signs, the API stores)"
    for scope, why in needed.items():
        if perms.get(scope) != "write":
            problem(where, f"{why} but has no job-level `permissions: {scope}: write`")
    for scope, level in perms.items():
        if level == "write" and scope not in needed and scope != "contents":
            problem(where, f"`permissions: {scope}: write` but nothing in the job needs it (least privilege)")


def check_reusable_call(root, where, uses, given):
    """`with:` of a local reusable workflow call against its `on.workflow_call.inputs`."""
    with open(os.path.join(root, uses), encoding="utf-8") as f:
        called = yaml.safe_load(f) or {}
    on = called.get("on", called.get(True)) or {}
    call = on.get("workflow_call") if isinstance(on, dict) else None
    if not isinstance(on, dict) or "workflow_call" not in on:
        problem(where, f"`uses: {uses}`: that workflow has no `on: workflow_call`")
        return
    inputs = (call or {}).get("inputs") or {}
    for name in given:
        if name not in inputs:
            problem(where, f"`uses: {uses}`: input '{name}' is not declared there (it has: {', '.join(inputs) or 'none'})")
    for name, spec in inputs.items():
        if (spec or {}).get("required") and name not in given:
            problem(where, f"`uses: {uses}`: required input '{name}' is not given")


def check_pins(root, path):
    where = rel(root, path)
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            m = SHA_USES_RE.match(line)
            if not m:
                continue
            target, comment = m.group(1).strip("'\""), (m.group(2) or "")
            if target.startswith("./") or target.startswith("docker://"):
                continue
            if "@" not in target or not re.fullmatch(r"[0-9a-f]{40}", target.split("@", 1)[1]):
                problem(f"{where}:{lineno}", f"`{target}`: pin third-party actions to a full commit SHA")
                continue
            release = re.match(r"#\s*v(\d+)(\.\d+){0,2}\b", comment)
            if not release:
                problem(f"{where}:{lineno}", f"`{target}`: add the release as a `# vX.Y.Z` comment")
                continue
            action = "/".join(target.split("@", 1)[0].split("/")[:2])
            first = NODE24_MAJORS.get(action)
            if first is None:
                problem(f"{where}:{lineno}", f"`{action}`: runtime unknown; read its action.yml (`runs: using:`) at the pinned commit and add its first Node 24 major to NODE24_MAJORS in .ci/check-workflow-refs.py")
            elif int(release.group(1)) < first:
                problem(f"{where}:{lineno}", f"`{action}` v{release.group(1)} runs on Node 20 or older; move to v{first} or later (its action.yml: `using: node24`), pinned by the tag's commit")


# ------------------------------------------------------------------------------- drift checks
def check_readme_and_ci_run(root):
    test_sh = os.path.join(root, TEST_SCRIPT)
    if not os.path.isfile(test_sh):
        problem(TEST_SCRIPT, "missing (the workflows and .ci/run share the README's test command through it)")
        return
    with open(test_sh, encoding="utf-8") as f:
        lines = [l.strip() for l in f if l.strip().startswith("./mvnw")]
    if len(lines) != 1 or '"$@"' not in lines[0]:
        problem(TEST_SCRIPT, 'expected exactly one ./mvnw line passing "$@" to the service build')
        return
    offline = lines[0].replace('"$@"', "-Plocal-base")
    readme_cmd = f"bash jib/local-env.sh && {offline}"
    readme = os.path.join(root, "README.md")
    if os.path.isfile(readme):
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        if readme_cmd not in text:
            problem("README.md", f"the test command is not `{readme_cmd}` ({TEST_SCRIPT} with -Plocal-base): update one of them")
    ci_run = os.path.join(root, ".ci/run")
    if os.path.isfile(ci_run):
        with open(ci_run, encoding="utf-8") as f:
            text = f.read()
        calls = re.search(r"^\s*(bash\s+)?\.ci/test\.sh\s+-Plocal-base\s*$", text, re.M)
        if not calls and offline not in text:
            problem(".ci/run", f"runs neither `bash {TEST_SCRIPT} -Plocal-base` nor the README's `{offline}`")


def check_dependabot(root):
    path = os.path.join(root, ".github/dependabot.yml")
    if not os.path.isfile(path):
        problem(".github/dependabot.yml", "missing")
        return
    with open(path, encoding="utf-8") as f:
        cfg = yaml.safe_load(f) or {}
    if cfg.get("version") != 2:
        problem(".github/dependabot.yml", "`version: 2` is required")
    covered = {}
    for n, u in enumerate(cfg.get("updates") or [], 1):
        eco = u.get("package-ecosystem")
        dirs = u.get("directories") or [u.get("directory")]
        if not eco or not all(dirs) or not (u.get("schedule") or {}).get("interval"):
            problem(".github/dependabot.yml", f"update #{n} needs package-ecosystem, directory and schedule.interval")
            continue
        for d in dirs:
            covered.setdefault(eco, set()).add("/" + d.strip("/"))
            if eco == "maven" and not os.path.isfile(os.path.join(root, d.strip("/"), "pom.xml")):
                problem(".github/dependabot.yml", f"maven directory {d} has no pom.xml")
    poms = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in ("target", ".git", "node_modules", "src")]
        if "pom.xml" in filenames:
            d = os.path.relpath(dirpath, root)
            poms.add("/" if d == "." else "/" + d)
    for d in sorted(poms - covered.get("maven", set())):
        problem(".github/dependabot.yml", f"no maven update for {d} (its pom.xml)")
    if "/" not in covered.get("github-actions", set()):
        problem(".github/dependabot.yml", "no github-actions update for / (keeps the pinned SHAs current)")


# ------------------------------------------------------------------------------------------ main
def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root = os.path.abspath(argv[0])
    emit_dir = None
    if len(argv) >= 3 and argv[1] == "--emit-run-scripts":
        emit_dir = argv[2]
        os.makedirs(emit_dir, exist_ok=True)
    wf_dir = os.path.join(root, ".github/workflows")
    files = sorted(os.path.join(wf_dir, f) for f in os.listdir(wf_dir) if f.endswith((".yml", ".yaml"))) if os.path.isdir(wf_dir) else []
    if not files:
        problem(".github/workflows", "no workflow files")
    scripts_seen, workflow_scripts = set(), set()
    for path in files:
        with open(path, encoding="utf-8") as f:
            try:
                wf = yaml.safe_load(f)
            except yaml.YAMLError as e:
                problem(rel(root, path), f"invalid YAML: {e}")
                continue
        check_pins(root, path)
        check_workflow(root, path, wf, scripts_seen, emit_dir, workflow_scripts)
    if files and TEST_SCRIPT not in workflow_scripts:
        problem(".github/workflows", f"no workflow runs {TEST_SCRIPT} (the README's test command)")
    # The scripts the workflows call, and .ci/run's, checked the same way.
    done = set()
    for s in sorted(scripts_seen):
        if s.startswith((".ci/", ".github/")):
            check_script_file(root, s, scripts_seen, done)
    if os.path.isfile(os.path.join(root, ".ci/run")):
        check_script_file(root, ".ci/run", scripts_seen, done)
    check_readme_and_ci_run(root)
    check_dependabot(root)
    if emit_dir:
        with open(os.path.join(emit_dir, "scripts.txt"), "w", encoding="utf-8") as f:
            for s in sorted(scripts_seen | done):
                if s.endswith(".sh") or s.startswith(".ci/"):
                    f.write(s + "\n")
    for p in PROBLEMS:
        print(p)
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
