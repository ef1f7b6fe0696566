"""R002: ``cd`` in a RUN where WORKDIR says the same for the instructions that follow."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _run_commands as rc

RULE = Rule(
    code="R002",
    name="cd-instead-of-workdir",
    severity="warning",
    summary="cd in a RUN only lasts for that RUN; WORKDIR sets the directory for what follows",
    hadolint=("DL3003",),
    fix=NO_FIX,
    default_enabled=False,
)


def check(ctx):
    reported = set()
    for stage, ins, script, cmd, words in rc.commands(ctx, ("cd",)):
        if id(ins) in reported or cmd.name != "cd":
            continue  # one finding per RUN; ``sudo cd`` runs no shell builtin
        reported.add(id(ins))
        start, end = rc.span(ctx, ins, script, cmd)
        yield ctx.at_command(ins, start, end, "`cd` in a RUN changes the directory for this RUN only; to work in a "
                             "directory for the following instructions, set it with `WORKDIR`")
