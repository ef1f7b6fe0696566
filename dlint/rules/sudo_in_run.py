"""S001: ``sudo`` in a RUN."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _run_commands as rc

RULE = Rule(
    code="S001",
    name="sudo-in-run",
    severity="error",
    summary="sudo in a RUN: its environment reset and terminal handling make builds unpredictable; switch "
            "USER instead",
    hadolint=("DL3004",),
    fix=NO_FIX,
    default_enabled=False,
)


def check(ctx):
    for stage, ins, script in rc.runs(ctx, ("sudo",)):
        for cmd in script.commands:
            if cmd.name is None or cmd.name.rsplit("/", 1)[-1] != "sudo":
                continue
            start, end = rc.span(ctx, ins, script, cmd)
            yield ctx.at_command(ins, start, end, "`sudo` in a RUN: it resets the environment (PATH, proxies, ENV "
                                 "values), may ask for a password and needs a sudoers entry; run the command as "
                                 "the user it needs with `USER` (or `gosu`/`su-exec`) instead")
