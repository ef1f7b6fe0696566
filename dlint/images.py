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


def no_distroless_equivalent(ref: ImageRef) -> bool:
    """Servers the application is deployed into, PHP, conda, function hosts, Windows: no distroless image
    runs what they run."""
    data = catalogue()["no_distroless_equivalent"]
    if _glob(data["repositories"], ref.repository) or _glob(data["repositories"], ref.path):
        return True
    return is_windows_ref(ref)


def is_windows_ref(ref: ImageRef) -> bool:
    data = catalogue()["no_distroless_equivalent"]
    text = f"{ref.path}:{ref.tag or ''}".lower()
    return "windows" in ref.path or any(m in text for m in data["windows_tag_markers"])


def is_windows_stage(ctx, index: int) -> bool:
    """A stage built on a Windows image, or written for one (backtick escape, PowerShell or cmd as SHELL)."""
    graph: StageGraph = ctx.graph
    base = graph.root_base(index)
    if base.ref is not None and is_windows_ref(base.ref):
        return True
    if ctx.doc.escape == "`":
        return True
    return any(ins.name == "SHELL" and ins.json and program_name(ins.json[0]).replace("\\", "/").rsplit("/", 1)[-1]
               in ("powershell", "powershell.exe", "pwsh", "pwsh.exe", "cmd", "cmd.exe")
               for idx in graph.chain(index) for ins in graph.stages[idx].instructions)


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


_ARCHITECTURES = {"arm32", "arm64", "amd64", "x86", "x64", "i386", "i686", "ppc64", "s390", "aarch64", "armv7",
                  "armv6", "armv8", "win32", "win64"}


def version_in_name(ref: ImageRef) -> bool:
    """Repositories named for one version (``ubi9-minimal``, ``rhel8``, ``centos/ruby-25-centos7``,
    ``python38``): their ``latest`` is that version's newest build, as ``alpine:3`` is, which is a pin by
    version. A word of the name that is a number, or letters ending in a number (not an architecture such
    as ``arm64``), names the version."""
    if _glob(catalogue()["major_version_in_name"]["repositories"], ref.path):
        return True
    name = ref.path.rsplit("/", 1)[-1].lower()
    for word in name.replace("_", "-").replace(".", "-").split("-"):
        letters = word.rstrip("0123456789")
        if letters != word and word not in _ARCHITECTURES and (not letters or letters.isalpha()):
            return True
    return False


def rolling_release(ref: ImageRef) -> bool:
    """Rolling-release distributions (Arch Linux, Kali rolling, openSUSE Tumbleweed...): no version to pin."""
    return _glob(catalogue()["rolling_releases"]["repositories"], ref.repository) or _glob(
        catalogue()["rolling_releases"]["repositories"], ref.path)


def moving_tags_only(ref: ImageRef) -> bool:
    return _glob(catalogue()["moving_tag_only"]["repositories"], ref.repository)


def example_tag(ref: ImageRef) -> Optional[str]:
    """A version tag to show for Docker Hub's official images (``python``, not ``someone/python``)."""
    if ref.registry is not None or "/" in ref.path:
        return None
    return catalogue()["example_tags"].get(ref.path)


def is_toolchain_base(ref: ImageRef) -> bool:
    """Images that hold a full C toolchain before a file adds anything (``python:3.12``, ``node:20``,
    ``ruby:3.3``, ``buildpack-deps``, ``gcc``, ``golang``, S2I builders, GDAL); not their slim or Alpine tags."""
    data = catalogue()["toolchain_bases"]
    if not (_glob(data["repositories"], ref.repository) or _glob(data["repositories"], ref.path)):
        return False
    tag = (ref.tag or "").lower()
    return not any(m in tag for m in data["lean_tag_markers"])


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


# ------------------------------------------------------------------------------- OS package installs

def _removed_names(calls) -> Tuple[set, bool]:
    """Package names removed by these calls, and whether some removal names packages we cannot read."""
    names, unknown = set(), False
    for c in calls:
        if c.kind != "remove":
            continue
        for p in c.packages:
            if not p or "$" in p:
                unknown = True
            names.add(_package_name(p))
        if not c.packages:
            unknown = True
    return names, unknown


