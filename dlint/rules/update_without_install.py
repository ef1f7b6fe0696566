"""L001: a package index update in a RUN that installs nothing, with the install in a later RUN."""
from __future__ import annotations

from ..diagnostics import Fix
from ..merge import removal_edit
from ..rule import NO_HADOLINT, SAFE, Rule
from .. import estimates
from ._facts import update_only_runs


RULE = Rule(
    code="L001",
    name="update-without-install",
    severity="warning",
    summary="Package index updated in a RUN that installs nothing; the install comes in a later layer",
    # An update-only apt RUN keeps the lists in its layer: what hadolint's DL3009 reports on that RUN.
    hadolint=("DL3009",),
    fix=SAFE,
    estimate=estimates.package_index,
)


def _updates_before_installing(ctx, run, manager: str) -> bool:
    """Whether ``run`` refreshes the ``manager`` index itself before its first install."""
    calls = [c for c in ctx.calls(run) if c.manager == manager]
    first_install = min((c.command.start for c in calls if c.kind in ("install", "upgrade")), default=None)
    return first_install is not None and any(c.kind == "update" and c.command.start < first_install for c in calls)


def _deletion(ctx, stage, run, manager: str, later):
    """A Fix deleting ``run`` when it does nothing but refresh the index that ``later`` refreshes again, and
    no RUN stands between them (one could read the index); else None."""
    script = ctx.script(run)
    if script is None or script.has_error or run.heredocs or run.flags:
        return None
    calls = ctx.calls(run)
    if len(calls) != len(script.commands) or any(c.manager != manager or c.kind != "update" for c in calls):
        return None  # it does something else too
    if any(c.command.context for c in calls):
        return None  # inside a condition, a loop, a pipeline or a subshell: read as written, not guessed
    runs = ctx.runs(stage)
    if runs.index(later) != runs.index(run) + 1:
        return None
    return Fix("Delete the index update that the installing RUN repeats", "safe", [removal_edit(ctx.doc, run)])


def _hadolint(manager: str) -> str:
    return "DL3009" if manager == "apt" else NO_HADOLINT  # hadolint has no rule for the other managers' index


def check(ctx):
    for stage in ctx.stages:
        for run, manager, later in update_only_runs(ctx, stage):
            code = _hadolint(manager)
            if _updates_before_installing(ctx, later, manager):
                msg = (f"the {manager} package index updated here is updated again by the RUN on line "
                       f"{later.line} before it installs: this RUN only adds a layer that keeps an index "
                       "nothing reads; delete it")
                fix = _deletion(ctx, stage, run, manager, later)
                yield ctx.at_instruction(run, msg, fix, no_fix_reason="the RUN does more than update the index, "
                                                                      "or other RUNs stand before the install",
                                         hadolint=code)
                continue
            msg = (f"the {manager} package index is updated here but packages are installed in a later RUN "
                   f"(line {later.line}): this layer keeps the index and later builds may install from a stale "
                   "cached one; update and install in the same RUN")
            fix, why = ctx.merge_fix(stage, run, later, "Merge the index update into the RUN that installs")
            yield ctx.at_instruction(run, msg, fix, no_fix_reason=why, hadolint=code)
