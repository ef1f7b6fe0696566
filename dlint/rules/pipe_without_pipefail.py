"""R012: a RUN with a pipe while the shell does not fail on a failing pipe stage (``-o pipefail``)."""
from __future__ import annotations

import re

from ..diagnostics import Edit, Fix
from ..rule import UNSAFE, Rule
from . import _run_commands as rc

RULE = Rule(
    code="R012",
    name="pipe-without-pipefail",
    severity="warning",
    summary="A pipe in a RUN whose shell lacks -o pipefail: a failing command before the last one goes unnoticed",
    hadolint=("DL4006",),
    fix=UNSAFE,
    default_enabled=False,
)

_SHELL_LINE = '["/bin/bash", "-o", "pipefail", "-c"]'
# Base images in which /bin/bash is certain: Debian and Ubuntu, where bash is an Essential package that
# every installation has.
_BASH_CERTAIN = ("debian", "ubuntu")
_SET_PIPEFAIL = re.compile(r"-[A-Za-z]*o\Z")


def _shell_pipefail(shell) -> bool:
    """Whether a SHELL (argv) turns pipefail on: ``-o pipefail``, ``-eo pipefail``, ``-euxo pipefail``."""
    for i, a in enumerate(shell[1:-1], start=1):
        if _SET_PIPEFAIL.match(a) and i + 1 < len(shell) and shell[i + 1] == "pipefail":
            return True
    return False


def _sets_pipefail(cmd) -> bool:
    """``set -o pipefail`` (also ``set -eo pipefail``, ``set -euxo pipefail``) at the top level of the script."""
    values = cmd.values()
    if not values or values[0] != "set" or any(k in cmd.context for k in ("subshell", "pipeline", "substitution",
                                                                          "function", "shell", "background")):
        return False
    return any(v is not None and _SET_PIPEFAIL.match(v) and i + 1 < len(values) and values[i + 1] == "pipefail"
               for i, v in enumerate(values))


def _substitution_pipe(cmd) -> bool:
    """A pipe inside a command substitution of a bare assignment (``arch="$(dpkg --print-architecture | cut
    ...)"``), whose commands the shell model keeps as text: the assignment's status is the substitution's,
    so pipefail decides whether it fails. (In an argument, ``export V=$(...)`` included, the status of a
    substitution is dropped: pipefail changes nothing there.)"""
    if cmd.words:
        return False
    for t in cmd.assignments:
        k = min((i for i in (t.find("$("), t.find("`")) if i >= 0), default=-1)
        if k >= 0 and "|" in t[k:].replace("||", ""):
            return True
    return False


def _bash_certain(ctx, stage) -> bool:
    graph = ctx.graph
    root = graph.chain(stage.index)[-1]
    ref = graph.bases[root].ref
    if ref is None:
        return False
    name = ref.path.rsplit("/", 1)[-1] if ref.path.startswith(("library/",)) else ref.path
    return name in _BASH_CERTAIN and not any(graph.stages[i].instructions and any(
        ins.name == "SHELL" for ins in graph.stages[i].instructions) for i in graph.chain(stage.index)[1:])


def _fix(ctx, stage, ins):
    """SHELL [bash -o pipefail] inserted above the RUN (and above the comments that belong to it)."""
    text = ctx.doc.text
    line_start = text.rfind("\n", 0, ins.start) + 1
    indent = text[line_start:ins.start]
    if indent.strip():
        return None
    at = line_start
    while at > 0:  # climb over the comment lines directly above
        prev = text.rfind("\n", 0, at - 1) + 1
        if not text[prev:at].lstrip(" \t").startswith("#"):
            break
        at = prev
    newline = "\r\n" if text[line_start:].split("\n", 1)[0].endswith("\r") else "\n"
    return Fix("Set SHELL with -o pipefail before the RUN", UNSAFE,
               [Edit(at, at, f"{indent}SHELL {_SHELL_LINE}{newline}")])


def check(ctx):
    fixed_stages = set()
    for stage, ins, script in rc.runs(ctx, ("|",)):
        shell = ctx.shell(stage, ins) if ins.name == "RUN" and ins.json is None else None
        if shell is not None and _shell_pipefail(shell):
            continue
        piped = None
        for cmd in script.commands:
            if _sets_pipefail(cmd):
                break
            if "shell" in cmd.context or "argument" in cmd.context:
                continue  # another shell's pipe, or one whose status an argument drops
            if "pipeline" in cmd.context or _substitution_pipe(cmd):
                piped = cmd
                break
        if piped is None:
            continue
        if script.exec_form:
            argv = list((ins.inner or ins).json or [])
            if _shell_pipefail(argv[:rc.shell_script_index(argv) or 0] + ["-c"]):
                continue
        fix, reason = None, None
        if ins.name != "RUN" or ins.json is not None:
            reason = "the SHELL instruction does not reach this form"
        elif shell is not None:
            reason = "the stage already sets a SHELL"
        elif any(i in fixed_stages for i in ctx.graph.chain(stage.index)):
            reason = "the SHELL added for the first pipe of the stage (or of the stage it builds on) covers it"
        elif not _bash_certain(ctx, stage):
            reason = "bash is not known to be in this base image"
        else:
            fix = _fix(ctx, stage, ins)
            fixed_stages.add(stage.index)
        start, end = rc.span(ctx, ins, script, piped)
        yield ctx.at_command(ins, start, end, "a pipe in a RUN whose shell lacks `-o pipefail`: only the last command's "
                             "failure fails the build, a failing download or build before `|` goes unnoticed; set "
                             f"`SHELL {_SHELL_LINE}` before it (or `set -o pipefail` in the RUN)", fix,
                             no_fix_reason=reason)
