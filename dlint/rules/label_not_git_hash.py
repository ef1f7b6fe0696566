"""M008: a label that label-schema types `hash` holds something else."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._labels import SCHEMA_OPTIONS, TYPES, is_git_hash, typed_check

RULE = Rule(
    code="M008",
    name="label-not-git-hash",
    severity="warning",
    summary="A label typed hash in label-schema is not a git commit id",
    hadolint=("DL3055",),
    fix=NO_FIX,
    options=SCHEMA_OPTIONS,
    default_enabled=False,  # labels are the project's own convention: opt in, with a label-schema
)
OPTION_CHOICES = {"label-schema": TYPES}  # label name -> one of these types


def check(ctx):
    yield from typed_check(ctx, "hash", is_git_hash, "a git commit id (7 or 40 lower-case hexadecimal digits)")
