"""R006: ``zypper install``/``remove``/``patch`` without ``--non-interactive`` (or ``-y``)."""
from __future__ import annotations

from ..diagnostics import Fix
from ..rule import SAFE, Rule
from . import _run_commands as rc

RULE = Rule(
    code="R006",
    name="zypper-without-non-interactive",
    severity="warning",
    summary="zypper without --non-interactive stops the build at its confirmation question",
    hadolint=("DL3034",),
    fix=SAFE,
)

_WITH_VALUE = ("--root", "-R", "--repo", "-r", "-t", "--type", "-c", "--config", "--reposd-dir", "-D",
               "--cache-dir", "-C", "--raw-cache-dir", "--solv-cache-dir", "--pkg-cache-dir", "-p", "--plus-repo",
               "--from", "--download", "--oldpackage")
_ASKS = ("install", "in", "remove", "rm", "source-install", "si", "patch")
_YES = {"non-interactive", "n", "no-confirm", "y"}


def check(ctx):
    for stage, ins, script, cmd, words in rc.commands(ctx, ("zypper",)):
        sub = rc.subcommand_among(words, _ASKS, _WITH_VALUE)
        if sub is None:
            continue
        if _YES & set(rc.flags([w.value for w in words[1:]], _WITH_VALUE)):
            continue
        fix, reason = None, None
        if rc.reads_stdin_elsewhere(cmd):
            reason = "its input comes from a pipe or redirect that may answer"
        else:
            edit = rc.insert_after(ctx, script, words[0], "--non-interactive")
            if edit is None:
                reason = "the zypper word cannot be placed in the file exactly"
            else:
                fix = Fix("Add --non-interactive after zypper", SAFE, [edit])
        start, end = rc.span(ctx, ins, script, cmd)
        yield ctx.at_command(ins, start, end, f"`zypper {sub.value}` without `--non-interactive` (or `-y`): a build has "
                             "no terminal, so zypper stops at its confirmation question; add `--non-interactive`",
                             fix, no_fix_reason=reason)
