"""P002: pip install (also ``uv pip install``) of a package without a version."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _pinning as pin

RULE = Rule(
    code="P002",
    name="unpinned-pip-package",
    severity="warning",
    summary="pip install names a package without a version (package==version) or a requirements file",
    hadolint=("DL3013",),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: tools and dev images often want the newest release on purpose
)

# Options of pip install whose value is the next word, besides those in data/package_managers.json.
_WITH_VALUE = ("-b", "--build", "--python", "--root-user-action", "--global-option", "--install-option")
_VERSION = ("==", ">=", "<=", "!=", "~=", ">", "<")
_VCS = ("git+", "hg+", "svn+", "bzr+", "git:", "svn:")
_FILES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz")


def pinned(text: str) -> bool:
    """A version specifier (``==``, ``>=``, ``~=``, ...); a VCS URL at a revision (``git+https://...@v1.2``);
    a local archive, wheel, directory or file URL (``./pkg``, ``/src``, ``dist/x.whl``, ``.[dev]``)."""
    if any(s in text for s in _VERSION):
        return True
    if text.startswith(_VCS):
        return "@" in text.split("://", 1)[-1]
    return "/" in text or text.startswith((".", "~")) or text.endswith(_FILES)


def _from_files(call) -> bool:
    """``-r requirements.txt``, ``-c constraints.txt``, ``.``: versions come from a file or the project."""
    for w in pin.option_words(call):
        if w == "." or w in ("-r", "--requirement", "-c", "--constraint") or w.startswith(
                ("--requirement=", "--constraint=")) or (w.startswith(("-r", "-c")) and not w.startswith("--")):
            return True
    return False


def packages(call):
    if call.manager not in ("pip", "uv") or call.subcommand != "install" or _from_files(call):
        return None
    ops = pin.operands(call, pin.with_value(call.manager, _WITH_VALUE))
    return ops[1:], pinned


_MENTIONS = ("pip", "install")  # a script without these words is not read


def check(ctx):
    yield from pin.check_runs(ctx, _MENTIONS, packages, lambda names: (
        f"pip install of {pin.listed(names)} without a version: each build gets the newest release; pin with "
        "`package==version` or install from a requirements or constraints file"))
