"""What the version-pinning rules (P001-P009) share: the RUNs to look at, the words an install command names
as packages (options and their values left out), and one finding per RUN naming what is not pinned.

Each rule says which calls it reads and when a package word is pinned; the commands come from the shell
model (``ctx.calls`` / ``dlint.packages``), parsed once per file for every rule."""
from __future__ import annotations

import re

from ..packages import catalogue, package_calls
from ..shell import command_words

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Callable, Iterable, Iterator, List, Optional, Sequence, Tuple

    from ..packages import PackageCall
    from ..shell import Word

# A word that is nothing but an expansion: ``$PKGS``, ``${PACKAGES}``, ``"$@"``, ``$(cat list)``. What it holds
# (pinned or not) cannot be seen in the file.
_ONLY_EXPANSION = re.compile(r"""\A["']?(?:\$\{[^}]*\}|\$[A-Za-z_@*][A-Za-z0-9_]*|\$\([^)]*\)|`[^`]*`)["']?\Z""")


def only_expansion(text: str) -> bool:
    return bool(_ONLY_EXPANSION.match(text))


def runs(ctx) -> List[Tuple[object, object, object]]:
    """(instruction, script, calls) for every RUN and ONBUILD RUN run by a POSIX shell (a PowerShell or cmd
    body has no such commands to read), worked out once per file for all the pinning rules."""
    memo = ctx.memo("pinning")
    found = memo.get("runs")
    if found is None:
        found = []
        for stage in ctx.stages:
            for ins in stage.instructions:
                target = ins.inner if ins.name == "ONBUILD" else ins
                if target is None or target.name != "RUN" or not ctx.posix_shell(stage, ins):
                    continue
                script = ctx.script(ins)
                if script is None or not script.text.strip():
                    continue
                found.append((ins, script))
        memo["runs"] = found
    return found


def calls_of(ctx, ins, script) -> List[PackageCall]:
    """The package-manager calls of a RUN (``ctx.calls``), or of an ONBUILD RUN."""
    if ins.name == "RUN":
        return ctx.calls(ins)
    memo = ctx.memo("pinning-onbuild")
    key = id(ins)
    if key not in memo:
        memo[key] = package_calls(script)
    return memo[key]


def with_value(manager: str, extra: Iterable[str] = ()) -> frozenset:
    """The options of ``manager`` whose value is the next word (from ``data/package_managers.json``), plus
    ``extra`` ones a rule knows of."""
    return frozenset(catalogue()[manager].options_with_value) | frozenset(extra)


def operands(call: PackageCall, takes_value: frozenset) -> List[Word]:
    """The words of ``call`` after the tool that are neither options nor option values, as written (a word
    such as ``curl=$V`` keeps its text): the subcommand first, then its operands. ``--`` ends the options."""
    words = command_words(call.command)
    skip = len(call.tool.split())  # ``pip3``: 1; ``python3 -m pip``: 3; ``uv pip``: 2
    out: List[Word] = []
    i, n, ended = skip, len(words), False
    while i < n:
        w = words[i]
        t = w.value if w.value is not None else w.text
        if not ended and t == "--":
            ended = True
        elif not ended and t.startswith("-") and len(t) > 1:
            i += 2 if t in takes_value else 1
            continue
        else:
            out.append(w)
        i += 1
    return out


def option_words(call: PackageCall) -> List[str]:
    """Every word of ``call`` after the tool, as its value (or text when it needs expansion)."""
    words = command_words(call.command)[len(call.tool.split()):]
    return [w.value if w.value is not None else w.text for w in words]


def text_of(word: Word) -> str:
    return word.value if word.value is not None else word.text


def check_runs(ctx, tools: Sequence[str], unpinned: Callable[[PackageCall], Optional[List[str]]],
               message: Callable[[List[str]], str]) -> Iterator:
    """One finding per RUN (at the instruction, as hadolint reports it) whose calls of one of ``tools`` name
    packages that ``unpinned`` says are not pinned. A script whose text names none of the tools is not read."""
    for ins, script in runs(ctx):
        text = script.text
        if not any(t in text for t in tools):
            continue
        names: List[str] = []
        for call in calls_of(ctx, ins, script):
            found = unpinned(call)
            if found:
                names.extend(n for n in found if n not in names)
        if names:
            yield ctx.at_instruction(ins, message(names))


def listed(names: List[str], limit: int = 3) -> str:
    shown = ", ".join(f"`{n}`" for n in names[:limit])
    more = len(names) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def tool_name(call: PackageCall) -> str:
    return call.tool.rsplit("/", 1)[-1]


_RPM_VERSION_PART = re.compile(r"[A-Za-z0-9.~^_:+]*\Z")


def rpm_pinned(text: str) -> bool:
    """Whether an rpm package word (yum, dnf) names a version: ``name-version[-release]`` (a part after a
    dash made of version characters, one of them starting with a digit), or a ``.rpm`` file. A version
    that comes from a variable (``nodejs-${NODE_VERSION}``) counts as one."""
    if text.endswith(".rpm"):
        return True
    parts = text.split("-")
    if len(parts) < 2:
        return False
    rest = parts[1:]
    if any("$" in p for p in rest):
        return True
    return all(_RPM_VERSION_PART.match(p) for p in rest) and any(p[:1].isdigit() for p in rest)


def rpm_unpinned(call: PackageCall, takes_value: frozenset) -> Optional[List[str]]:
    """The unpinned words of a yum/dnf ``install`` or ``module install`` call. Groups (``group install``,
    ``groupinstall``, ``@group``) have no version; a module (``module install nodejs``, ``@nodejs``) is
    pinned by its stream (``nodejs:18``)."""
    ops = operands(call, takes_value)
    if not ops:
        return None
    sub = text_of(ops[0])
    module = False
    if sub == "module" and len(ops) > 1 and text_of(ops[1]) == "install":
        module, packages = True, ops[2:]
    elif sub == "install":
        packages = ops[1:]
    else:
        return None
    out = []
    for w in packages:
        t = text_of(w)
        if not t or only_expansion(w.text):
            continue
        if module or t.startswith("@"):
            if ":" not in t and module:
                out.append(t)
            continue
        if not rpm_pinned(t):
            out.append(t)
    return out
