"""L009: what cache-left-in-layer (L004) reports, in the stages whose layers do not ship (opt-in)."""
from __future__ import annotations

from ..rule import SAFE, UNSAFE, Rule
from ._cache_left import findings
from ._not_shipped import noted

RULE = Rule(
    code="L009",
    name="cache-left-in-build-stage",
    severity="info",
    summary="A package manager's cache or index stays in a layer of a build stage that does not ship",
    hadolint=("DL3009", "DL3019", "DL3042", "DL3060", "DL3032", "DL3036", "DL3040"),
    fix=SAFE,
    extra_fixes=(UNSAFE,),
    default_enabled=False,  # the image is not bigger for it: build time and cache space only
    defers_to=("L001",),  # update-without-install reports an index update with no install, in every stage
)


def check(ctx):
    for finding in findings(ctx, shipped=False):
        yield noted(ctx, finding)
