"""B004: a base image (or an image ``COPY --from`` copies from) without a version tag, or with ``:latest``."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._base_pins import findings, not_shipped_reason

RULE = Rule(
    code="B004",
    name="unpinned-base-image",
    severity="warning",
    summary="Base image without a version tag or digest (or tagged latest): builds change under you",
    hadolint=("DL3006", "DL3007", "DL3022"),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: below 90 % precision in blind review (bench/precision/results.md)
)


def check(ctx):
    if not_shipped_reason(ctx) is None:
        yield from findings(ctx)
