"""D012: MAINTAINER, deprecated in favour of a label."""
from __future__ import annotations

import json

from .._regex import lazy_compile
from ..diagnostics import Edit, Fix
from ..rule import SAFE, Rule

RULE = Rule(
    code="D012",
    name="maintainer-deprecated",
    severity="error",
    summary="MAINTAINER is deprecated; use LABEL maintainer=",
    hadolint=("DL4000",),
    fix=SAFE,
)

# A value that reads the same inside LABEL's double quotes: no quote, escape or expansion character.
_QUOTABLE = lazy_compile(r"[^\"'$`\\]+\Z")


def _fix(ctx, ins):
    if len(ins.segments) != 1 or ins.comments:
        return None, "the instruction spans several lines"
    value = ins.args
    if not value or not _QUOTABLE.match(value):
        return None, "the value holds quotes, `$` or escape characters"
    text = ctx.doc.text
    start = ins.file_offset(0)
    while text[start] in " \t\ufeff":
        start += 1
    end = ins.file_end_offset(ins.args_offset + len(value))
    label = "label" if ins.keyword.islower() else "LABEL"
    return Fix("Replace MAINTAINER with LABEL maintainer=", SAFE, [Edit(start, end, f'{label} maintainer="{value}"')]), None


def check(ctx):
    for ins in ctx.doc.instructions:
        if ins.name != "MAINTAINER":  # ``ONBUILD MAINTAINER`` is an error of its own (D009)
            continue
        fix, reason = _fix(ctx, ins)
        yield ctx.at_instruction(ins, "MAINTAINER is deprecated: write the maintainer as a label, "
                                      f"`LABEL maintainer={json.dumps(ins.args, ensure_ascii=False)}`", fix, no_fix_reason=reason)
