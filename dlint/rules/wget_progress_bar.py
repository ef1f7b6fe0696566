"""R010: ``wget`` without a progress setting fills the build log with its progress bar."""
from __future__ import annotations

from ..diagnostics import Fix
from ..rule import UNSAFE, Rule
from . import _run_commands as rc

RULE = Rule(
    code="R010",
    name="wget-progress-bar",
    severity="info",
    summary="wget without --progress, -q or -nv writes a progress line per few kilobytes into the build log",
    hadolint=("DL3047",),
    fix=UNSAFE,
    default_enabled=False,
)

# Short options that take a value (the rest of a cluster, or the next word).
_WITH_VALUE = ("-O", "-o", "-a", "-P", "-t", "-T", "-U", "-e", "-i", "-B", "-w", "-Q", "-l", "-D", "-A", "-R",
               "-I", "-X", "--output-document", "--output-file", "--append-output", "--directory-prefix",
               "--tries", "--timeout", "--user-agent", "--execute", "--input-file", "--base", "--wait", "--quota",
               "--level", "--domains", "--accept", "--reject", "--include-directories", "--exclude-directories",
               "--header", "--user", "--password", "--post-data", "--post-file", "--method", "--body-data",
               "--ca-certificate", "--certificate", "--private-key", "--load-cookies", "--save-cookies",
               "--limit-rate", "--referer", "--bind-address", "--http-user", "--http-password")
# Options after which the progress display is not written to the build log: a setting of its own, quiet or
# not verbose, or the log sent to a file (-o/-a).
_QUIET = {"progress", "show-progress", "q", "quiet", "no-verbose", "o", "output-file", "a", "append-output"}


def check(ctx):
    for stage, ins, script, cmd, words in rc.commands(ctx, ("wget",)):
        values = [w.value for w in words[1:]]
        if any(v is not None and (v == "-nv" or v.startswith("-nv")) for v in values):
            continue
        if _QUIET & set(rc.flags(values, _WITH_VALUE)):
            continue
        if any("2>" in r or "&>" in r for r in cmd.redirects):
            continue  # its messages go to a file (or nowhere)
        edit = rc.insert_after(ctx, script, words[0], "--progress=dot:giga")
        fix = Fix("Add --progress=dot:giga", UNSAFE, [edit]) if edit is not None else None
        start, end = rc.span(ctx, ins, script, cmd)
        yield ctx.at_command(ins, start, end, "`wget` without `--progress=dot:giga` (or `-nv`, `-q`): with no terminal "
                             "it prints a line of dots every few kilobytes, thousands of lines in the build log",
                             fix, no_fix_reason=None if fix else "the wget word cannot be placed in the file exactly")
