"""What dlint knows about base images (data in ``data/images.json``) and what a Dockerfile's stack is.

The stack (Python, Node, Java, Go static or cgo, C/C++/Rust, ...) is read from the whole file: the
command the image runs, the base images of every stage, packages installed, build commands, and the
stages the production stage copies from.
"""
from __future__ import annotations

import fnmatch
import os
import re
from functools import lru_cache

from ._records import dataclass
from ._regex import lazy_compile
from .data import load_json
from .stages import ImageRef, StageGraph
from .syntax import Instruction, Stage

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Iterable, List, Optional, Sequence, Tuple


@lru_cache(maxsize=1)
def catalogue() -> dict:
    return load_json("images.json")


def _glob(patterns: Iterable[str], text: str) -> bool:
    t = text.lower()
    return any(fnmatch.fnmatchcase(t, p.lower()) for p in patterns)


def _path_suffixes(path: str) -> List[str]:
    parts = path.lower().split("/")
    return ["/".join(parts[i:]) for i in range(len(parts))]


def is_distroless(ref: ImageRef) -> bool:
    return any(ref.repository.startswith(p) for p in catalogue()["distroless"]["prefixes"])


def is_minimal(ref: ImageRef) -> bool:
    """Distroless, Chainguard, Wolfi, hardened or chiseled images: already as small as a base gets."""
    m = catalogue()["minimal"]
    if _glob(m["repositories"], ref.repository):
        return True
    tag = (ref.tag or "").lower()
    return any(marker in tag for marker in m["tag_markers"])


def is_development_image(ref: ImageRef) -> bool:
    return _glob(catalogue()["development"]["repositories"], ref.repository)


def family(ref: ImageRef) -> Optional[Tuple[str, str]]:
    """``(category, family)`` for full OS and language images, e.g. ``("python", "python")``."""
    fams = catalogue()["families"]
    suffixes = _path_suffixes(ref.path)
    for category, names in fams.items():
        if category == "comment":
            continue
        for name in names:
            if ("/" in name and name in suffixes) or ("/" not in name and suffixes[-1] == name):
                return category, name
    return None


def is_shellless(ref: ImageRef) -> bool:
    """True when the image is known to have no /bin/sh (distroless without a debug tag, Chainguard
    standard images, chiseled images). Unknown images are assumed to have a shell."""
    data = catalogue()["shellless"]
    tag = (ref.tag or "latest").lower()
    if is_distroless(ref):
        return not _glob(data["distroless_shell_tags"], tag)
    if _glob(data["chainguard_repositories"], ref.repository):
        if any(m in tag for m in data["chainguard_shell_tag_markers"]):
            return False
        if _glob(data["chainguard_with_shell"], ref.name):
            return False
        return ref.name in data["chainguard_without_shell"]
    if any(m in tag for m in data["other_tag_markers"]):
        return True
    return _glob(data["other_repositories"], ref.repository) if data["other_repositories"] else False


def default_entrypoint(ref: ImageRef) -> Optional[str]:
    """The interpreter a shell-less image's own ENTRYPOINT runs, if any."""
    for pattern, interpreter in catalogue()["default_entrypoints"].items():
        if pattern != "comment" and fnmatch.fnmatchcase(ref.repository, pattern):
            return interpreter
    return None


def moving_tags_only(ref: ImageRef) -> bool:
    return _glob(catalogue()["moving_tag_only"]["repositories"], ref.repository)


def example_tag(ref: ImageRef) -> Optional[str]:
    """A version tag to show for Docker Hub's official images (``python``, not ``someone/python``)."""
    if ref.registry is not None or "/" in ref.path:
        return None
    return catalogue()["example_tags"].get(ref.path)


def is_toolchain_package(name: str) -> bool:
    data = catalogue()["toolchain"]
    n = _package_name(name)
    if not n or _glob(data["not_toolchain"], n):
        return False
    return n in data["packages"] or _glob(data["package_patterns"], n)


