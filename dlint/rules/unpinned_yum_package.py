"""P006: yum install of a package without a version."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _pinning as pin

RULE = Rule(
    code="P006",
    name="unpinned-yum-package",
    severity="warning",
    summary="yum install names a package without a version (package-version)",
    hadolint=("DL3033",),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: repositories keep few old builds; pins break as the distribution updates
)


def packages(call):
    if call.manager != "dnf" or pin.tool_name(call) != "yum":
        return None
    return pin.rpm_packages(call, pin.with_value("dnf"))


_MENTIONS = ("yum", "install")  # a script without these words is not read


def check(ctx):
    yield from pin.check_runs(ctx, _MENTIONS, packages, lambda names: (
        f"yum install of {pin.listed(names)} without a version: each build gets whatever the repository has "
        "that day; pin with `package-version` (a module with `module:stream`) where the image must be "
        "reproducible"))
