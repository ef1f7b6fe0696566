"""R003: ``apt-get install`` (``upgrade``, ``remove``...) without ``-y``: with no terminal, apt-get aborts at its first question."""
from __future__ import annotations

import re

from ..diagnostics import Fix
from ..rule import SAFE, Rule
from . import _run_commands as rc

RULE = Rule(
    code="R003",
    name="apt-get-without-yes",
    severity="warning",
    summary="apt-get install (upgrade, remove, ...) without -y aborts the build when apt-get asks to confirm",
    hadolint=("DL3014",),
    fix=SAFE,
)

_WITH_VALUE = ("-o", "--option", "-t", "--target-release", "--default-release", "-c", "--config-file", "-a",
               "--host-architecture")
# Subcommands that ask before they change packages (``install`` is the one hadolint checks).
_ASKS = {"install", "reinstall", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove",
         "autopurge", "build-dep"}
# Simulation only prints what would be done, and asks nothing.
_SIMULATE = {"s", "simulate", "just-print", "dry-run", "recon", "no-act"}
_YES = {"y", "yes", "assume-yes", "force-yes"}
# apt configuration that answers yes for every apt-get (``-o APT::Get::Assume-Yes=true``, apt.conf.d files).
_ASSUME_YES = re.compile(r"(?i)APT::Get::Assume-Yes\W{0,4}(?:1|true|yes|on)\b|Assume-Yes\s+\"?(?:1|true|yes)")


def answers_yes(values) -> bool:
    """Whether apt-get options answer its questions: ``-y``/``--yes``/``--assume-yes``, ``-qq`` (or ``-q=2``,
    ``-q -q``: quiet level 2 implies yes), or ``-o APT::Get::Assume-Yes=true``; ``--assume-no`` and
    ``--trivial-only`` answer no on purpose, which is a choice too."""
    names = rc.flags(values, _WITH_VALUE)
    if _YES & set(names) or names.count("q") >= 2 or names.count("quiet") >= 2:
        return True
    if {"assume-no", "trivial-only"} & set(names):
        return True
    for v in values:
        if v is not None and (v in ("-q=2", "--quiet=2") or _ASSUME_YES.search(v)):
            return True
    return False


def check(ctx):
    configured = False
    for stage, ins, script, cmd, words in rc.commands(ctx, ("apt-get",)):
        sub = rc.subcommand_among(words, _ASKS, _WITH_VALUE)
        if sub is None:
            continue
        values = [w.value for w in words[1:]]
        if answers_yes(values) or _SIMULATE & set(rc.flags(values, _WITH_VALUE)):
            continue
        if configured is False:
            configured = _ASSUME_YES.search(ctx.doc.text)
        if configured and configured.start() < ins.start:
            continue  # an earlier instruction configures Assume-Yes (copied apt.conf or a RUN writing one)
        fix = None
        reason = None
        if rc.reads_stdin_elsewhere(cmd):
            reason = "its input comes from a pipe or redirect that may answer"
        else:
            edit = rc.insert_after(ctx, script, sub, "-y")
            if edit is not None:
                fix = Fix(f"Add -y after {sub.value}", SAFE, [edit])
            else:
                reason = f"the {sub.value} word cannot be placed in the file exactly"
        start, end = rc.span(ctx, ins, script, cmd)
        yield ctx.at_command(ins, start, end, f"`apt-get {sub.value}` without `-y`: a build has no terminal, so apt-get "
                             "aborts when it asks to confirm (extra packages, removals); add `-y`", fix,
                             no_fix_reason=reason)
