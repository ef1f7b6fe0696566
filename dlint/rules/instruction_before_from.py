"""D011: an instruction other than ARG before the first FROM."""
from __future__ import annotations

from ..rule import NO_FIX, Rule

RULE = Rule(
    code="D011",
    name="instruction-before-from",
    severity="error",
    summary="Only ARG may come before the first FROM",
    hadolint=("DL3061",),
    fix=NO_FIX,
)


def check(ctx):
    for ins in ctx.doc.instructions:
        if ins.name == "FROM":
            return
        if ins.name != "ARG":
            yield ctx.at_instruction(ins, f"{ins.keyword} before the first FROM: a Dockerfile starts with FROM, "
                                          "and only ARG (and comments and parser directives) may come before it; "
                                          "the build refuses this file")
