"""L004: a package manager's cache or index is left in the layer that made it."""
from __future__ import annotations

from ..rule import SAFE, UNSAFE, Rule
from .. import estimates
from ._cache_left import findings

RULE = Rule(
    code="L004",
    name="cache-left-in-layer",
    severity="warning",
    summary="A package manager's download cache or index stays in the layer that created it",
    hadolint=("DL3009", "DL3019", "DL3042", "DL3060", "DL3032", "DL3036", "DL3040"),
    fix=SAFE,
    extra_fixes=(UNSAFE,),  # a later RUN runs code that cannot be seen (a script, make) and might install
    defers_to=("L001", "L002", "L003"),
    estimate=estimates.cache_in_layer,
)


def check(ctx):
    return findings(ctx, shipped=True)
