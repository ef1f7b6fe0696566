"""R007: ``zypper dist-upgrade`` in a RUN."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _run_commands as rc

RULE = Rule(
    code="R007",
    name="zypper-dist-upgrade",
    severity="warning",
    summary="zypper dist-upgrade in a build moves the image to whatever the repositories hold that day",
    hadolint=("DL3035",),
    fix=NO_FIX,
    default_enabled=False,
)

_WITH_VALUE = ("--root", "-R", "--repo", "-r", "-t", "--type", "-c", "--config", "-D", "--reposd-dir", "-C",
               "--cache-dir", "-p", "--plus-repo", "--from")


def check(ctx):
    for stage, ins, script, cmd, words in rc.commands(ctx, ("zypper",)):
        sub = rc.subcommand_among(words, ("dist-upgrade", "dup"), _WITH_VALUE)
        if sub is None:
            continue
        start, end = rc.span(ctx, ins, script, cmd)
        yield ctx.at_command(ins, start, end, f"`zypper {sub.value}` upgrades the whole distribution, possibly to a new "
                             "release, during the build: the image then depends on the day it was built; pick a "
                             "newer base image instead, or `zypper update` / `zypper patch` for fixes")
