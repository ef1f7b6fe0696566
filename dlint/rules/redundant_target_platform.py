"""D022: ``FROM --platform=$TARGETPLATFORM``, which is what FROM does anyway."""
from __future__ import annotations

from ..diagnostics import Edit, Fix
from ..rule import SAFE, Rule
from ._stage_refs import unquote

RULE = Rule(
    code="D022",
    name="redundant-target-platform",
    severity="warning",
    summary="FROM --platform=$TARGETPLATFORM says what FROM does anyway",
    hadolint=("DL3065",),
    fix=SAFE,
    default_enabled=False,  # redundant, not wrong
)


def check(ctx):
    text = ctx.doc.text
    overridden = "TARGETPLATFORM" in ctx.graph.arg_declarations
    for stage in ctx.stages:
        ins = stage.instruction
        flag = ins.flag("platform")
        if flag is None or unquote(flag.value or "") not in ("$TARGETPLATFORM", "${TARGETPLATFORM}"):
            continue
        fix = None
        reason = None
        if overridden:
            reason = "the file declares ARG TARGETPLATFORM before the first FROM, which may give it another value"
        else:
            end = flag.end
            while end < len(text) and text[end] in " \t":
                end += 1
            fix = Fix("Remove `--platform=$TARGETPLATFORM`", SAFE, [Edit(flag.start, end, "")])
        yield ctx.at_instruction(
            ins, "`--platform=$TARGETPLATFORM` is the platform FROM uses by default; leave it out (BuildKit "
                 "builds every stage for the target platform unless told otherwise)", fix, reason)
