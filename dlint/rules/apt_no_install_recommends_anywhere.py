"""L010: the apt installs without --no-install-recommends that apt-no-install-recommends (L005) leaves out:
in build stages and images that are not shipped, and of packages with no recommends today (opt-in)."""
from __future__ import annotations

from ..rule import UNSAFE, Rule
from ._apt_recommends import BRING_NONE, EITHER, findings, image_shipped
from ._not_shipped import image_note, noted

RULE = Rule(
    code="L010",
    name="apt-no-install-recommends-anywhere",
    severity="info",
    summary="apt install without --no-install-recommends where L005 does not report (build stages, dev images, "
            "packages without recommends)",
    hadolint=("DL3015",),
    fix=UNSAFE,
    default_enabled=False,  # recommends are often wanted there, or there are none: the shipped image is not bigger
)


def check(ctx):
    if image_shipped(ctx):
        yield from findings(ctx, shipped=True, installs=BRING_NONE)
        for finding in findings(ctx, shipped=False, installs=EITHER):
            yield noted(ctx, finding)
        return
    note = image_note(ctx)
    for shipped in (True, False):
        for finding in findings(ctx, shipped, installs=EITHER):
            yield noted(ctx, finding, note)
