"""D010: the image that ships has no HEALTHCHECK."""
from __future__ import annotations

from ..rule import NO_FIX, Rule

RULE = Rule(
    code="D010",
    name="missing-healthcheck",
    severity="info",
    summary="The image has no HEALTHCHECK",
    hadolint=("DL3057",),
    fix=NO_FIX,
    default_enabled=False,
)


def check(ctx):
    stage = ctx.graph.production_stage
    if stage is None:
        return
    for index in ctx.graph.chain(stage.index):
        if any(ins.name == "HEALTHCHECK" for ins in ctx.graph.stages[index].instructions):
            return  # HEALTHCHECK NONE is a choice too
    yield ctx.at_instruction(stage.instruction, "the image this file builds has no HEALTHCHECK: Docker cannot tell a "
                                                "running but broken container from a healthy one (add `HEALTHCHECK "
                                                "CMD ...`, or `HEALTHCHECK NONE` to say there is none on purpose)")
