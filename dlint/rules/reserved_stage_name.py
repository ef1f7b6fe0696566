"""D021: a stage named ``scratch`` or ``context``."""
from __future__ import annotations

from ..rule import NO_FIX, Rule

RULE = Rule(
    code="D021",
    name="reserved-stage-name",
    severity="warning",
    summary="A stage is named scratch or context, names BuildKit reserves",
    hadolint=("DL3063",),
    fix=NO_FIX,
)

_RESERVED = {"scratch": "`FROM scratch` means the empty image, never a stage",
             "context": "`context` names the build context in `--from` and named contexts"}


def check(ctx):
    for stage in ctx.stages:
        alias = stage.alias
        if alias and alias.lower() in _RESERVED:
            yield ctx.at_instruction(stage.instruction, f"stage name `{alias}` is reserved: "
                                                        f"{_RESERVED[alias.lower()]}; choose another name")
