"""D009: ONBUILD ONBUILD, ONBUILD FROM and ONBUILD MAINTAINER, which the build refuses."""
from __future__ import annotations

from ..rule import NO_FIX, Rule

RULE = Rule(
    code="D009",
    name="onbuild-forbidden-trigger",
    severity="error",
    summary="ONBUILD cannot trigger ONBUILD, FROM or MAINTAINER",
    hadolint=("DL3043",),
    fix=NO_FIX,
)

_WHY = {
    "ONBUILD": "chaining ONBUILD via `ONBUILD ONBUILD` is not allowed",
    "FROM": "FROM is not allowed as an ONBUILD trigger",
    "MAINTAINER": "MAINTAINER is not allowed as an ONBUILD trigger",
}


def check(ctx):
    for ins in ctx.doc.instructions:
        inner = ins.inner
        if ins.name == "ONBUILD" and inner is not None and inner.name in _WHY:
            yield ctx.at_instruction(ins, f"`ONBUILD {inner.keyword}`: {_WHY[inner.name]}; the build refuses "
                                          "this instruction")
