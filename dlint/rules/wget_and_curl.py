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
    for stage, ins, script in rc.runs(ctx, ("curl", "wget")):
        used = seen.setdefault(stage.index, set())
        first = None
        here = set()
        for cmd in script.commands:
            words = rc.command_words(cmd)
            if not words:
                continue
            name = rc.program(words)
            if name in ("curl", "wget"):
                here.add(name)
                first = first or cmd
        used |= here
        if here and len(used) == 2:
            start, end = rc.span(ctx, ins, script, first)
            yield ctx.diagnostic(start, end, "this stage downloads with both `wget` and `curl`: use one of them "
                                 "(and install only that one)")
