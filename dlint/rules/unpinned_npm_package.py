"""P003: npm install of a package without a version."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _pinning as pin

RULE = Rule(
    code="P003",
    name="unpinned-npm-package",
    severity="warning",
    summary="npm install names a package without a version, tag or commit (package@version)",
    hadolint=("DL3016",),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: global tools (npm itself, a CLI) are often wanted at their newest
)

_SUBCOMMANDS = ("install", "i", "add", "isntall", "in")
_WITH_VALUE = ("--loglevel",)
_GIT = ("git://", "git+ssh://", "git+http://", "git+https://")
_TARBALLS = (".tar", ".tar.gz", ".tgz")
_LOCAL = ("/", "./", "../", "~/", "file:")


def pinned(text: str) -> bool:
    """``pkg@1.2.3``, ``@scope/pkg@^2``, ``pkg@next`` (a tag); a git URL at a commit or semver range
    (``git+https://host/repo#v1.0``); a tarball; a local folder."""
    if text.startswith(_GIT):
        return "#" in text
    if text.endswith(_TARBALLS) or text.startswith(_LOCAL) or text == ".":
        return True
    name = text.split("/", 1)[1] if text.startswith("@") and "/" in text else text
    return "@" in name


def packages(call):
    if call.manager != "npm" or call.subcommand not in _SUBCOMMANDS:
        return None
    ops = pin.operands(call, pin.with_value("npm", _WITH_VALUE))
    return ops[1:], pinned


_MENTIONS = ("npm",)  # a script without these words is not read


def check(ctx):
    yield from pin.check_runs(ctx, _MENTIONS, packages, lambda names: (
        f"npm install of {pin.listed(names)} without a version: each build gets the newest release; pin with "
        "`package@version`, or install from package.json with its lock file (`npm ci`)"))
