"""P008: dnf (microdnf, dnf5, tdnf) install of a package without a version."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _pinning as pin

RULE = Rule(
    code="P008",
    name="unpinned-dnf-package",
    severity="warning",
    summary="dnf install names a package without a version (package-version)",
    hadolint=("DL3041",),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: repositories keep few old builds; pins break as the distribution updates
)

_TOOLS = ("dnf", "microdnf", "dnf5", "tdnf")


def packages(call):
    if call.manager != "dnf" or pin.tool_name(call) not in _TOOLS:
        return None
    return pin.rpm_packages(call, pin.with_value("dnf"))


_MENTIONS = ("dnf", "install")  # a script without these words is not read


def check(ctx):
    yield from pin.check_runs(ctx, _MENTIONS, packages, lambda names: (
        f"dnf install of {pin.listed(names)} without a version: each build gets whatever the repository has "
        "that day; pin with `package-version` (a module with `module:stream`) where the image must be "
        "reproducible"))
