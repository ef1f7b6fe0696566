"""D017: ``COPY --from`` names the stage the COPY is in, or a stage that needs this one (a cycle)."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._stage_refs import LATER, STAGE, copy_from

RULE = Rule(
    code="D017",
    name="copy-from-own-stage",
    severity="error",
    summary="COPY --from names the stage it is in (or one built from it); BuildKit refuses the circular dependency",
    hadolint=("DL3023",),
    fix=NO_FIX,
)


def _needs(ctx):
    """Stage index -> the stages it needs: the one it is built on, those it copies or mounts from."""
    graph = ctx.graph
    out = {}
    for stage in ctx.stages:
        deps = {index for _, index, _ in graph.copy_sources(stage) if index is not None}
        parent = graph.bases[stage.index].parent_stage
        if parent is not None:
            deps.add(parent)
        out[stage.index] = deps
    return out


def _path(needs, start: int, goal: int):
    """Stages from ``start`` to ``goal`` along what each needs, or None."""
    seen = {start}
    paths = [[start]]
    while paths:
        path = paths.pop()
        for nxt in sorted(needs.get(path[-1], ())):
            if nxt == goal:
                return path + [nxt]
            if nxt not in seen:
                seen.add(nxt)
                paths.append(path + [nxt])
    return None


def check(ctx):
    needs = None
    for stage in ctx.stages:
        for ins in stage.instructions:
            if ins.name != "COPY":
                continue
            found = copy_from(ctx, ins, stage.index)
            if found is None or found[0] not in (STAGE, LATER):
                continue
            if found[2] == stage.index:
                yield ctx.at_instruction(
                    ins, f"`COPY --from={found[1]}` names the stage it is in (line {stage.instruction.line}): a "
                         "stage cannot copy from itself; name the stage that holds the files")
            elif found[0] == LATER:  # only a stage further down can need this one
                if needs is None:
                    needs = _needs(ctx)
                path = _path(needs, found[2], stage.index)
                if path:
                    shown = " -> ".join(f"line {ctx.stages[i].instruction.line}" for i in path)
                    yield ctx.at_instruction(
                        ins, f"`COPY --from={found[1]}` makes a cycle: that stage needs this one ({shown}); "
                             "BuildKit refuses a circular dependency")
