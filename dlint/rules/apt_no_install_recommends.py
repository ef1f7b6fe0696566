"""L005: apt-get/apt install without --no-install-recommends in a stage that ships."""
from __future__ import annotations

from ..rule import UNSAFE, Rule
from .. import estimates
from ._apt_recommends import findings, image_shipped

RULE = Rule(
    code="L005",
    name="apt-no-install-recommends",
    severity="info",
    summary="apt install without --no-install-recommends also installs recommended packages",
    hadolint=("DL3015",),
    fix=UNSAFE,
    default_enabled=False,  # opt-in: below 90 % precision in blind review (bench/precision/results.md),
    estimate=estimates.recommended_packages,
)


def check(ctx):
    # Recommends matter where an image ships: an application, or a runtime meant to be extended. In CI,
    # build, development and test images they are often wanted and size is secondary.
    if image_shipped(ctx):
        yield from findings(ctx, shipped=True)