def _package_name(spec: str) -> str:
    """``libpq-dev=13.*`` -> ``libpq-dev``; ``gcc:amd64`` -> ``gcc``; ``build-base~=0.5`` -> ``build-base``."""
    s = spec.strip().lower()
    s = re.split(r"[=<>~]", s, maxsplit=1)[0]
    s = s.split(":", 1)[0]
    return s


# ---------------------------------------------------------------------------------------------- stack

@dataclass
class Stack:
    kind: str  # a key of ``recommendations``: python, node, java, go-static, go-cgo, native, static, ...
    version: Optional[str]  # language version the file uses, when it shows one
    evidence: str  # why: "CMD runs gunicorn", "base image node:20", ...


@dataclass
class Recommendation:
    image: str
    runtime: str
    how: str
    note: str = ""


_COMMAND_STACKS = [
    (lazy_compile(r"(python[0-9.]*|pypy3?|gunicorn|uvicorn|hypercorn|daphne|celery|flask|django-admin|streamlit|"
                r"uwsgi|waitress-serve|pipenv|poetry|uv|fastapi|rq|dramatiq|huey_consumer|jupyter|airflow)\Z"), "python"),
    (lazy_compile(r"(node|nodejs|npm|npx|yarn|pnpm|next|nodemon|pm2|pm2-runtime|ts-node|tsx|nuxt|remix-serve)\Z"), "node"),
    (lazy_compile(r"(java|catalina\.sh|jshell)\Z"), "java"),
    (lazy_compile(r"(ruby|bundle|bundler|rails|puma|unicorn|rackup|sidekiq|rake|thin|passenger)\Z"), "ruby"),
    (lazy_compile(r"(php[0-9.]*|php-fpm[0-9.]*|apache2-foreground|frankenphp|artisan|composer)\Z"), "php"),
    (lazy_compile(r"dotnet\Z"), "dotnet"),
    (lazy_compile(r"(mix|elixir|iex|erl|rebar3|perl|rscript|r|julia|swift|dart|crystal|bun|deno|lua|luajit)\Z"), "other"),
]
_LANG_PACKAGES = [
    (lazy_compile(r"(python3?(\.\d+)?|python3?-(pip|venv|minimal)|py3-pip|pip)\Z"), "python"),
    (lazy_compile(r"(nodejs|npm|yarn|nodejs-current)\Z"), "node"),
    (lazy_compile(r"(default-jre(-headless)?|openjdk-?\d*(-jre|-jdk)?(-headless)?|java-\d+-openjdk(-headless|-devel)?|"
                r"temurin-\d+-(jre|jdk)|openjdk\d+(-jre)?)\Z"), "java"),
    (lazy_compile(r"(ruby(\d[\d.]*)?|ruby-full)\Z"), "ruby"),
    (lazy_compile(r"(php(\d[\d.]*)?(-cli|-fpm)?)\Z"), "php"),
    (lazy_compile(r"(golang(-go)?|go)\Z"), "go"),
    (lazy_compile(r"(rustc|cargo)\Z"), "native"),
]
_MANAGER_STACKS = {"pip": "python", "uv": "python", "conda": "python", "npm": "node", "yarn": "node",
                   "pnpm": "node", "gem": "ruby", "go": "go", "cargo": "native"}
_BUILD_COMMANDS = [
    (lazy_compile(r"go\Z"), ("build", "install"), "go"),
    (lazy_compile(r"cargo\Z"), ("build", "install"), "native"),
    (lazy_compile(r"(mvn|mvnw|gradle|gradlew|\./mvnw|\./gradlew)\Z"), None, "java"),
    (lazy_compile(r"dotnet\Z"), ("publish", "build"), "dotnet"),
    (lazy_compile(r"(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|cmake|make|ninja|meson)\Z"), None, "native"),
]
# Written so that no stretch of text is scanned again from each of its positions (linear on long lines).
_CGO_OFF = lazy_compile(r"\bCGO_ENABLED(?:\s*=|[^\S ]* )\s*[\"']?0\b")
_STATIC_LDFLAGS = lazy_compile(r"-extldflags(?:[= ]*[\"']+)?(?:(?!-extldflags)[^\"'])*-static\b")


