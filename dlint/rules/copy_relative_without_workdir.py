"""D020: a COPY to a relative destination in a stage that set no WORKDIR."""
from __future__ import annotations

import re

from ..rule import NO_FIX, Rule
from ._stage_refs import unquote

RULE = Rule(
    code="D020",
    name="copy-relative-without-workdir",
    severity="warning",
    summary="COPY to a relative destination before any WORKDIR: where it lands depends on the base image",
    hadolint=("DL3045",),
    fix=NO_FIX,
    default_enabled=False,  # many base images set a WORKDIR the file relies on
)

_WINDOWS_ABSOLUTE = re.compile(r"[A-Za-z]:")


def check(ctx):
    graph = ctx.graph
    has_workdir = {}
    for stage in ctx.stages:
        parent = graph.bases[stage.index].parent_stage
        workdir = has_workdir.get(parent, False) if parent is not None else False
        for ins in stage.instructions:
            if ins.name == "WORKDIR":
                workdir = True
            elif ins.name == "COPY" and not workdir:
                words = ins.words()
                if len(words) < 2:
                    continue
                dest = unquote(words[-1])
                if dest.startswith(("/", "$", "\\")) or _WINDOWS_ABSOLUTE.match(dest):
                    continue
                yield ctx.at_instruction(
                    ins, f"`COPY` to the relative destination `{dest}` before any WORKDIR: it lands under the base "
                         "image's working directory, which this file does not show; set WORKDIR first or write an "
                         "absolute path")
        has_workdir[stage.index] = workdir
