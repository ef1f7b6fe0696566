"""P001: apt-get install of a package without a version."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _pinning as pin

RULE = Rule(
    code="P001",
    name="unpinned-apt-package",
    severity="warning",
    summary="apt-get install names a package without a version (package=version)",
    hadolint=("DL3008",),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: a distribution's pinned versions vanish from its mirrors at each update
)

_TOOLS = ("apt-get", "apt", "aptitude")


def pinned(text: str) -> bool:
    """``curl=7.88.1-10``, ``curl=7.*``; ``curl/bookworm-backports`` (a release); a ``.deb`` file or a path;
    a task (``lamp-server^``), which has no version."""
    return "=" in text or "/" in text or text.endswith((".deb", "^"))


def packages(call):
    if call.manager != "apt" or pin.tool_name(call) not in _TOOLS or call.subcommand != "install":
        return None
    ops = pin.operands(call, pin.with_value("apt"))
    return ops[1:], pinned


_MENTIONS = ("apt", "install")  # a script without these words is not read


def check(ctx):
    yield from pin.check_runs(ctx, _MENTIONS, packages, lambda names: (
        f"apt install of {pin.listed(names)} without a version: each build gets whatever the mirror has that "
        "day; pin with `package=version` where the image must be reproducible"))
