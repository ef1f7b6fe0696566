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
from ._shellcheck import jobs as _jobs

_LEVELS = {"error": "error", "warning": "warning", "info": "info", "style": "style"}

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


def check(ctx):
    if binary() is None:
        return
    jobs = _jobs(ctx)
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
