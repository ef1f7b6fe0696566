"""L001: a package index update in a RUN that installs nothing, with the install in a later RUN."""
from __future__ import annotations

from ..rule import SAFE, Rule
from ._facts import update_only_runs


RULE = Rule(
    code="L001",
    name="update-without-install",
    severity="warning",
    summary="Package index updated in a RUN that installs nothing; the install comes in a later layer",
    fix=SAFE,
)


def check(ctx):
    for stage in ctx.stages:
        for run, manager, later in update_only_runs(ctx, stage):
            msg = (f"the {manager} package index is updated here but packages are installed in a later RUN "
                   f"(line {later.line}): this layer keeps the index and later builds may install from a stale "
                   "cached one; update and install in the same RUN")
            fix, why = ctx.merge_fix(stage, run, later, "Merge the index update into the RUN that installs")
            yield ctx.at_instruction(run, msg, fix, no_fix_reason=why)
