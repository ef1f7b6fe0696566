"""M007: a label that label-schema types `spdx` holds something else."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._labels import SCHEMA_OPTIONS, TYPES, is_spdx, typed_check

RULE = Rule(
    code="M007",
    name="label-not-spdx",
    severity="warning",
    summary="A label typed spdx in label-schema is not an SPDX license identifier",
    hadolint=("DL3054",),
    fix=NO_FIX,
    options=SCHEMA_OPTIONS,
    default_enabled=False,  # labels are the project's own convention: opt in, with a label-schema
)
OPTION_CHOICES = {"label-schema": TYPES}  # label name -> one of these types


def check(ctx):
    yield from typed_check(ctx, "spdx", is_spdx, "a current SPDX license identifier (`MIT`, `Apache-2.0`; a deprecated id such as `GPL-2.0` "
                           "is now `GPL-2.0-only` or `GPL-2.0-or-later`)")