def _basename(word: Optional[str]) -> str:
    return (word or "").rsplit("/", 1)[-1].lower()


def runtime_argv(ctx, stage_index: int) -> Tuple[Optional[Instruction], Optional[Instruction]]:
    """The ENTRYPOINT and CMD in force for a stage (searched along its FROM chain)."""
    entry = cmd = None
    for idx in ctx.graph.chain(stage_index):
        st = ctx.graph.stages[idx]
        for ins in reversed(st.instructions):
            if ins.name == "ENTRYPOINT" and entry is None:
                entry = ins
            if ins.name == "CMD" and cmd is None:
                cmd = ins
        if entry is not None and cmd is not None:
            break
    return entry, cmd


def command_names(ctx, ins: Instruction) -> List[str]:
    """Basenames of the commands an ENTRYPOINT/CMD runs, in order."""
    script = ctx.script(ins)
    if script is None:
        return []
    names = []
    for c in script.commands:
        words = [w.value for w in c.words]
        while words and _basename(words[0]) in ("exec", "env", "nohup", "tini", "dumb-init", "gosu", "su-exec",
                                                "--", "sudo", "chpst"):
            words = words[1:]
            while words and words[0] and words[0].startswith("-"):
                words = words[1:]
        if words and words[0]:
            names.append(_basename(words[0]))
            if _basename(words[0]) in ("python", "python3") and len(words) > 2 and words[1] == "-m":
                names.append(_basename(words[2]))
    return names


def _stack_of_command(name: str) -> Optional[str]:
    for rx, stack in _COMMAND_STACKS:
        if rx.match(name):
            return stack
    return None


def _stage_signals(ctx, st: Stage) -> List[Tuple[str, str]]:
    """(stack, evidence) from one stage's own base, packages and build commands, strongest first."""
    out: List[Tuple[str, str]] = []
    graph: StageGraph = ctx.graph
    base = graph.root_base(st.index)
    if base.ref is not None:
        fam = family(base.ref)
        if fam is not None and fam[0] != "os":
            out.append((fam[0], f"base image `{base.image}`"))
    for run in ctx.runs(st):
        script = ctx.script(run)
        for call in ctx.calls(run):
            if call.kind != "install":
                continue
            if call.manager in _MANAGER_STACKS:
                out.append((_MANAGER_STACKS[call.manager], f"`{call.tool} {call.subcommand}` on line {run.line}"))
                continue
            for pkg in call.packages:
                name = _package_name(pkg)
                for rx, stack in _LANG_PACKAGES:
                    if rx.match(name):
                        out.append((stack, f"package `{name}` installed on line {run.line}"))
                        break
        if script is None:
            continue
        for c in script.commands:
            words = [w.value for w in c.words]
            if not words or not words[0]:
                continue
            name = _basename(words[0])
            for rx, subs, stack in _BUILD_COMMANDS:
                if rx.match(name) and (subs is None or (len(words) > 1 and words[1] in subs)):
                    out.append((stack, f"`{' '.join(w or '…' for w in words[:2])}` on line {run.line}"))
                    break
    return out


def _version_from_tag(category: str, ref: ImageRef) -> Optional[str]:
    tag = (ref.tag or "").lower()
    if category == "python":
        m = re.match(r"(\d+\.\d+)", tag)
        return m.group(1) if m else None
    if category == "node":
        m = re.match(r"(\d+)", tag)
        return m.group(1) if m else None
    if category == "java":
        m = re.search(r"(?:temurin|openjdk|jdk|jre|corretto|java|zulu|semeru|liberica)-?(\d+)", tag)
        if m:
            return m.group(1)
        if ref.name in ("openjdk", "eclipse-temurin", "amazoncorretto", "ibm-semeru-runtimes", "sapmachine", "zulu-openjdk"):
            m = re.match(r"(\d+)", tag)
            return m.group(1) if m else None
        return None
    if category == "dotnet":
        m = re.match(r"(\d+\.\d+)", tag)
        return m.group(1) if m else None
    return None


