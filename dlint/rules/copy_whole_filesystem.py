"""D023: ``COPY --from=<stage or image> / /``: a whole filesystem copied."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._stage_refs import unquote

RULE = Rule(
    code="D023",
    name="copy-whole-filesystem",
    severity="warning",
    summary="COPY --from copies a whole filesystem (/ to /)",
    hadolint=("DL3067",),
    fix=NO_FIX,
    default_enabled=False,  # `FROM scratch` + `COPY --from=x / /` is a common, deliberate pattern
)


def check(ctx):
    for stage in ctx.stages:
        for ins in stage.instructions:
            if ins.name != "COPY" or ins.flag("from") is None or ins.heredocs:
                continue
            words = [unquote(w) for w in ins.words()]
            if len(words) >= 2 and words[-1] == "/" and "/" in words[:-1]:
                yield ctx.at_instruction(
                    ins, "`COPY --from` copies a whole filesystem to `/`: everything, package databases and "
                         "caches included, lands in this image; copy the paths you need")