def _virtual_name(call) -> Optional[str]:
    """The group name of ``apk add --virtual NAME`` (``-t NAME``)."""
    opts = call.options
    for i, o in enumerate(opts):
        if o in ("-t", "--virtual") and i + 1 < len(opts):
            return _package_name(opts[i + 1])
        if o.startswith("--virtual="):
            return _package_name(o.split("=", 1)[1])
    return None


def _low_level_removals(ctx, run) -> Tuple[set, bool]:
    """Packages a RUN removes with ``rpm -e`` or ``dpkg -r``/``-P`` (below the package manager)."""
    script = ctx.script(run)
    names, unknown = set(), False
    for c in (script.commands if script is not None else ()):
        words = [w.value for w in c.words]
        if not words or not words[0]:
            continue
        tool = program_name(words[0])
        opts = [w for w in words[1:] if w and w.startswith("-")]
        if tool == "rpm":
            removing = any(o == "--erase" or (not o.startswith("--") and "e" in o[1:]) for o in opts)
        elif tool == "dpkg":
            removing = any(o in ("-r", "-P", "--remove", "--purge") for o in opts)
        else:
            continue
        if not removing:
            continue
        for w in words[1:]:
            if w is None or "$" in w:
                unknown = True
            elif not w.startswith("-"):
                names.add(_package_name(w))
    return names, unknown


def os_installs(ctx, stage, assume_kept=False):
    """``(run, call, packages, removed_later)`` for the system package installs of a stage whose packages
    outlive their RUN: packages removed again in the same RUN (or an ``apk --virtual`` group deleted there)
    are left out, and a RUN that removes packages it does not name is skipped (with ``assume_kept``, its
    packages count as kept). ``removed_later`` maps a package to the line of a later RUN that removes it
    (its layer still holds it)."""
    runs = ctx.runs(stage)
    for i, run in enumerate(runs):
        calls = ctx.calls(run)
        removed, unknown = _removed_names(calls)
        low_removed, low_unknown = _low_level_removals(ctx, run)
        removed |= low_removed
        unknown = unknown or low_unknown
        if unknown and not assume_kept:
            continue
        for call in calls:
            if call.manager not in _OS_MANAGERS or call.kind != "install":
                continue
            virtual = _virtual_name(call) if call.manager == "apk" else None
            if virtual is not None and virtual in removed:
                continue
            kept = [p for p in call.packages if p and _package_name(p) not in removed]
            if has_unreadable_packages(call):
                kept.append("$?")  # a package named by a variable: cannot be known
            if not kept:
                continue
            later = {}
            for other in runs[i + 1:]:
                names, _ = _removed_names(ctx.calls(other))
                names = names | _low_level_removals(ctx, other)[0]
                for p in kept:
                    if p not in later and (_package_name(p) in names or (virtual is not None and virtual in names)):
                        later[p] = other.line
            yield run, call, kept, later


def has_unreadable_packages(call) -> bool:
    """Whether a call names packages through expansions (``apk add $PACKAGES``) that cannot be read."""
    values = call.command.values()
    return any(v is None for v in values[1:])


_HEADER_PACKAGES = frozenset(("linux-headers", "kernel-headers"))


def is_header_package(name: str) -> bool:
    """Development headers (``*-dev``, ``*-devel``, libc headers): they also bring the unversioned ``.so``."""
    n = _package_name(name)
    return n in _HEADER_PACKAGES or (n.endswith(("-dev", "-devel")) and len(n) > 5)


_COMPILE_COMMANDS = lazy_compile(
    r"(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|make|gmake|cmake|configure|meson|ninja|cargo|rustc|phpize|"
    r"docker-php-ext-install|docker-php-ext-configure|pecl|cpanm|cpan|luarocks|node-gyp|python[0-9.]*|pip[0-9.]*|"
    r"gem|bundle|npm|yarn|pnpm|go|mvn|gradle|r|rscript|scons|bazel|swig)\Z")
_COMPILE_SUBCOMMANDS = {
    "python": ("setup.py", "-m"), "cargo": ("build", "install"), "go": ("build", "install", "get"),
    "npm": ("install", "ci", "i", "rebuild"), "yarn": ("install", "add", ""), "pnpm": ("install", "add", "i"),
    "gem": ("install",), "bundle": ("install",), "pip": ("install", "wheel"), "r": ("cmd",),
}