def _detect_version(ctx, category: str, order: Sequence[int]) -> Optional[str]:
    for idx in order:
        base = ctx.graph.root_base(idx)
        if base.ref is None:
            continue
        fam = family(base.ref)
        if fam is not None and fam[0] == category:
            v = _version_from_tag(category, base.ref)
            if v:
                return v
    if category == "java":
        for idx in order:
            for run in ctx.runs(ctx.graph.stages[idx]):
                for call in ctx.calls(run):
                    for pkg in call.packages:
                        m = re.match(r"(?:openjdk-?|java-|temurin-)(\d+)", _package_name(pkg))
                        if m and m.group(1) != "1":
                            return m.group(1)
    return None


def _go_static(ctx) -> bool:
    """Whether the Go build in this file makes a static binary (cgo off)."""
    doc = ctx.doc
    for ins in doc.instructions:
        target = ins.inner or ins
        if target.name in ("ENV", "ARG", "RUN") and (_CGO_OFF.search(target.logical) or _STATIC_LDFLAGS.search(target.logical)):
            return True
    # Go disables cgo by itself where there is no C compiler: golang:*-alpine without gcc/build-base.
    for st in ctx.stages:
        base = ctx.graph.root_base(st.index)
        if base.ref is None or base.ref.name != "golang" or "alpine" not in (base.ref.tag or ""):
            continue
        builds = any(c.manager == "go" for r in ctx.runs(st) for c in ctx.calls(r)) or any(
            re.search(r"\bgo\s+(build|install)\b", r.logical) for r in ctx.runs(st))
        installs_cc = any(_package_name(p) in ("gcc", "build-base", "musl-dev", "clang")
                          for idx in ctx.graph.chain(st.index) for r in ctx.runs(ctx.graph.stages[idx])
                          for c in ctx.calls(r) for p in c.packages)
        if builds and not installs_cc:
            return True
    return False


def _rust_static(ctx) -> bool:
    for ins in ctx.doc.instructions:
        if ins.name in ("RUN", "ENV", "ARG") and "musl" in ins.logical and ("cargo" in ins.logical or "rust" in ins.logical
                                                                           or "TARGET" in ins.logical):
            return True
    return False


def detect_stack(ctx, production: int) -> Stack:
    """The application stack the production stage runs, read from the whole file."""
    graph: StageGraph = ctx.graph
    chain = graph.chain(production)
    candidates: List[Tuple[str, str]] = []
    # 1. What the image runs.
    entry, cmd = runtime_argv(ctx, production)
    for ins in (entry, cmd):
        if ins is None:
            continue
        for name in command_names(ctx, ins):
            stack = _stack_of_command(name)
            if stack:
                candidates.append((stack, f"{ins.name} on line {ins.line} runs `{name}`"))
                break
        if candidates:
            break
    # 2. The production stage itself (and the stages it builds on).
    if not candidates:
        for idx in chain:
            candidates.extend(_stage_signals(ctx, graph.stages[idx]))
    # 3. The stages whose files it copies.
    if not candidates:
        seen = set(chain)
        for idx in chain:
            for ins, src, text in graph.copy_sources(graph.stages[idx]):
                if src is None or src in seen:
                    continue
                seen.add(src)
                for sub in graph.chain(src):
                    candidates.extend((s, f"{e} in stage `{graph.stages[src].alias or src}` copied on line {ins.line}")
                                      for s, e in _stage_signals(ctx, graph.stages[sub]))
    # 4. Anything in the file.
    if not candidates:
        for st in ctx.stages:
            if st.index not in chain:
                candidates.extend(_stage_signals(ctx, st))
    if not candidates:
        return Stack("other", None, "")
    kind, evidence = candidates[0]
    order = chain + [s.index for s in ctx.stages if s.index not in chain]
    version = _detect_version(ctx, kind, order) if kind in ("python", "node", "java", "dotnet") else None
    if kind == "go":
        kind = "go-static" if _go_static(ctx) else "go-cgo"
    elif kind == "native" and _rust_static(ctx):
        kind = "static"
    return Stack(kind, version, evidence)


