"""R008: ``dnf install`` / ``microdnf install`` without ``-y``."""
from __future__ import annotations

from ..rule import SAFE, Rule
from ._rpm_yes import check_tools

RULE = Rule(
    code="R008",
    name="dnf-without-yes",
    severity="warning",
    summary="dnf install without -y stops the build at its confirmation question",
    hadolint=("DL3038",),
    fix=SAFE,
)


def check(ctx):
    return check_tools(ctx, ("dnf", "microdnf", "dnf5"))
