"""M002: a stage lacks a label that label-schema asks for."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._labels import SCHEMA_OPTIONS, TYPES, label_pairs, schema

RULE = Rule(
    code="M002",
    name="missing-label",
    severity="info",
    summary="An image lacks a label that label-schema asks for",
    hadolint=("DL3049",),
    fix=NO_FIX,
    options=SCHEMA_OPTIONS,
    default_enabled=False,  # labels are the project's own convention: opt in, with a label-schema
)
OPTION_CHOICES = {"label-schema": TYPES}  # label name -> one of these types


def check(ctx):
    wanted = list(schema(ctx))
    if not wanted:
        return
    graph = ctx.graph
    own = []
    for stage in ctx.stages:
        names = set()
        for ins in stage.instructions:
            if ins.name == "LABEL":
                names.update(k for k, _ in label_pairs(ctx, ins))
        own.append(names)
    # Stages only copied from (COPY --from, RUN --mount from=) are build steps, not images.
    sources = {index for stage in ctx.stages for _, index, _ in graph.copy_sources(stage) if index is not None}
    for stage in ctx.stages:
        if stage.index in sources:
            continue
        have = set()
        for index in graph.chain(stage.index):
            have |= own[index]
        missing = [name for name in wanted if name not in have]
        for name in missing:
            yield ctx.at_instruction(stage.instruction, f"the image built by this stage has no label `{name}` "
                                                        "(label-schema asks for it)")