def _pick_version(versions: List[str], wanted: Optional[str], default: str) -> str:
    if wanted is None:
        return default

    def key(v: str) -> Tuple[int, ...]:
        return tuple(int(p) for p in re.findall(r"\d+", v))

    if wanted in versions:
        return wanted
    newer = [v for v in versions if key(v) >= key(wanted)]
    return min(newer, key=key) if newer else max(versions, key=key)


def recommend(stack: Stack) -> Recommendation:
    data = catalogue()["recommendations"]
    spec = data.get(stack.kind) or data["other"]
    note = ""
    if "versions" in spec:
        version = _pick_version(spec["versions"], stack.version, spec["default"])
        image = spec["image"].format(version=version)
        runtime = spec["runtime"].format(version=version)
        if stack.version and stack.version != version:
            note = f"the file uses {spec['runtime'].format(version=stack.version)}"
    else:
        image, runtime = spec["image"], spec["runtime"]
        if stack.kind == "python" and stack.version and stack.version != spec["version"]:
            note = f"the file uses Python {stack.version}: rebuild its packages with {spec['version']}"
    return Recommendation(image, runtime, spec["how"], note)


# ------------------------------------------------------------------------------------ file purpose

_ENV_DIRS = {".devcontainer", "devcontainer", ".devcontainers", ".github", ".gitlab", ".circleci", ".ci", "ci",
             "dev", "devel", "development", "test", "tests", "testing", "e2e", "integration-tests"}
_ENV_NAME = lazy_compile(r"(?:^|[._-])(dev|devel|development|devcontainer|test|tests|testing|ci|e2e|dev-envs?)(?:$|[._-])")


@lru_cache(maxsize=None)
def _repository_root(directory: str) -> Optional[str]:
    """The nearest directory with a ``.git`` from ``directory`` up (each directory looked at once per run)."""
    if os.path.exists(os.path.join(directory, ".git")):
        return directory
    parent = os.path.dirname(directory)
    return None if parent == directory else _repository_root(parent)


def _project_path(path: str) -> str:
    """The path inside its repository (or below the working directory): directories above it say nothing."""
    if path in ("-", ""):
        return path
    full = os.path.abspath(path)
    root = _repository_root(os.path.dirname(full))
    if root is not None:
        return os.path.relpath(full, root)
    rel = os.path.relpath(full, os.getcwd())
    return "/".join(p for p in re.split(r"[\\/]", rel) if p not in ("..", "."))


def is_environment_stage(ctx, production: int) -> bool:
    """A production stage named for development, tests or debugging (``dev``, ``dev-envs``, ``test``, ...)."""
    graph: StageGraph = ctx.graph
    for idx in graph.chain(production):
        alias = graph.stages[idx].alias
        if alias and (_ENV_NAME.search(alias.lower()) or alias.lower() in ("debug", "debugger", "local")):
            return True
    return False


def is_environment_path(path: str) -> bool:
    """Dockerfiles for development containers, CI jobs and tests: their images are not shipped."""
    # `__` also separates directories in flattened file names (owner__repo__dir__Dockerfile).
    parts = [p for p in re.split(r"[\\/]|__", _project_path(path)) if p]
    if not parts:
        return False
    if any(p.lower() in _ENV_DIRS for p in parts[:-1]):
        return True
    name = parts[-1].lower()
    stripped = re.sub(r"(?i)dockerfile|containerfile", "", name)
    return bool(_ENV_NAME.search(stripped))


