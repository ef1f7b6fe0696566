"""M001: a label key outside Docker's recommended form."""
from __future__ import annotations

import re

from ..rule import NO_FIX, Rule
from ._labels import labels

RULE = Rule(
    code="M001",
    name="invalid-label-key",
    severity="style",
    summary="A label key is not lower-case letters, digits, `.`, `-`, `_` and `/`, or uses a reserved namespace",
    hadolint=("DL3048",),
    fix=NO_FIX,
    default_enabled=False,  # a naming convention, not a fault of the build
)

_VALID = re.compile(r"[a-z](?:[a-z0-9._/-]*[a-z0-9])?\Z")
_RESERVED = ("com.docker.", "io.docker.", "org.dockerproject.")


def problem(key: str):
    if key.startswith(_RESERVED):
        return "uses a namespace Docker reserves"
    if ".." in key or "--" in key:
        return "has consecutive separators"
    if not _VALID.match(key):
        return ("must start with a lower-case letter, end with a letter or digit, and hold only lower-case "
                "letters, digits, `.`, `-`, `_` and `/`")
    return None


def check(ctx):
    for _, ins, pairs in labels(ctx):
        bad = [(k, problem(k)) for k, _ in pairs if problem(k)]
        if bad:
            key, why = bad[0]
            more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
            yield ctx.at_instruction(ins, f"label key `{key}` {why}{more}; prefer reverse-DNS keys such as "
                                          "`org.opencontainers.image.title`")
