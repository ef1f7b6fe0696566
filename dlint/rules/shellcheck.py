"""SC: ShellCheck's findings on RUN bodies, each under its own code (``SC2086``), at its place in the Dockerfile.

Needs the optional extra ``dlint[shellcheck]`` (the ``shellcheck`` program); without it the rule reports
nothing and the command layer says once that the ShellCheck checks are off.

What ShellCheck is given, per RUN (ONBUILD RUN too), as hadolint gives it by default:
- the script the shell receives (``dlint.shell``): continuation lines joined, heredoc bodies in place; a
  RUN in exec form runs no shell and is skipped;
- a ``#!`` line naming the shell in force (the stage's SHELL, else ``/bin/sh``); a SHELL that is not
  sh, bash, dash, ash or ksh (PowerShell, cmd, zsh, anything unknown), and a Windows stage, are skipped;
  a script that starts with its own ``#!`` line naming one of those shells is checked as that shell;
- ``export NAME=1`` for each ARG and ENV name declared before it in the stage and the stages it builds on,
  and for the proxy variables BuildKit passes without a declaration, so that SC2154 (referenced but not
  assigned) does not fire on them;
- the exclusions of ``dlint.run_shellcheck.EXCLUDED``.
"""
from __future__ import annotations

import re

from ..rule import NO_FIX, Rule
from ..run_shellcheck import binary, check_scripts

RULE = Rule(
    code="SC",
    name="shellcheck",
    severity="warning",
    summary="ShellCheck finds a problem in a RUN script (each finding has ShellCheck's own code)",
    hadolint=("SC",),
    fix=NO_FIX,
    default_enabled=False,
    subcodes="SC####",  # SC then ShellCheck's four-digit number
)

# Variables BuildKit passes to RUN without an ARG (its predefined proxy arguments).
PREDEFINED = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY",
              "no_proxy", "ALL_PROXY", "all_proxy")
# Shells ShellCheck checks, by the base name of the program.
DIALECTS = {"sh": "sh", "bash": "bash", "dash": "dash", "ash": "ash", "ksh": "ksh"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SHEBANG = re.compile(r"#![ \t]*(\S+)(?:[ \t]+(\S+))?[^\n]*")
_PRAGMA = re.compile(r"#[ \t]*hadolint[ \t]+shell[ \t]*=[ \t]*(\S+)")
_LEVELS = {"error": "error", "warning": "warning", "info": "info", "style": "style"}


def _dialect(argv) -> str:
    """The shell ShellCheck checks for a program and its arguments, or '' when it is none it knows."""
    if not argv:
        return ""
    program = argv[0]
    if program.rsplit("/", 1)[-1] == "env" and len(argv) > 1:
        program = argv[1]
    return DIALECTS.get(program.rsplit("/", 1)[-1], "")


def _declared(ctx, stage, upto) -> list:
    """ARG and ENV names in force for ``upto``: the stages it builds on, then its own stage before it."""
    from ._copies import env_assignments

    names = set(PREDEFINED)
    escape = ctx.doc.escape
    chain = ctx.graph.chain(stage.index)
    for index in reversed(chain):
        for ins in ctx.graph.stages[index].instructions:
            if ins is upto:
                break
            if ins.name in ("ARG", "ENV"):
                names.update(name for name, _ in env_assignments(ins, escape))
    return sorted(n for n in names if _NAME.match(n))


def _pragma_shells(ctx) -> dict:
    """id(instruction) -> the shell a ``# hadolint shell=NAME`` comment names for it, as hadolint reads
    them: from the comment on in its stage, until a SHELL instruction; one before the first FROM, in every
    stage (a stage's own comment or SHELL comes after it)."""
    from ..syntax import Comment, Instruction

    out = {}
    default = current = None
    seen_from = False
    for node in ctx.doc.nodes:
        if isinstance(node, Comment):
            m = _PRAGMA.match(node.text.strip())
            if m:
                current = m.group(1)
                if not seen_from:
                    default = current
        elif isinstance(node, Instruction):
            if node.name == "FROM":
                seen_from = True
                current = default
            elif node.name == "SHELL":
                current = None
            elif current is not None:
                out[id(node)] = current
    return out


def _prepared(ctx, stage, run, pragma=None):
    """(checked text, lines before the script, script) for one RUN, or None when it is not checked;
    ``pragma``: the shell a ``# hadolint shell=`` comment names for it."""
    script = ctx.script(run)
    if script is None or script.exec_form or not script.text.strip():
        return None
    text = script.text.replace("\r", " ")  # CRLF heredoc bodies: a blank keeps every position in place
    m = _SHEBANG.match(text)
    if m:  # the script names its interpreter: that is the shell
        dialect = _dialect([w for w in m.groups() if w])
        text = " " * len(m.group(0)) + text[m.end():]
    elif pragma is not None:
        dialect = _dialect([pragma])
    else:
        shell = ctx.shell(stage, run)
        dialect = "sh" if shell is None else (_dialect(shell) if shell and shell[-1] == "-c" else "")
    if not dialect:
        return None
    names = _declared(ctx, stage, run)
    header = f"#!/bin/{dialect}\n" + (f"export {' '.join(n + '=1' for n in names)}\n" if names else "")
    return header + text, header.count("\n"), script


def check(ctx):
    if binary() is None:
        return
    jobs = []
    pragmas = _pragma_shells(ctx) if "hadolint" in ctx.doc.text else {}
    for stage in ctx.stages:
        for ins in stage.instructions:
            run = ins.inner if ins.name == "ONBUILD" and ins.inner is not None else ins
            if run.name != "RUN":
                continue
            job = _prepared(ctx, stage, ins, pragmas.get(id(ins)))
            if job is not None:
                jobs.append(job)
    if not jobs:
        return
    answers = check_scripts([text for text, _, _ in jobs])
    for (text, skip, script), comments in zip(jobs, answers):
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", script.text))
        for c in comments:
            code = f"SC{c.get('code')}"
            if not RULE.owns(code):
                continue
            start = _offset(starts, script.text, c.get("line"), c.get("column"), skip)
            end = _offset(starts, script.text, c.get("endLine"), c.get("endColumn"), skip)
            if start is None:
                continue
            if end is None or end < start:
                end = start
            fstart = script.file_offset(start)
            fend = max(script.file_end_offset(end), fstart)
            yield ctx.diagnostic(fstart, fend, str(c.get("message", "")).strip(), code=code,
                                 severity=_LEVELS.get(c.get("level"), "warning"))


def _offset(starts, text, line, column, skip):
    """The script offset of a 1-based ``line``/``column`` of the checked text (``skip`` header lines)."""
    if not isinstance(line, int) or not isinstance(column, int):
        return None
    line -= skip
    if line < 1 or line > len(starts):
        return None
    start = starts[line - 1]
    stop = starts[line] - 1 if line < len(starts) else len(text)
    return min(start + max(column - 1, 0), stop)