_INTERACTIVE = lazy_compile(r"(sh|bash|ash|dash|zsh|fish|ksh|pwsh|powershell|cmd|python[0-9.]*|ipython3?|node|irb|jshell|"
                          r"php|iex|erl|ghci|julia|r|scala|groovysh|bun|deno)\Z")
_INTERACTIVE_FLAGS = {"-i", "-l", "--login", "-il", "-li", "-a"}


def _argv(ins: Instruction) -> List[str]:
    if ins.json is not None:
        return list(ins.json)
    return ins.command.split()


def is_application_image(ctx, production: int) -> bool:
    """False for images that run no application of their own: base images for other builds (ONBUILD, or a
    shell/REPL as the command) and tool environments that keep their base's default command."""
    graph: StageGraph = ctx.graph
    chain = graph.chain(production)
    for idx in chain:
        if any(i.name == "ONBUILD" for i in graph.stages[idx].instructions):
            return False
    entry, cmd = runtime_argv(ctx, production)
    if entry is None and cmd is None:
        base = graph.root_base(production)
        if base.ref is None:
            return True
        tag = (base.ref.tag or "").lower()
        # Bases whose own default command is a server run the application they are given.
        return base.ref.name in ("tomcat", "jetty", "wildfly", "payara", "open-liberty", "websphere-liberty") or (
            base.ref.name == "php" and ("apache" in tag or "fpm" in tag))
    argv: List[str] = []
    if entry is not None:
        argv = _unwrapped(_argv(entry))
        if len(argv) <= 1 and (not argv or "entrypoint" in _basename(argv[0])) and cmd is not None:
            argv = _argv(cmd)
    elif cmd is not None:
        argv = _argv(cmd)
    words = [w for w in argv if w not in _INTERACTIVE_FLAGS]
    if len(words) == 1 and _INTERACTIVE.match(_basename(words[0].strip("\"'"))):
        return False
    # A command that builds something makes this a build environment, not an application.
    for ins in (entry, cmd):
        if ins is not None and any(_BUILDERS.match(n) for n in command_names(ctx, ins)):
            return False
    return True


_BUILDERS = lazy_compile(r"(make|gmake|cmake|ninja|meson|rpmbuild|dpkg-buildpackage|debuild|mock|mvn|mvnw|gradle|gradlew|"
                       r"bazel|bazelisk|scons|autoreconf|configure|build\.sh|build)\Z")


_SHELL_NAMES = lazy_compile(r"(sh|bash|ash|dash|zsh|ksh)\Z")
_SHELL_FEATURES = lazy_compile(r"[$`|&;<>(){}*?~\\'\"]|\[")


_INIT_WRAPPERS = ("tini", "tini-static", "dumb-init", "catatonit", "s6-svscan", "gosu", "su-exec", "chpst", "env")


def _unwrapped(argv: List[str]) -> List[str]:
    """The argv after init wrappers and their options: ``tini -- app`` is ``app``."""
    words = list(argv)
    while words and _basename(words[0]) in _INIT_WRAPPERS:
        words = words[1:]
        while words and (words[0].startswith("-") or "=" in words[0]):
            words = words[1:]
    return words


def runtime_needs_shell(ctx, production: int) -> Optional[Instruction]:
    """The ENTRYPOINT/CMD that relies on a shell at run time (a shell script, by extension or by the
    ``*entrypoint*`` naming convention, ``sh -c``, or shell form with shell syntax), if any: an image that
    runs its shell does use it."""
    entry, cmd = runtime_argv(ctx, production)
    for ins in (entry, cmd):
        if ins is None:
            continue
        if ins.json is None:
            if _SHELL_FEATURES.search(ins.command):
                return ins
            argv = ins.command.split()
        else:
            argv = list(ins.json)
        argv = _unwrapped(argv)
        if not argv:
            continue
        name = _basename(argv[0])
        if _SHELL_NAMES.match(name) or name.endswith((".sh", ".bash")) or "entrypoint" in name:
            return ins
        if ins is entry:
            break  # CMD only supplies arguments to a program
    return None
