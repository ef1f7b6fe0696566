"""R011: a stage downloads with both wget and curl."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _run_commands as rc

RULE = Rule(
    code="R011",
    name="wget-and-curl",
    severity="warning",
    summary="A stage uses both wget and curl: one download tool is enough",
    hadolint=("DL4001",),
    fix=NO_FIX,
    default_enabled=False,
)


def check(ctx):
    seen = {}  # stage index -> tools used so far
    by_run = {}  # RUN -> (stage, script, first download command, tools it uses), in file order
    for stage, ins, script, cmd, words in rc.commands(ctx, ("curl", "wget")):
        entry = by_run.setdefault(id(ins), [stage, ins, script, cmd, set()])
        entry[4].add(rc.program(words))
    for stage, ins, script, first, here in by_run.values():
        used = seen.setdefault(stage.index, set())
        used |= here
        if len(used) == 2:
            start, end = rc.span(ctx, ins, script, first)
            yield ctx.at_command(ins, start, end, "this stage downloads with both `wget` and `curl`: use one of them "
                                 "(and install only that one)")