def compiles(ctx, production: int) -> bool:
    """Whether the stages that ship compile something: a compiler or build tool is installed there (even if
    removed again), or a RUN builds (``make``, ``./configure``, ``pip install``, ``npm ci``, ``go build``,
    ``docker-php-ext-install``, ...). Development headers are for compiling only then."""
    graph: StageGraph = ctx.graph
    for idx in graph.chain(production):
        for run in ctx.runs(graph.stages[idx]):
            for call in ctx.calls(run):
                if call.manager in _OS_MANAGERS and call.kind == "install" and any(
                        is_toolchain_package(p) and not is_header_package(p) for p in call.packages):
                    return True
            script = ctx.script(run)
            if script is None:
                continue
            for c in script.commands:
                words = [w.value for w in c.words]
                while words and words[0] and program_name(words[0]) in ("sudo", "env", "exec", "nice", "time"):
                    words = words[1:]
                if not words or not words[0]:
                    continue
                name = program_name(words[0])
                if not _COMPILE_COMMANDS.match(name):
                    continue
                stem = re.sub(r"[0-9.]+\Z", "", name) or name
                subs = _COMPILE_SUBCOMMANDS.get(stem)
                if subs is None:
                    return True
                sub = next((w.lower() for w in words[1:] if w and not w.startswith("-")), "")
                if sub in subs or (stem == "python" and "-m" in words[1:2] and len(words) > 2 and words[2] in ("pip", "build")):
                    return True
    return False


def runtime_packages(ctx, production: int, stack_kind: str) -> List[str]:
    """System packages the production stage keeps installed that a distroless image would lack: everything
    but what distroless has, fetch tools used only while building, compilers and build tools (a builder
    stage's job) and the language runtime the suggested image brings. Unreadable names count."""
    data = catalogue()["runtime_packages"]
    graph: StageGraph = ctx.graph
    entry, cmd = runtime_argv(ctx, production)
    used_at_run = " ".join(i.logical for idx in graph.chain(production) for i in graph.stages[idx].instructions
                           if i.name == "HEALTHCHECK")
    used_at_run += " " + " ".join(i.logical for i in (entry, cmd) if i is not None)
    used_words = {program_name(w.strip("\"'[],")) for w in used_at_run.split()}
    needs: List[str] = []
    for idx in graph.chain(production):
        for run in ctx.runs(graph.stages[idx]):
            script = ctx.script(run)
            for c in (script.commands if script is not None else ()):
                words = [w.value for w in c.words]
                if words and words[0] and program_name(words[0]) in data["install_wrappers"]:
                    needs.extend(w or "$?" for w in words[1:] if not (w or "-").startswith("-"))
        for run, call, kept, later in os_installs(ctx, graph.stages[idx], assume_kept=True):
            for pkg in kept:
                if pkg in later:
                    continue
                name = _package_name(pkg)
                if "$" in pkg or not name:
                    needs.append(pkg)
                    continue
                if name in data["provided"]:
                    continue
                if name in data["build_time"] and name not in used_words:
                    continue
                if is_toolchain_package(name) and not is_header_package(name):
                    continue
                if any(rx.match(name) and stack == _language_of(stack_kind) for rx, stack in _LANG_PACKAGES):
                    continue
                needs.append(name)
    return needs


def _language_of(stack_kind: str) -> str:
    return {"go-static": "go", "go-cgo": "go"}.get(stack_kind, stack_kind)


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


def program_name(word: Optional[str]) -> str:
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
        while words and program_name(words[0]) in ("exec", "env", "nohup", "tini", "dumb-init", "gosu", "su-exec",
                                                "--", "sudo", "chpst"):
            words = words[1:]
            while words and words[0] and words[0].startswith("-"):
                words = words[1:]
        if words and words[0]:
            names.append(program_name(words[0]))
            if program_name(words[0]) in ("python", "python3") and len(words) > 2 and words[1] == "-m":
                names.append(program_name(words[2]))
            # Runners that start another program: `bundle exec jekyll`, `poetry run pytest`, `npx tsc`.
            runner = _RUNNERS.get(program_name(words[0]))
            if runner is not None and len(words) > runner and words[runner]:
                names.append(program_name(words[runner]))
    return names


