"""L003: a RUN that only deletes files earlier layers created: it saves no bytes."""
from __future__ import annotations

from ..caches import Cleanup, cleanup_of, normalize
from ..diagnostics import Edit, Fix
from ..packages import catalogue
from ._paths import PathIndex

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional

    from ..syntax import Instruction

CODE = "L003"
NAME = "cleanup-in-later-layer"
SEVERITY = "warning"
SUMMARY = "A RUN only deletes files from earlier layers; the bytes still ship in those layers"
HADOLINT = ()
FIX = "safe"

_NEUTRAL = {"set", "true", ":"}
# Instructions that cannot change what a later `rm` of absolute paths does.
_INERT = {"LABEL", "EXPOSE", "MAINTAINER", "STOPSIGNAL", "HEALTHCHECK", "CMD", "ENTRYPOINT"}


def pure_cleanups(ctx, run) -> Optional[List[Cleanup]]:
    script = ctx.script(run)
    if script is None or script.exec_form or not script.commands:
        return None
    out = []
    for cmd in script.commands:
        if cmd.name in _NEUTRAL:
            continue
        if cmd.context and any(c in cmd.context for c in ("condition", "substitution", "negated", "function")):
            return None
        c = cleanup_of(cmd)
        if c is None:
            return None
        out.append(c)
    return out or None


def _blocker(ctx, stage, creator, run, cleanups: List[Cleanup], managers, positions) -> Optional[str]:
    """Why moving the cleanup from ``run`` up into ``creator`` could change the build, or None."""
    text = run.command
    paths = [p for c in cleanups for p in c.paths]
    tools = {t for m in managers for t in catalogue()[m].tools}
    if "apt" in managers:
        tools |= {"dpkg", "apt-cache"}
    if run.flags:
        return "the cleanup RUN has flags"
    if any(not p.startswith("/") for p in paths):
        return "the cleanup uses relative or variable paths"
    instructions = stage.instructions
    for ins in instructions[positions[id(creator)] + 1:positions[id(run)] + 1]:
        if ins is run:
            return None
        if ins.name in _INERT:
            continue
        if ins.name in ("ENV", "ARG", "WORKDIR") and "$" not in text:
            continue
        if ins.name in ("COPY", "ADD"):
            words = ins.json if ins.json is not None else ins.args.split()
            dest = normalize(words[-1]) if words else ""
            if dest.startswith("/") and not any(dest == p or dest.startswith(p + "/") or p.startswith(dest + "/")
                                                for p in paths):
                continue
            return f"line {ins.line} copies into a path the cleanup removes"
        if ins.name == "RUN":
            body = ctx.script(ins).text if ctx.script(ins) else ins.args
            if not any(t in body for t in tools) and not any(p in body for p in paths):
                continue
            return f"line {ins.line} may use the files in between"
        return f"line {ins.line} ({ins.name}) stands in between"
    return None


def check(ctx):
    for stage in ctx.stages:
        if not ctx.is_shipping(stage):
            continue
        positions = {id(ins): k for k, ins in enumerate(stage.instructions)}
        copied = PathIndex()  # COPY/ADD destinations so far
        makers: Dict[str, Instruction] = {}  # manager -> the latest RUN that used it (not to clean)
        for ins in stage.instructions:
            if ins.name in ("COPY", "ADD"):
                words = ins.json if ins.json is not None else ins.args.split()
                if len(words) >= 2:
                    copied.add(normalize(words[-1]))
            if ins.name != "RUN":
                continue
            run = ins
            found = _finding(ctx, stage, run, copied, makers, positions)
            if found is not None:
                yield found
            for c in ctx.calls(run):
                if c.kind != "clean":
                    makers[c.manager] = run


def _finding(ctx, stage, run, copied: PathIndex, makers, positions):
    cleanups = pure_cleanups(ctx, run)
    if not cleanups:
        return None
    managers = set().union(*(c.managers for c in cleanups))
    if not managers and all(copied.related(p) for c in cleanups for p in c.paths):
        return None  # files from an earlier COPY/ADD: copied-then-deleted reports those
    what = ", ".join(sorted(managers)) + " caches" if managers else "files"
    msg = (f"this RUN only deletes {what} that earlier layers created; the bytes still ship in those "
           "layers. Delete them in the RUN that creates them")
    fix = None
    creator = None
    if managers:
        earlier = [makers[m] for m in managers if m in makers]
        if earlier:
            creator = max(earlier, key=lambda r: positions[id(r)])
    if creator is None:
        where = "the base image or another stage" if managers else "an earlier layer"
        msg += f" (no automatic fix: they come from {where})"
    else:
        why = _blocker(ctx, stage, creator, run, cleanups, managers, positions)
        if why is None and run.heredocs:
            why = "its commands are in a heredoc"  # ``run.command`` is only the ``<<EOF`` marker
        if why is None:
            appended, why = ctx.append_fix(stage, creator, run.command,
                                           f"Move the cleanup into the RUN on line {creator.line}")
            if appended is not None:
                fix = Fix(appended.title, "safe", appended.edits + [Edit(run.start, run.end, "")])
        msg += f" (line {creator.line})"
        if fix is None:
            msg += f" (no automatic fix: {why})"
    return ctx.at_instruction(run, msg, fix)
