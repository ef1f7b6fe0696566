"""L011: what consecutive-runs (L008) reports, in the stages whose layers do not ship (opt-in)."""
from __future__ import annotations

from ..rule import SAFE, Rule
from ._groups import consecutive_run_findings
from ._not_shipped import noted

RULE = Rule(
    code="L011",
    name="consecutive-runs-in-build-stage",
    severity="info",
    summary="Consecutive RUN instructions of a build stage that does not ship could be one layer",
    hadolint=("DL3059",),
    fix=SAFE,
    default_enabled=False,  # separate RUNs of a build stage keep their own cache entries, often on purpose
)


def check(ctx):
    for finding in consecutive_run_findings(ctx, shipped=False):
        yield noted(ctx, finding)