_RUNNERS = {"npx": 1, "bunx": 1, "pnpx": 1}
_RUNNERS.update({k: 2 for k in ("bundle", "poetry", "pipenv", "uv", "pdm", "hatch", "rye", "conda", "mamba")})


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
        removed, _ = _removed_names(ctx.calls(run))
        # A language removed again in the same RUN served the build only (pip3 for docs, then purged).
        gone = {stack for name in removed for rx, stack in _LANG_PACKAGES if rx.match(name)}
        for call in ctx.calls(run):
            if call.kind != "install":
                continue
            if call.manager in _MANAGER_STACKS:
                if _MANAGER_STACKS[call.manager] in gone:
                    continue
                out.append((_MANAGER_STACKS[call.manager], f"`{call.tool} {call.subcommand}` on line {run.line}"))
                continue
            for pkg in call.packages:
                name = _package_name(pkg)
                if name in removed:
                    continue  # installed for the build and removed again: not what the image runs
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
_OS_MANAGERS = ("apt", "apk", "dnf", "zypper")


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
                        name = _package_name(pkg)
                        m = _PYTHON_PACKAGE_VERSION.match(name)
                        if m and call.manager in _OS_MANAGERS and (m.group(1) or call.manager in ("apt", "apk")):
                            return m.group(1) or "2"
    if category == "java":
        for idx in order:
            for run in ctx.runs(ctx.graph.stages[idx]):
                for call in ctx.calls(run):
                    for pkg in call.packages:
                        m = re.match(r"(?:openjdk-?|java-|temurin-)(\d+)", _package_name(pkg))
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


def _declared_version(ctx, category: str, order: Sequence[int]) -> Optional[str]:
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


def distro_release(ref: ImageRef) -> Optional[dict]:
    """The ``distro_runtimes`` entry of a Debian or Ubuntu base (``debian:9``, ``debian:buster-slim``,
    ``ubuntu:16.04``, ``ubuntu:xenial``), or None (``latest``, no tag, or another image)."""
    data = catalogue()["distro_runtimes"]
    releases = data.get(ref.name)
    if not isinstance(releases, dict):
        return None
    tag = (ref.tag or "").lower()
    tokens = re.split(r"[-_]", tag)
    for number, entry in releases.items():
        if tokens and (tokens[0] == number or tokens[0].startswith(number + ".") and ref.name == "debian"
                       or entry["codename"] in tokens):
            return entry
    return None


def _distro_packaged_version(ctx, category: str, order: Sequence[int]) -> Optional[str]:
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
                        rx.match(_package_name(p)) for p in call.packages if p):
                    return release[category]
    return None


_APK_LANGUAGE_PACKAGE = lazy_compile(r"(py3|py2|ruby|nodejs|perl|lua\d*|php\d*)-")


def installs_musl_packages(ctx, production: int) -> bool:
    """Whether the stages that ship install language packages that may be built for musl: something is
    compiled or a package manager installs (``pip install``, ``npm ci``, ``bundle install``), or apk adds
    a language's packages (``py3-*``, ``ruby-*``)."""
    if compiles(ctx, production):
        return True
    graph: StageGraph = ctx.graph
    for idx in graph.chain(production):
        for run in ctx.runs(graph.stages[idx]):
            for call in ctx.calls(run):
                if call.manager in _MANAGER_STACKS and call.kind == "install":
                    return True
                if call.manager == "apk" and call.kind == "install" and any(
                        _APK_LANGUAGE_PACKAGE.match(_package_name(p)) for p in call.packages if p):
                    return True
    return False


def runs_java_directly(ctx, production: int) -> bool:
    """Whether the image starts the ``java`` binary itself in exec form (``["java", "-jar", "app.jar"]``),
    the only command distroless java can run: it has no shell for a start script or a launcher."""
    entry, cmd = runtime_argv(ctx, production)
    ins = entry if entry is not None else cmd
    if ins is None:
        return False
    if ins.json is None:
        return False
    argv = unwrapped_argv(list(ins.json))
    if not argv and entry is not None and cmd is not None and cmd.json is not None:
        argv = unwrapped_argv(list(cmd.json))
    return bool(argv) and program_name(argv[0]) == "java"


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
        return Stack("binary", None, "")
    kind, evidence = candidates[0]
    order = chain + [s.index for s in ctx.stages if s.index not in chain]
    version = _detect_version(ctx, kind, order) if kind in ("python", "node", "java", "dotnet", "ruby") else None
    if kind == "go":
        kind = "go-static" if _go_static(ctx) else "go-cgo"
    elif kind == "native" and _rust_static(ctx):
        kind = "static"
    return Stack(kind, version, evidence)


