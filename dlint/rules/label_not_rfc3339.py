"""M006: a label that label-schema types `rfc3339` holds something else."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._labels import SCHEMA_OPTIONS, TYPES, is_rfc3339, typed_check

RULE = Rule(
    code="M006",
    name="label-not-rfc3339",
    severity="warning",
    summary="A label typed rfc3339 in label-schema is not an RFC 3339 time",
    hadolint=("DL3053",),
    fix=NO_FIX,
    options=SCHEMA_OPTIONS,
    default_enabled=False,  # labels are the project's own convention: opt in, with a label-schema
)
OPTION_CHOICES = {"label-schema": TYPES}  # label name -> one of these types


def check(ctx):
    yield from typed_check(ctx, "rfc3339", is_rfc3339, "an RFC 3339 time (`2024-05-01T12:00:00Z`)")
