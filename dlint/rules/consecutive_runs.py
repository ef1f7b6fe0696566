"""L008: any consecutive RUNs (opt-in)."""
from __future__ import annotations

from ..rule import SAFE, Rule
from .. import estimates
from ._groups import adjacent_run_groups

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
            # the group by its first and last line: a message listing every line of a long group would be
            # as long as the group, once per finding
            lines = f"{group[0].line}-{group[-1].line}"
            # One finding per RUN that could join the RUN before it, with the fix that merges the two: the
            # fixer takes the pairs whose edits do not touch (first and second, third and fourth, ...) and
            # repeats on the new text until the group is one RUN.
            for before, run in zip(group, group[1:]):
                fix, why = ctx.merge_fix(stage, before, run, f"Merge this RUN into the RUN on line {before.line}")
                msg = (f"this RUN could join the RUN on line {before.line} in one layer ({len(group)} consecutive "
                       f"RUNs, lines {lines})")
                yield ctx.at_instruction(run, msg, fix, no_fix_reason=why)
