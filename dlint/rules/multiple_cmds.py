"""D013: more than one CMD in a stage: only the last one takes effect."""
from __future__ import annotations

from ..rule import NO_FIX, Rule

RULE = Rule(
    code="D013",
    name="multiple-cmds",
    severity="warning",
    summary="A stage has more than one CMD; only the last one takes effect",
    hadolint=("DL4003",),
    fix=NO_FIX,
)


def check(ctx):
    for stage in ctx.stages:
        first = None
        for ins in stage.instructions:
            if ins.name != "CMD":
                continue
            if first is None:
                first = ins
                continue
            yield ctx.at_instruction(ins, f"a second CMD in this stage (the first is at line {first.line}): only the "
                                          "last CMD takes effect, the earlier ones do nothing; keep one (to run "
                                          "several programs, use a script or a process supervisor)")
