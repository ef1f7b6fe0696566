"""M010: a label that label-schema types `email` holds something else."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._labels import SCHEMA_OPTIONS, TYPES, is_email, typed_check

RULE = Rule(
    code="M010",
    name="label-not-email",
    severity="warning",
    summary="A label typed email in label-schema is not an e-mail address",
    hadolint=("DL3058",),
    fix=NO_FIX,
    options=SCHEMA_OPTIONS,
    default_enabled=False,  # labels are the project's own convention: opt in, with a label-schema
)
OPTION_CHOICES = {"label-schema": TYPES}  # label name -> one of these types


def check(ctx):
    yield from typed_check(ctx, "email", is_email, "an e-mail address (`team@example.com`)")
