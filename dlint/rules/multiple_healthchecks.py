"""D004: more than one HEALTHCHECK in a stage: only the last one takes effect."""
from __future__ import annotations

from ..rule import NO_FIX, Rule

RULE = Rule(
    code="D004",
    name="multiple-healthchecks",
    severity="error",
    summary="A stage has more than one HEALTHCHECK; only the last one takes effect",
    hadolint=("DL3012",),
    fix=NO_FIX,
)


def check(ctx):
    for stage in ctx.stages:
        first = None
        for ins in stage.instructions:
            if ins.name != "HEALTHCHECK":
                continue
            if first is None:
                first = ins
                continue
            yield ctx.at_instruction(ins, f"a second HEALTHCHECK in this stage (the first is at line {first.line}): "
                                          "only the last HEALTHCHECK of an image takes effect; keep one")
