"""P004: apk add of a package without a version."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _pinning as pin

RULE = Rule(
    code="P004",
    name="unpinned-apk-package",
    severity="warning",
    summary="apk add names a package without a version (package=version)",
    hadolint=("DL3018",),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: Alpine drops old package versions from its branches
)


def pinned(text: str) -> bool:
    """``curl=8.5.0-r0``, ``curl~8.5``, ``curl>8``, ``curl<9``; a local ``.apk`` file."""
    return any(c in text for c in "=~<>") or text.endswith(".apk")


def packages(call):
    if call.manager != "apk" or call.subcommand != "add":
        return None
    ops = pin.operands(call, pin.with_value("apk"))
    return ops[1:], pinned


_MENTIONS = ("apk", "add")  # a script without these words is not read


def check(ctx):
    yield from pin.check_runs(ctx, _MENTIONS, packages, lambda names: (
        f"apk add of {pin.listed(names)} without a version: each build gets whatever the repository has that "
        "day; pin with `package=version` (or `package~major.minor`) where the image must be reproducible"))
