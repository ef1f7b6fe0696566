"""D008: FROM --platform with a fixed platform."""
from __future__ import annotations

from .._regex import lazy_compile
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

# The platforms BuildKit fills in for each build: ``$BUILDPLATFORM``, ``$TARGETPLATFORM`` and their parts.
_FOLLOWS_BUILD = lazy_compile(r"\$\{?(BUILD|TARGET)(PLATFORM|OS|ARCH|VARIANT)\b")


def check(ctx):
    for stage in ctx.stages:
        ins = stage.instruction
        flag = ins.flag("platform")
        if flag is None or flag.value is None:
            continue
        if _FOLLOWS_BUILD.search(flag.value):  # the platform the build runs on or is asked for
            continue
        yield ctx.diagnostic(flag.start, flag.end, f"`FROM --platform={flag.value}` builds this stage for the "
                                                    "platform it names whatever `docker build --platform` asks; use "
                                                    "`$BUILDPLATFORM` (for a build stage) or `$TARGETPLATFORM`, "
                                                    "or leave the flag out")
