"""Shared check for yum and dnf installs without ``-y`` (R005, R008): with no terminal, they answer their
``Is this ok [y/N]`` question with no and stop the build."""
from __future__ import annotations

import re

from ..diagnostics import Fix
from ..rule import SAFE
from . import _run_commands as rc

WITH_VALUE = ("--setopt", "--enablerepo", "--disablerepo", "--releasever", "--installroot", "-c", "--config",
              "--repo", "--repofrompath", "--exclude", "-x", "-d", "--debuglevel", "-e", "--errorlevel",
              "--downloaddir", "--destdir", "--color", "--rpmverbosity", "--forcearch", "--repoid")
INSTALLS = ("install", "groupinstall", "localinstall")
# yum.conf/dnf.conf ``assumeyes=1`` (written by a RUN, or ``--setopt=assumeyes=1`` on a command)
_ASSUME_YES = re.compile(r"(?i)\bassumeyes\s*=\s*(?:1|true|yes|on)\b")


def check_tools(ctx, tools):
    configured = False
    for stage, ins, script, cmd, words in rc.commands(ctx, tools):
        tool = rc.program(words)
        sub = rc.subcommand_among(words, INSTALLS, WITH_VALUE)
        if sub is None:
            continue
        values = [w.value for w in words[1:]]
        names = set(rc.flags(values, WITH_VALUE))
        if {"y", "assumeyes", "assumeno"} & names or any(v and _ASSUME_YES.search(v) for v in values):
            continue
        if configured is False:
            configured = _ASSUME_YES.search(ctx.doc.text)
        if configured and configured.start() < ins.start:
            continue  # an earlier instruction sets assumeyes in yum.conf/dnf.conf
        fix, reason = None, None
        if tool == "microdnf":
            reason = "older microdnf releases do not know -y"
        elif rc.reads_stdin_elsewhere(cmd):
            reason = "its input comes from a pipe or redirect that may answer"
        else:
            edit = rc.insert_after(ctx, script, sub, "-y")
            if edit is None:
                reason = f"the {sub.value} word cannot be placed in the file exactly"
            else:
                fix = Fix(f"Add -y after {sub.value}", SAFE, [edit])
        start, end = rc.span(ctx, ins, script, cmd)
        if tool == "microdnf":
            msg = ("`microdnf install` without `-y`: the microdnf releases that ask to confirm stop the build "
                   "there, as a build has no terminal; add `-y` where the release knows it")
        else:
            msg = (f"`{tool} {sub.value}` without `-y`: a build has no terminal, so {tool} answers its "
                   "confirmation with no and the build stops; add `-y`")
        yield ctx.at_command(ins, start, end, msg, fix, no_fix_reason=reason)
