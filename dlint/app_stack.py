"""The application stack an image runs (Python, Node, Java, Go static or cgo, C/C++/Rust, ...) and the
language version the file uses, read from the whole file: the command the image runs, the base images of
every stage, packages installed, build commands, and the stages the production stage copies from."""
from __future__ import annotations

import re

from ._dataclass import dataclass
from ._regex import lazy_compile
from .base_images import distro_release, family, package_name
from .installed_packages import OS_MANAGERS, removed_names
from .shell import program_name
from .stages import ImageRef
from .startup_command import command_names, runtime_argv
from .syntax import Stage

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Sequence, Tuple

    from .context import Context
    from .stages import StageGraph


@dataclass
class Stack:
    kind: str  # a key of ``recommendations``: python, node, java, go-static, go-cgo, native, static, ...
    version: Optional[str]  # language version the file uses, when it shows one
    evidence: str  # why: "CMD runs gunicorn", "base image node:20", ...


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
LANGUAGE_PACKAGES = [
    (lazy_compile(r"(python3?(\.\d+)?|python3?-(pip|venv|minimal)|py3-pip|pip)\Z"), "python"),
    (lazy_compile(r"(nodejs|npm|yarn|nodejs-current)\Z"), "node"),
    (lazy_compile(r"(default-jre(-headless)?|openjdk-?\d*(-jre|-jdk)?(-headless)?|java-\d+-openjdk(-headless|-devel)?|"
                r"temurin-\d+-(jre|jdk)|openjdk\d+(-jre)?)\Z"), "java"),
    (lazy_compile(r"(ruby(\d[\d.]*)?|ruby-full)\Z"), "ruby"),
    (lazy_compile(r"(php(\d[\d.]*)?(-cli|-fpm)?)\Z"), "php"),
    (lazy_compile(r"(golang(-go)?|go)\Z"), "go"),
    (lazy_compile(r"(rustc|cargo)\Z"), "native"),
]
MANAGER_STACKS = {"pip": "python", "uv": "python", "conda": "python", "npm": "node", "yarn": "node",
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


def _stack_of_command(name: str) -> Optional[str]:
    for rx, stack in _COMMAND_STACKS:
        if rx.match(name):
            return stack
    return None


def _stage_signals(ctx: Context, st: Stage) -> List[Tuple[str, str]]:
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
        removed, _ = removed_names(ctx.calls(run))
        # A language removed again in the same RUN served the build only (pip3 for docs, then purged).
        gone = {stack for name in removed for rx, stack in LANGUAGE_PACKAGES if rx.match(name)}
        for call in ctx.calls(run):
            if call.kind != "install":
                continue
            if call.manager in MANAGER_STACKS:
                if MANAGER_STACKS[call.manager] in gone:
                    continue
                out.append((MANAGER_STACKS[call.manager], f"`{call.tool} {call.subcommand}` on line {run.line}"))
                continue
            for pkg in call.packages:
                name = package_name(pkg)
                if name in removed:
                    continue  # installed for the build and removed again: not what the image runs
                for rx, stack in LANGUAGE_PACKAGES:
                    if rx.match(name):
                        out.append((stack, f"package `{name}` installed on line {run.line}"))
                        break
        if script is None:
            continue
        for c in script.commands:
            words = [w.value for w in c.words]
            if not words or not words[0]:
                continue
            name = program_name(words[0])
            for rx, subs, stack in _BUILD_COMMANDS:
                if rx.match(name) and (subs is None or (len(words) > 1 and words[1] in subs)):
                    out.append((stack, f"`{' '.join(w or '…' for w in words[:2])}` on line {run.line}"))
                    break
    return out


def _version_from_tag(category: str, ref: ImageRef) -> Optional[str]:
    tag = (ref.tag or "").lower()
    if category == "python":
        m = re.match(r"(\d+\.\d+|2)(?![\d.])", tag) or re.match(r"(\d+\.\d+)", tag)
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
    if category in ("dotnet", "ruby"):
        m = re.match(r"(\d+\.\d+)", tag)
        return m.group(1) if m else None
    return None


# Distribution packages that name their Python: python3.11, python2.7, python2; `python`, `python-pip`,
# `python-dev` are Python 2 on the distributions that still have them.
_PYTHON_PACKAGE_VERSION = lazy_compile(r"python(3\.\d+|2(?:\.\d+)?)?(?:-(?:pip|dev|minimal|setuptools|virtualenv))?\Z")


def _detect_version(ctx: Context, category: str, order: Sequence[int]) -> Optional[str]:
    for idx in order:
        base = ctx.graph.root_base(idx)
        if base.ref is None:
            continue
        fam = family(base.ref)
        if fam is not None and fam[0] == category:
            v = _version_from_tag(category, base.ref)
            if v:
                return v
    declared = _declared_version(ctx, category, order)
    if declared:
        return declared
    packaged = _distro_packaged_version(ctx, category, order)
    if packaged:
        return packaged
    if category == "python":
        for idx in order:
            for run in ctx.runs(ctx.graph.stages[idx]):
                for call in ctx.calls(run):
                    for pkg in call.packages:
                        name = package_name(pkg)
                        m = _PYTHON_PACKAGE_VERSION.match(name)
                        if m and call.manager in OS_MANAGERS and (m.group(1) or call.manager in ("apt", "apk")):
                            return m.group(1) or "2"
    if category == "java":
        for idx in order:
            for run in ctx.runs(ctx.graph.stages[idx]):
                for call in ctx.calls(run):
                    for pkg in call.packages:
                        m = re.match(r"(?:openjdk-?|java-|temurin-)(\d+)", package_name(pkg))
                        if m and m.group(1) != "1":
                            return m.group(1)
    return None


_VERSION_VARIABLES = {"python": ("PYTHON_VERSION", "PYTHON_VER", "PY_VERSION"),
                      "ruby": ("RUBY_VERSION", "RUBY_MAJOR", "RUBY_VER"),
                      "java": ("JAVA_VERSION", "JDK_VERSION", "JRE_VERSION", "JAVA_MAJOR_VERSION", "OPENJDK_VERSION"),
                      "node": ("NODE_VERSION", "NODEJS_VERSION", "NODE_MAJOR", "NODE_VER")}


def _version_of(category: str, value: str) -> Optional[str]:
    """The language version a variable's value names: ``3.6.5`` -> ``3.6``; Java ``1.8.0_252``, ``8u292``,
    ``jdk-17.0.2+8`` -> ``8``, ``8``, ``17``; Node ``v14.17.0`` -> ``14``."""
    v = value.strip("\"'").lower()
    if category == "java":
        m = re.match(r"(?:jdk-?|openjdk-?|jre-?)?1\.(\d+)", v) or re.match(r"(?:jdk-?|openjdk-?|jre-?)?(\d+)", v)
        return m.group(1) if m else None
    if category == "node":
        m = re.match(r"v?(\d+)", v)
        return m.group(1) if m else None
    m = re.match(r"(\d+\.\d+)", v)
    return m.group(1) if m else None


def _declared_version(ctx: Context, category: str, order: Sequence[int]) -> Optional[str]:
    """A version named by ENV or ARG (``JAVA_VERSION``, ``PYTHON_VERSION``, ``RUBY_VERSION``,
    ``NODE_VERSION``) in the stages, nearest first."""
    names = _VERSION_VARIABLES.get(category, ())
    for idx in order:
        for ins in ctx.graph.stages[idx].instructions:
            if ins.name not in ("ENV", "ARG"):
                continue
            words = ins.args.split()
            if len(words) >= 2 and "=" not in words[0]:
                pairs = [(words[0], words[1])]
            else:
                pairs = [tuple(w.split("=", 1)) for w in words if "=" in w]
            for name, value in pairs:
                if name.upper() in names and "$" not in value:
                    version = _version_of(category, value)
                    if version:
                        return version
    return None


# Packages that install a distribution's own default runtime of each language.
_DISTRO_RUNTIME_PACKAGES = {
    "python": lazy_compile(r"python3(-(pip|venv|dev|minimal|setuptools|distutils|full))?\Z"),
    "ruby": lazy_compile(r"(ruby|ruby-full|ruby-dev|rubygems)\Z"),
    "java": lazy_compile(r"default-(jre|jdk)(-headless)?\Z"),
    "node": lazy_compile(r"(nodejs|npm)\Z"),
}


def _distro_packaged_version(ctx: Context, category: str, order: Sequence[int]) -> Optional[str]:
    """The version of a language runtime installed from the packages of a known Debian or Ubuntu release
    (``apt-get install python3`` on ``ubuntu:16.04`` is Python 3.5)."""
    rx = _DISTRO_RUNTIME_PACKAGES.get(category)
    if rx is None:
        return None
    for idx in order:
        base = ctx.graph.root_base(idx)
        if base.ref is None:
            continue
        release = distro_release(base.ref)
        if release is None or category not in release:
            continue
        for run in ctx.runs(ctx.graph.stages[idx]):
            for call in ctx.calls(run):
                if call.manager == "apt" and call.kind == "install" and any(
                        rx.match(package_name(p)) for p in call.packages if p):
                    return release[category]
    return None


def _go_static(ctx: Context) -> bool:
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
        installs_cc = any(package_name(p) in ("gcc", "build-base", "musl-dev", "clang")
                          for idx in ctx.graph.chain(st.index) for r in ctx.runs(ctx.graph.stages[idx])
                          for c in ctx.calls(r) for p in c.packages)
        if builds and not installs_cc:
            return True
    return False


def _rust_static(ctx: Context) -> bool:
    for ins in ctx.doc.instructions:
        if ins.name in ("RUN", "ENV", "ARG") and "musl" in ins.logical and ("cargo" in ins.logical or "rust" in ins.logical
                                                                           or "TARGET" in ins.logical):
            return True
    return False


def detect_stack(ctx: Context, production: int) -> Stack:
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
        return Stack("binary", None, "")
    kind, evidence = candidates[0]
    order = chain + [s.index for s in ctx.stages if s.index not in chain]
    version = _detect_version(ctx, kind, order) if kind in ("python", "node", "java", "dotnet", "ruby") else None
    if kind == "go":
        kind = "go-static" if _go_static(ctx) else "go-cgo"
    elif kind == "native" and _rust_static(ctx):
        kind = "static"
    return Stack(kind, version, evidence)
