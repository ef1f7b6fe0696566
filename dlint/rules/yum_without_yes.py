"""R005: ``yum install`` without ``-y``."""
from __future__ import annotations

from ..rule import SAFE, Rule
from ._rpm_yes import check_tools

RULE = Rule(
    code="R005",
    name="yum-without-yes",
    severity="warning",
    summary="yum install without -y stops the build at its confirmation question",
    hadolint=("DL3030",),
    fix=SAFE,
)


def check(ctx):
    return check_tools(ctx, ("yum",))