def _pick_version(versions: List[str], wanted: Optional[str], default: str) -> str:
    if wanted is None:
        return default

    key = _version_key
    if wanted in versions:
        return wanted
    newer = [v for v in versions if key(v) >= key(wanted)]
    return min(newer, key=key) if newer else max(versions, key=key)


def _version_key(v: str) -> Tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v))


def recommend(stack: Stack) -> Optional[Recommendation]:
    """The distroless (or chiseled, or Chainguard) image that runs the same application; None when there is
    none: a stack without one, or a version so old that moving is a port."""
    data = catalogue()["recommendations"]
    spec = data.get(stack.kind)
    if spec is None or stack.kind == "comment":
        return None
    if stack.version and "oldest" in spec and _version_key(stack.version) < _version_key(spec["oldest"]):
        return None
    newest = max(spec["versions"], key=_version_key) if "versions" in spec else spec.get("version")
    if stack.version and newest and _version_key(stack.version)[:2] > _version_key(newest)[:2]:
        return None  # newer than any the image offers: going back is not the same application
    if stack.version and spec.get("same_version") and stack.version not in spec["versions"]:
        return None
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
# Directories of test inputs (Dockerfiles that exercise a builder or a parser) and of base images.
_FIXTURE_DIRS = {"testdata", "test-data", "test_data", "testfiles", "fixtures", "__fixtures__", "test-fixtures"}
BASE_DIR_SUFFIXES = ("-base", "_base", ".base")
# File names of images that are not an application: bases, builders, SDKs, tool and debug images.
_PURPOSE_NAME = lazy_compile(r"(?:^|[._-])(base|build|builder|buildenv|build-env|toolchain|sdk|tools|debug)(?:$|[._-])")


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


def path_parts(path: str) -> List[str]:
    # `__` also separates directories in flattened file names (owner__repo__dir__Dockerfile).
    return [p for p in re.split(r"[\\/]|__", _project_path(path)) if p]


def file_stem(name: str) -> str:
    return re.sub(r"(?i)dockerfile|containerfile", "", name.lower())


def is_environment_path(path: str) -> bool:
    """Dockerfiles for development containers, CI jobs and tests: their images are not shipped."""
    parts = path_parts(path)
    if not parts:
        return False
    if any(p.lower() in _ENV_DIRS or p.lower() in _FIXTURE_DIRS for p in parts[:-1]):
        return True
    return bool(_ENV_NAME.search(file_stem(parts[-1])))


def is_fixture_path(path: str) -> bool:
    """Dockerfiles kept as test inputs (``testdata/``, ``fixtures/``, ...): written to exercise a tool."""
    return any(p.lower() in _FIXTURE_DIRS for p in path_parts(path)[:-1])


def is_base_or_tool_path(path: str) -> bool:
    """Dockerfiles named for a base image, a builder, an SDK, tools or debugging (``Dockerfile.base``,
    ``base/Dockerfile``, ``python-base/Dockerfile``, ``build.Dockerfile``, ``Dockerfile.debug``)."""
    parts = path_parts(path)
    if not parts:
        return False
    if len(parts) > 1 and (parts[-2].lower() == "base" or parts[-2].lower().endswith(BASE_DIR_SUFFIXES)):
        return True
    return bool(_PURPOSE_NAME.search(file_stem(parts[-1])))


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
            return False  # whatever the unknown base runs: nothing says this image is an application
        tag = (base.ref.tag or "").lower()
        # Bases whose own default command is a server run the application they are given.
        return base.ref.name in ("tomcat", "jetty", "wildfly", "payara", "open-liberty", "websphere-liberty") or (
            base.ref.name == "php" and ("apache" in tag or "fpm" in tag))
    argv: List[str] = []
    if entry is not None:
        argv = unwrapped_argv(_argv(entry))
        if len(argv) <= 1 and (not argv or "entrypoint" in program_name(argv[0])) and cmd is not None:
            argv = _argv(cmd)
    elif cmd is not None:
        argv = _argv(cmd)
    words = [w for w in argv if w not in _INTERACTIVE_FLAGS]
    if len(words) == 1 and _INTERACTIVE.match(program_name(words[0].strip("\"'"))):
        return False
    # A command that builds or tests something makes this a build or CI environment; an ssh server,
    # an init system, a desktop or a keep-alive makes it a machine to log into, not an application.
    for ins in (entry, cmd):
        if ins is None:
            continue
        names = command_names(ctx, ins) + _shell_c_names(unwrapped_argv(_argv(ins)))
        if any(BUILDERS.match(n) or SYSTEM_COMMANDS.match(n) for n in names):
            return False
        if any(w in ("--watch", "--reload", "runserver") for w in _argv(ins)):
            return False  # a development server (rebuilds or reloads on change, Django's runserver)
    return not is_login_machine(ctx, production)


