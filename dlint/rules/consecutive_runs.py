"""L008: any consecutive RUNs (opt-in)."""
from __future__ import annotations

from ..rule import SAFE, Rule
from .. import estimates
from ._groups import adjacent_run_groups, group_fix

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
    for stage in ctx.stages:
        if not ctx.is_shipping(stage):
            continue  # a build stage's layers never reach the image
        for group in adjacent_run_groups(ctx, stage, lambda a, b: True):
            fix, why = group_fix(ctx, stage, group, f"Merge the {len(group)} RUNs into one")
            msg = f"{len(group)} consecutive RUNs (lines {', '.join(str(i.line) for i in group)}) could be one layer"
            yield ctx.at_instruction(group[0], msg, fix, no_fix_reason=why)
