"""D001: WORKDIR with a relative path."""
from __future__ import annotations

import posixpath

from .._regex import lazy_compile
from ..diagnostics import Edit, Fix
from ..rule import SAFE, Rule
from ..stages import WINDOWS_DEFAULT_SHELL

RULE = Rule(
    code="D001",
    name="relative-workdir",
    severity="error",
    summary="WORKDIR with a relative path depends on the directory before it",
    hadolint=("DL3000",),
    fix=SAFE,
    default_enabled=False,
)

# A path whose meaning needs no expansion, quote removal or escapes.
_PLAIN = lazy_compile(r"[A-Za-z0-9_.@%+,:=/-]+\Z")
_WINDOWS_ABSOLUTE = lazy_compile(r"[A-Za-z]:|[\\/]")


def _is_absolute(path: str) -> bool:
    path = path.strip("\"'")
    return not path or path.startswith("$") or _WINDOWS_ABSOLUTE.match(path) is not None


def _directory_after(cwd, path: str):
    """The working directory after ``WORKDIR path`` when it was ``cwd`` (None: unknown)."""
    if not _PLAIN.match(path):
        return None
    if path.startswith("/"):
        return posixpath.normpath(path).replace("//", "/")
    if cwd is None:
        return None
    return posixpath.normpath(posixpath.join(cwd, path))


def _workdirs(ctx):
    """(stage index -> working directory at the end of the stage, or None when unknown), once per file."""
    memo = ctx.memo("workdir")
    if "end" not in memo:
        graph = ctx.graph
        end = {}
        for stage in ctx.stages:
            parent = graph.bases[stage.index].parent_stage
            if parent is not None:
                cwd = end.get(parent)
            else:
                cwd = "/" if graph.bases[stage.index].is_scratch else None
            for ins in stage.instructions:
                if ins.name == "WORKDIR":
                    cwd = _directory_after(cwd, ins.args)
            end[stage.index] = cwd
        memo["end"] = end
    return memo["end"]


def check(ctx):
    graph = ctx.graph
    ends = None
    for stage in ctx.stages:
        cwd = None
        known = False
        for ins in stage.instructions:
            if ins.name != "WORKDIR":
                continue
            if not known:
                if ends is None:
                    ends = _workdirs(ctx)
                parent = graph.bases[stage.index].parent_stage
                cwd = ends.get(parent) if parent is not None else ("/" if graph.bases[stage.index].is_scratch else None)
                known = True
            path = ins.args
            after = _directory_after(cwd, path)
            if not _is_absolute(path):
                fix = None
                reason = None
                if after is None:
                    reason = ("the directory before it is not known (the base image's, or a WORKDIR with a variable)"
                              if cwd is None else "the path needs expansion or quote removal")
                elif graph.windows_base[graph.root_stage(stage.index)] or graph.shell_before(stage, None) == WINDOWS_DEFAULT_SHELL:
                    after, reason = None, "a Windows image"
                else:
                    start = ins.file_offset(ins.args_offset)
                    end = ins.file_end_offset(ins.args_offset + len(ins.args))
                    if end - start == len(ins.args):
                        fix = Fix(f"Write the WORKDIR as {after}", SAFE, [Edit(start, end, after)])
                    else:
                        reason = "the path is split over lines"
                where = f" (here `{after}`)" if after else ""
                yield ctx.at_instruction(ins, f"`WORKDIR {path}` is relative: it is taken from the working directory "
                                              f"before it{where}, which a reader must work out and which changes when "
                                              "an earlier WORKDIR or the base image changes; use an absolute path",
                                         fix, no_fix_reason=reason)
            cwd = after
