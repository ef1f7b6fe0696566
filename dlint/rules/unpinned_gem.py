"""P005: gem install of a gem without a version."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _pinning as pin

RULE = Rule(
    code="P005",
    name="unpinned-gem",
    severity="warning",
    summary="gem install names a gem without a version (gem:version or -v)",
    hadolint=("DL3028",),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: tools such as bundler are often wanted at their newest
)

_WITH_VALUE = ("--build-root", "--document", "-P", "--trust-policy", "-g", "--file")


def _versioned(call) -> bool:
    """``-v 2.4``, ``--version 2.4``, ``--version=2.4``: the version is given for every gem named."""
    return any(w in ("-v", "--version") or w.startswith(("--version=", "-v")) and not w.startswith("--verbose")
               for w in pin.option_words(call))


def pinned(text: str) -> bool:
    """``rails:7.1.3``; a local ``.gem`` file or a path."""
    return ":" in text or text.endswith(".gem") or "/" in text


def packages(call):
    if call.manager != "gem" or call.subcommand not in ("install", "i") or _versioned(call):
        return None
    ops = pin.operands(call, pin.with_value("gem", _WITH_VALUE))
    return ops[1:], pinned


_MENTIONS = ("gem", "i")  # a script without these words is not read


def check(ctx):
    yield from pin.check_runs(ctx, _MENTIONS, packages, lambda names: (
        f"gem install of {pin.listed(names)} without a version: each build gets the newest release; pin with "
        "`gem:version` or `-v version`, or install from a Gemfile.lock with bundler"))
