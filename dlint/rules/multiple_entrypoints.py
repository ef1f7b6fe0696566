"""D014: more than one ENTRYPOINT in a stage: only the last one takes effect."""
from __future__ import annotations

from ..rule import NO_FIX, Rule

RULE = Rule(
    code="D014",
    name="multiple-entrypoints",
    severity="error",
    summary="A stage has more than one ENTRYPOINT; only the last one takes effect",
    hadolint=("DL4004",),
    fix=NO_FIX,
)


def check(ctx):
    for stage in ctx.stages:
        first = None
        for ins in stage.instructions:
            if ins.name != "ENTRYPOINT":
                continue
            if first is None:
                first = ins
                continue
            yield ctx.at_instruction(ins, f"a second ENTRYPOINT in this stage (the first is at line {first.line}): "
                                          "only the last ENTRYPOINT takes effect; keep one")
