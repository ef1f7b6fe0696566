"""B005: the unpinned base images that unpinned-base-image (B004) leaves out: in images made for
development, CI or tests and in test inputs, and images named for their version (opt-in)."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._base_pins import findings, not_shipped_reason
from ._not_shipped import noted

RULE = Rule(
    code="B005",
    name="unpinned-base-image-anywhere",
    severity="info",
    summary="Base image without a version tag (or tagged latest) where B004 does not report (dev, CI and test "
            "images, images named for their version)",
    hadolint=("DL3006", "DL3007", "DL3022"),
    fix=NO_FIX,
    default_enabled=False,  # such images often track their base on purpose, or are pinned by their name
)


def check(ctx):
    reason = not_shipped_reason(ctx)
    if reason is None:
        yield from findings(ctx, loose_pins=True)
        return
    for loose_pins in (False, True):
        for finding in findings(ctx, loose_pins):
            yield noted(ctx, finding, reason)
