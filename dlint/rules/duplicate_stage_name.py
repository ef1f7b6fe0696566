"""D018: two stages with the same name."""
from __future__ import annotations

from ..rule import NO_FIX, Rule

RULE = Rule(
    code="D018",
    name="duplicate-stage-name",
    severity="error",
    summary="Two stages have the same name: references resolve to only one of them",
    hadolint=("DL3024",),
    fix=NO_FIX,
)


def check(ctx):
    seen = {}
    for stage in ctx.stages:
        if not stage.alias:
            continue
        key = stage.alias.lower()  # BuildKit compares stage names without case
        first = seen.get(key)
        if first is None:
            seen[key] = stage
            continue
        yield ctx.at_instruction(
            stage.instruction, f"stage name `{stage.alias}` is already taken by the stage on line "
                               f"{first.instruction.line}: `--from`, `FROM` and `--target` reach only one of them; give each "
                                                   "stage its own name")
