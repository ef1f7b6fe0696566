"""M009: a label that label-schema types `semver` holds something else."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._labels import SCHEMA_OPTIONS, TYPES, is_semver, typed_check

RULE = Rule(
    code="M009",
    name="label-not-semver",
    severity="warning",
    summary="A label typed semver in label-schema is not a semantic version",
    hadolint=("DL3056",),
    fix=NO_FIX,
    options=SCHEMA_OPTIONS,
    default_enabled=False,  # labels are the project's own convention: opt in, with a label-schema
)
OPTION_CHOICES = {"label-schema": TYPES}  # label name -> one of these types


def check(ctx):
    yield from typed_check(ctx, "semver", is_semver, "a semantic version (`1.4.2`, `2.0.0-rc.1`)")
