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
    """Merge the first pair that can be merged; the fixer repeats until the group is one RUN."""
    reasons = []
    for a, b in zip(group, group[1:]):
        fix, why = ctx.merge_fix(stage, a, b, title)
        if fix is not None:
            return fix, ""
        reasons.append(why)
    return None, "; ".join(dict.fromkeys(reasons))
