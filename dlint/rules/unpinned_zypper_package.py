"""P007: zypper install of a package without a version."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _pinning as pin

RULE = Rule(
    code="P007",
    name="unpinned-zypper-package",
    severity="warning",
    summary="zypper install names a package without a version (package=version)",
    hadolint=("DL3037",),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: repositories keep few old builds; pins break as the distribution updates
)


def pinned(text: str) -> bool:
    """``curl=8.0.1``, ``curl>=8``, ``curl<9``; a local ``.rpm`` file."""
    return any(c in text for c in "=<>") or text.endswith(".rpm")


def packages(call):
    if call.manager != "zypper" or call.subcommand not in ("install", "in"):
        return None
    ops = pin.operands(call, pin.with_value("zypper"))
    return ops[1:], pinned


_MENTIONS = ("zypper",)  # a script without these words is not read


def check(ctx):
    yield from pin.check_runs(ctx, _MENTIONS, packages, lambda names: (
        f"zypper install of {pin.listed(names)} without a version: each build gets whatever the repository "
        "has that day; pin with `package=version` where the image must be reproducible"))
