"""M005: a label that label-schema types `url` holds something else."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._labels import SCHEMA_OPTIONS, TYPES, is_url, typed_check

RULE = Rule(
    code="M005",
    name="label-not-url",
    severity="warning",
    summary="A label typed url in label-schema is not a URL",
    hadolint=("DL3052",),
    fix=NO_FIX,
    options=SCHEMA_OPTIONS,
    default_enabled=False,  # labels are the project's own convention: opt in, with a label-schema
)
OPTION_CHOICES = {"label-schema": TYPES}  # label name -> one of these types


def check(ctx):
    yield from typed_check(ctx, "url", is_url, "a URL (an absolute URI such as `https://example.com/repo`)")
