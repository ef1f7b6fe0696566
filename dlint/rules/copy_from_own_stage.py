"""D017: ``COPY --from`` names the stage the COPY is in."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._stage_refs import STAGE, copy_from

RULE = Rule(
    code="D017",
    name="copy-from-own-stage",
    severity="error",
    summary="COPY --from names the stage it is in; BuildKit refuses the circular dependency",
    hadolint=("DL3023",),
    fix=NO_FIX,
)


def check(ctx):
    for stage in ctx.stages:
        for ins in stage.instructions:
            if ins.name != "COPY":
                continue
            found = copy_from(ctx, ins, stage.index)
            if found is not None and found[0] == STAGE and found[2] == stage.index:
                yield ctx.at_instruction(
                    ins, f"`COPY --from={found[1]}` names the stage it is in (line {stage.instruction.line}): a "
                         "stage cannot copy from itself; name the stage that holds the files")
