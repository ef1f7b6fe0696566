"""M004: a label that label-schema asks for is set to an empty value."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._labels import SCHEMA_OPTIONS, TYPES, labels, schema

RULE = Rule(
    code="M004",
    name="empty-label",
    severity="warning",
    summary="A label that label-schema asks for is empty",
    hadolint=("DL3051",),
    fix=NO_FIX,
    options=SCHEMA_OPTIONS,
    default_enabled=False,  # labels are the project's own convention: opt in, with a label-schema
)
OPTION_CHOICES = {"label-schema": TYPES}  # label name -> one of these types


def check(ctx):
    wanted = schema(ctx)
    if not wanted:
        return
    for _, ins, pairs in labels(ctx):
        for name, value in pairs:
            if name in wanted and value == "":
                yield ctx.at_instruction(ins, f"label `{name}` is empty (label-schema asks for a value)")
