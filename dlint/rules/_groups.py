"""Shared by the rules that merge adjacent RUNs."""
from __future__ import annotations

from ..diagnostics import Fix
from ..syntax import Instruction

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Callable, Iterator, List, Optional, Tuple


def adjacent_run_groups(ctx, stage, joins: Callable[[Instruction, Instruction], bool]) -> Iterator[List[Instruction]]:
    """Maximal runs of RUNs with nothing but comments between them, where each joins the previous."""
    group: List[Instruction] = []
    for ins in stage.instructions:
        if ins.name == "RUN" and group and joins(group[-1], ins):
            group.append(ins)
            continue
        if len(group) > 1:
            yield group
        group = [ins] if ins.name == "RUN" else []
    if len(group) > 1:
        yield group


def group_fix(ctx, stage, group: List[Instruction], title: str) -> Tuple[Optional[Fix], str]:
    """Merge the group's RUNs two by two (first and second, third and fourth, ...; a pair that cannot be
    merged is skipped by one): the pairs' edits do not touch, and the fixer repeats on the new text until
    the group is one RUN, in about log2(len(group)) rounds instead of one round per RUN."""
    edits = []
    reasons = []
    i = 0
    while i + 1 < len(group):
        fix, why = ctx.merge_fix(stage, group[i], group[i + 1], title)
        if fix is not None:
            edits.extend(fix.edits)
            i += 2
        else:
            reasons.append(why)
            i += 1
    if edits:
        return Fix(title, "safe", edits), ""
    return None, "; ".join(dict.fromkeys(reasons))


def consecutive_run_findings(ctx, shipped: bool):
    """What consecutive-runs (L008) and consecutive-runs-in-build-stage (L011) report: the RUNs that could join
    the one before, in the stages that ship (``shipped``: a build stage's layers never reach the image), or in
    the other stages."""
    for stage in ctx.stages:
        if ctx.is_shipping(stage) != shipped:
            continue
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
