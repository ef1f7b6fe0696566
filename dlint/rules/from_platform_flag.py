"""D008: FROM --platform with a fixed platform."""
from __future__ import annotations

from ..rule import NO_FIX, Rule

RULE = Rule(
    code="D008",
    name="from-platform-flag",
    severity="warning",
    summary="FROM --platform fixes the platform the image is built for",
    hadolint=("DL3029",),
    fix=NO_FIX,
    default_enabled=False,
)


def check(ctx):
    for stage in ctx.stages:
        ins = stage.instruction
        flag = ins.flag("platform")
        if flag is None or flag.value is None:
            continue
        if "$" in flag.value:  # $BUILDPLATFORM, $TARGETPLATFORM, or a build argument: chosen per build
            continue
        yield ctx.diagnostic(flag.start, flag.end, f"`FROM --platform={flag.value}` builds this stage for that "
                                                    "platform whatever `docker build --platform` asks; use "
                                                    "`$BUILDPLATFORM` (for a build stage) or `$TARGETPLATFORM`, "
                                                    "or leave the flag out")
