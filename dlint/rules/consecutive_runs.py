"""L008: any consecutive RUNs (opt-in)."""
from __future__ import annotations

from ..rule import SAFE, Rule
from .. import estimates
from ._groups import consecutive_run_findings

RULE = Rule(
    code="L008",
    name="consecutive-runs",
    severity="info",
    summary="Consecutive RUN instructions could be one layer",
    hadolint=("DL3059",),
    fix=SAFE,
    default_enabled=False,
    estimate=estimates.extra_layers,
)


def check(ctx):
    return consecutive_run_findings(ctx, shipped=True)