def is_login_machine(ctx, production: int) -> bool:
    """An image made to log into or to show a desktop: it installs an ssh, VNC or RDP server or a desktop, or
    exposes their ports (22, 3389, 5900-5909, 6080)."""
    data = catalogue()["login_machines"]
    graph: StageGraph = ctx.graph
    for idx in graph.chain(production):
        for ins in graph.stages[idx].instructions:
            if ins.name == "EXPOSE":
                for word in ins.args.split():
                    port = word.split("/", 1)[0]
                    if port.isdigit() and int(port) in data["ports"]:
                        return True
        for run in ctx.runs(graph.stages[idx]):
            for call in ctx.calls(run):
                if call.manager in _OS_MANAGERS and call.kind == "install" and any(
                        _glob(data["packages"], _package_name(p)) for p in call.packages):
                    return True
    return False


def _shell_c_names(argv: List[str]) -> List[str]:
    """The first command of ``sh -c "..."`` in an exec-form argv."""
    if len(argv) > 2 and SHELL_NAMES.match(program_name(argv[0])) and argv[1] in ("-c", "-lc", "-ec", "-xc"):
        words = argv[2].split()
        return [program_name(words[0])] if words else []
    return []


SYSTEM_COMMANDS = lazy_compile(
    r"(sshd|dropbear|ansible|ansible-playbook|ansible-pull|supervisord|systemd|init|my_init|runsvdir|cron|crond|"
    r"xvfb-run|xvfb|vncserver|tigervncserver|x11vnc|startxfce4|startlxde|startkde|xrdp|websockify|novnc_proxy|"
    r"sleep|tail|jupyter|jupyter-lab|jupyter-notebook|ipython|ipython3|code-server|rstudio-server)\Z")


BUILDERS = lazy_compile(r"(make|gmake|cmake|ninja|meson|rpmbuild|dpkg-buildpackage|debuild|mock|mvn|mvnw|gradle|gradlew|"
                       r"bazel|bazelisk|scons|autoreconf|configure|build\.sh|build|gcc|g\+\+|cc|c\+\+|clang|clang\+\+|"
                       r"go|cargo|rustc|rustup|javac|pytest|py\.test|tox|nox|jest|mocha|phpunit|rspec|hugo|jekyll|mkdocs|"
                       r"sphinx-build|sphinx-autobuild|goreleaser|pyinstaller|xargo|cross|nodemon|tsc|webpack|vite|esbuild|rollup)\Z")


SHELL_NAMES = lazy_compile(r"(sh|bash|ash|dash|zsh|ksh)\Z")
_SHELL_FEATURES = lazy_compile(r"[$`|&;<>(){}*?~\\'\"]|\[")


INIT_WRAPPERS = ("tini", "tini-static", "dumb-init", "catatonit", "s6-svscan", "gosu", "su-exec", "chpst", "env")


def unwrapped_argv(argv: List[str]) -> List[str]:
    """The argv after init wrappers and their options: ``tini -- app`` is ``app``."""
    words = list(argv)
    while words and program_name(words[0]) in INIT_WRAPPERS:
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
        argv = unwrapped_argv(argv)
        if not argv:
            continue
        name = program_name(argv[0])
        if SHELL_NAMES.match(name) or name.endswith((".sh", ".bash")) or "entrypoint" in name:
            return ins
        if ins is entry:
            break  # CMD only supplies arguments to a program
    return None
