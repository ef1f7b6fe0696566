"""M003: with strict-labels, a label that label-schema does not list."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._labels import SCHEMA_OPTIONS, TYPES, labels, schema

RULE = Rule(
    code="M003",
    name="superfluous-label",
    severity="info",
    summary="With strict-labels, a LABEL sets a label that label-schema does not list",
    hadolint=("DL3050",),
    fix=NO_FIX,
    options=SCHEMA_OPTIONS,
    default_enabled=False,  # labels are the project's own convention: opt in, with a label-schema
)
OPTION_CHOICES = {"label-schema": TYPES}  # label name -> one of these types


def check(ctx):
    if not ctx.option("strict-labels"):
        return
    wanted = schema(ctx)
    for _, ins, pairs in labels(ctx):
        extra = [k for k, _ in pairs if k not in wanted]
        if extra:
            shown = ", ".join(f"`{k}`" for k in dict.fromkeys(extra))
            yield ctx.at_instruction(ins, f"label {shown} is not in label-schema, and strict-labels allows no other")
