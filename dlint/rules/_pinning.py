"""What the version-pinning rules (P001-P009) share: the RUNs to look at, the words an install command names
as packages (options and their values left out), and one finding per RUN naming what is not pinned.

Each rule says which calls it reads and when a package word is pinned; the commands come from the shell
model (``ctx.calls`` / ``dlint.packages``), parsed once per file for every rule."""
from __future__ import annotations

import re
from functools import lru_cache

from ..packages import catalogue, package_calls
from ..shell import command_words
from ..stages import is_posix_shell
from ._stage_walk import stage_workdirs_and_envs

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Callable, Iterator, List, Optional, Tuple

    from ..packages import PackageCall
    from ..shell import Word

# A word that is nothing but an expansion: ``$PKGS``, ``${PACKAGES}``, ``"$@"``, ``$(cat list)``. What it holds
# (pinned or not) cannot be seen in the file.
_ONLY_EXPANSION = re.compile(r"""\A["']?(?:\$\{[^}]*\}|\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*])|\$\([^)]*\)|`[^`]*`)["']?\Z""")


def only_expansion(text: str) -> bool:
    return bool(_ONLY_EXPANSION.match(text))


_VARIABLE = re.compile(r"\A\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))\Z")
_ASSIGNMENT = re.compile(r"\A([A-Za-z_][A-Za-z0-9_]*)=(.*)\Z", re.S)
_DECLARE = ("export", "readonly", "declare", "typeset", "local")


# A template's placeholder (``%%PKG%%``, ``{{ .Package }}``, ``@PKG@``): the file is filled in before a build.
_PLACEHOLDER = re.compile(r"%%|\{\{|\A@[A-Z_]+@\Z")


def _literal(raw: str) -> Optional[str]:
    """The value of an assignment's right-hand side when it needs no expansion (``"a b"``, ``'a b'``,
    ``a``), else None."""
    raw = raw.replace("\\\n", "")
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        inner = raw[1:-1]
        if raw[0] == "'" and "'" not in inner:
            return inner
        if raw[0] == '"' and not any(c in inner for c in '"$`\\'):
            return inner
        return None
    if any(c in raw for c in "\"'$`\\"):
        return None
    return raw


def _assignments(ctx, script) -> dict:
    """Variable name -> [(script offset, value or None)] for the variables a RUN's script sets by itself
    (``PKGS="a b" && apt-get install $PKGS``, ``export PKGS=...``); None: a value that needs expansion."""
    memo = ctx.memo("pinning-assignments")
    key = id(script)
    found = memo.get(key)
    if found is None:
        found = {}
        for cmd in script.commands:
            if cmd.words and (cmd.words[0].value or "") not in _DECLARE:
                continue
            texts = cmd.assignments if not cmd.words else [w.text for w in cmd.words[1:]]
            for text in texts:
                m = _ASSIGNMENT.match(text)
                if m:
                    found.setdefault(m.group(1), []).append((cmd.start, _literal(m.group(2))))
        memo[key] = found
    return found


def package_texts(ctx, stage, ins, script, words) -> List[str]:
    """The package words of ``call`` as texts to judge: a word that is only a variable the same script set
    to a plain value (``$INSTALL_PKGS``) stands for the words of that value; any other word that is only
    an expansion may hold anything, pinned or not, and is left out."""
    out: List[str] = []
    for w in words:
        t = text_of(w)
        if not t or _PLACEHOLDER.search(t):
            continue
        if not only_expansion(w.text):
            out.append(t)
            continue
        m = _VARIABLE.match(w.text)
        if m is None:
            continue
        name = m.group(1) or m.group(2)
        before = [v for at, v in _assignments(ctx, script).get(name, ()) if at < w.start]
        if before:
            if before[-1] is not None:
                out.extend(before[-1].split())
            continue
        place = stage_workdirs_and_envs(ctx, stage).get(id(ins))
        value = place.env.get(name) if place is not None else None
        if value is not None:
            out.extend(value.split())
    return out


def runs(ctx) -> List[Tuple[object, object, object]]:
    """(stage, instruction, script) for every RUN and ONBUILD RUN run by a POSIX shell (a PowerShell or cmd
    body has no such commands to read), worked out once per file for all the pinning rules."""
    memo = ctx.memo("pinning")
    found = memo.get("runs")
    if found is None:
        found = []
        for stage in ctx.stages:
            for ins in stage.instructions:
                target = ins.inner if ins.name == "ONBUILD" else ins
                if target is None or target.name != "RUN" or not _posix(ctx.shell(stage, ins)):
                    continue
                script = ctx.script(ins)
                if script is None or not script.text.strip():
                    continue
                found.append((stage, ins, script))
        memo["runs"] = found
    return found


def _posix(shell) -> bool:
    """The default shell, or a SHELL that is a POSIX shell given a command with ``-c`` (also when options
    follow ``-c``: ``["/bin/bash", "--login", "-c", "-o", "pipefail"]``)."""
    if is_posix_shell(shell):
        return True
    return bool(shell) and is_posix_shell([shell[0], "-c"]) and "-c" in shell[1:]


def calls_of(ctx, ins, script) -> List[PackageCall]:
    """The package-manager calls of a RUN (``ctx.calls``), or of an ONBUILD RUN."""
    if ins.name == "RUN":
        return ctx.calls(ins)
    memo = ctx.memo("pinning-onbuild")
    key = id(ins)
    if key not in memo:
        memo[key] = package_calls(script)
    return memo[key]


@lru_cache(maxsize=None)
def with_value(manager: str, extra: Tuple[str, ...] = ()) -> frozenset:
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


def check_runs(ctx, mentions: Tuple[str, ...], packages: Callable[[PackageCall], Optional[Tuple[List[Word], Callable]]],
               message: Callable[[List[str]], str]) -> Iterator:
    """One finding per RUN (at the instruction, as hadolint reports it) whose calls of one of ``tools`` name
    packages that are not pinned: ``packages(call)`` gives the package words of a call the rule reads and
    the test of a pinned word, or None. A script whose text lacks one of the words ``mentions`` (the tool,
    its install subcommand) is not read, nor a file without them."""
    whole = ctx.doc.text
    if not all(m in whole for m in mentions):
        return
    for stage, ins, script in runs(ctx):
        text = script.text
        if not all(m in text for m in mentions):
            continue
        names: List[str] = []
        for call in calls_of(ctx, ins, script):
            found = packages(call)
            if not found:
                continue
            words, pinned = found
            names.extend(t for t in package_texts(ctx, stage, ins, script, words) if not pinned(t) and t not in names)
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


def rpm_packages(call: PackageCall, takes_value: frozenset):
    """The package words of a yum/dnf ``install`` or ``module install`` call and the test of a pinned one.
    Groups (``group install``, ``groupinstall``, ``@group``) have no version; a module (``module install
    nodejs``) is pinned by its stream (``nodejs:18``)."""
    ops = operands(call, takes_value)
    if not ops:
        return None
    sub = text_of(ops[0])
    if sub == "module" and len(ops) > 1 and text_of(ops[1]) == "install":
        return ops[2:], _module_pinned
    if sub == "install":
        return ops[1:], _rpm_or_group_pinned
    return None


def _module_pinned(text: str) -> bool:
    return ":" in text


def _rpm_or_group_pinned(text: str) -> bool:
    return text.startswith("@") or rpm_pinned(text)
