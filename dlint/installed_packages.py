"""The system packages a stage installs and keeps (removed again in the same RUN, they are left out), and
whether the stages that ship compile something."""
from __future__ import annotations

import re

from ._regex import lazy_compile
from .base_images import is_header_package, is_toolchain_package, package_name
from .shell import program_name

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Optional, Tuple

    from .context import Context
    from .stages import StageGraph

# Wrappers looked through when telling whether a RUN compiles (each one of ``dlint.shell.WRAPPERS``; their
# options are not skipped).
BUILD_WRAPPERS = ("sudo", "env", "exec", "nice", "time")
# The system package managers (whose packages stay in the image).
OS_MANAGERS = ("apt", "apk", "dnf", "zypper")


def removed_names(calls) -> Tuple[set, bool]:
    """Package names removed by these calls, and whether some removal names packages we cannot read."""
    names, unknown = set(), False
    for c in calls:
        if c.kind != "remove":
            continue
        for p in c.packages:
            if not p or "$" in p:
                unknown = True
            names.add(package_name(p))
        if not c.packages:
            unknown = True
    return names, unknown


def _virtual_name(call) -> Optional[str]:
    """The group name of ``apk add --virtual NAME`` (``-t NAME``)."""
    opts = call.options
    for i, o in enumerate(opts):
        if o in ("-t", "--virtual") and i + 1 < len(opts):
            return package_name(opts[i + 1])
        if o.startswith("--virtual="):
            return package_name(o.split("=", 1)[1])
    return None


def _low_level_removals(ctx: Context, run) -> Tuple[set, bool]:
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
                names.add(package_name(w))
    return names, unknown


def os_installs(ctx: Context, stage, assume_kept=False):
    """``(run, call, packages, removed_later)`` for the system package installs of a stage whose packages
    outlive their RUN: packages removed again in the same RUN (or an ``apk --virtual`` group deleted there)
    are left out, and a RUN that removes packages it does not name is skipped (with ``assume_kept``, its
    packages count as kept). ``removed_later`` maps a package to the line of a later RUN that removes it
    (its layer still holds it)."""
    runs = ctx.runs(stage)
    for i, run in enumerate(runs):
        calls = ctx.calls(run)
        removed, unknown = removed_names(calls)
        low_removed, low_unknown = _low_level_removals(ctx, run)
        removed |= low_removed
        unknown = unknown or low_unknown
        if unknown and not assume_kept:
            continue
        for call in calls:
            if call.manager not in OS_MANAGERS or call.kind != "install":
                continue
            virtual = _virtual_name(call) if call.manager == "apk" else None
            if virtual is not None and virtual in removed:
                continue
            kept = [p for p in call.packages if p and package_name(p) not in removed]
            if has_unreadable_packages(call):
                kept.append("$?")  # a package named by a variable: cannot be known
            if not kept:
                continue
            later = {}
            for other in runs[i + 1:]:
                names, _ = removed_names(ctx.calls(other))
                names = names | _low_level_removals(ctx, other)[0]
                for p in kept:
                    if p not in later and (package_name(p) in names or (virtual is not None and virtual in names)):
                        later[p] = other.line
            yield run, call, kept, later


def has_unreadable_packages(call) -> bool:
    """Whether a call names packages through expansions (``apk add $PACKAGES``) that cannot be read."""
    values = call.command.values()
    return any(v is None for v in values[1:])


_COMPILE_COMMANDS = lazy_compile(
    r"(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|make|gmake|cmake|configure|meson|ninja|cargo|rustc|phpize|"
    r"docker-php-ext-install|docker-php-ext-configure|pecl|cpanm|cpan|luarocks|node-gyp|python[0-9.]*|pip[0-9.]*|"
    r"gem|bundle|npm|yarn|pnpm|go|mvn|gradle|r|rscript|scons|bazel|swig)\Z")
_COMPILE_SUBCOMMANDS = {
    "python": ("setup.py", "-m"), "cargo": ("build", "install"), "go": ("build", "install", "get"),
    "npm": ("install", "ci", "i", "rebuild"), "yarn": ("install", "add", ""), "pnpm": ("install", "add", "i"),
    "gem": ("install",), "bundle": ("install",), "pip": ("install", "wheel"), "r": ("cmd",),
}


def compiles(ctx: Context, production: int) -> bool:
    """Whether the stages that ship compile something: a compiler or build tool is installed there (even if
    removed again), or a RUN builds (``make``, ``./configure``, ``pip install``, ``npm ci``, ``go build``,
    ``docker-php-ext-install``, ...). Development headers are for compiling only then."""
    graph: StageGraph = ctx.graph
    for idx in graph.chain(production):
        for run in ctx.runs(graph.stages[idx]):
            for call in ctx.calls(run):
                if call.manager in OS_MANAGERS and call.kind == "install" and any(
                        is_toolchain_package(p) and not is_header_package(p) for p in call.packages):
                    return True
            script = ctx.script(run)
            if script is None:
                continue
            for c in script.commands:
                words = [w.value for w in c.words]
                while words and words[0] and program_name(words[0]) in BUILD_WRAPPERS:
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
