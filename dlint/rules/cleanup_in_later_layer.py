"""L003: a later RUN deletes what an earlier layer of the stage made big (package lists and caches, downloaded
archives, clones, unpacked trees): it saves no bytes."""
from __future__ import annotations

from ..rule import SAFE, Rule
from .. import estimates
from ..cleanups import Cleanup, emptied_paths, mount_covers, normalize
from ..diagnostics import Fix
from ..merge import removal_edit
from ..packages import catalogue
from ..shell import runs_unknown_code
from ._made import Deletion, stage_made
from ._facts import pure_cleanups

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional

RULE = Rule(
    code="L003",
    name="cleanup-in-later-layer",
    severity="warning",
    summary="A RUN deletes caches, downloads or build trees an earlier layer made; the bytes still ship there",
    fix=SAFE,
    heavy=True,
    estimate=estimates.earlier_caches,
)

# Instructions that cannot change what a later `rm` of absolute paths does.
_INERT = {"LABEL", "EXPOSE", "MAINTAINER", "STOPSIGNAL", "HEALTHCHECK", "CMD", "ENTRYPOINT"}


def _blocker(ctx, stage, creator, run, cleanups: List[Cleanup], managers, positions) -> Optional[str]:
    """Why moving the cleanup from ``run`` up into ``creator`` could change the build, or None."""
    text = run.command
    paths = [p for c in cleanups for p in (c.paths or emptied_paths(c))]
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
            words = ins.words()
            dest = normalize(words[-1]) if words else ""
            # a destination of / (a root filesystem, a build stage's output) covers every path
            if dest.startswith("/") and dest != "/" and not any(
                    dest == p or dest.startswith(p + "/") or p.startswith(dest + "/") for p in paths):
                continue
            return f"line {ins.line} copies into a path the cleanup removes"
        if ins.name == "RUN":
            script = ctx.script(ins)
            body = script.text if script else ins.args
            if script is not None and script.commands and all(
                    c.kind == "clean" and c.subcommand in ("clean", "autoclean") for c in ctx.calls(ins)) \
                    and len(ctx.calls(ins)) == len(script.commands):
                continue  # `apt-get clean` empties the downloaded packages: it does not read the lists
            if any(t in body for t in tools) or any(p in body for p in paths):
                return f"line {ins.line} may use the files in between"
            if script is None or script.exec_form or runs_unknown_code(script):
                return f"line {ins.line} runs a script that may use them"
            continue
        return f"line {ins.line} ({ins.name}) stands in between"
    return None


def check(ctx):
    for stage in ctx.stages:
        if not ctx.is_shipping(stage):
            continue
        made = stage_made(ctx, stage)
        if not made.deletions:
            continue
        positions = {id(ins): k for k, ins in enumerate(stage.instructions)}
        for run in ctx.runs(stage):
            deletions = made.deletions.get(id(run))
            if not deletions:
                continue
            cleanups = pure_cleanups(ctx, run)
            if cleanups:
                yield _cleanup_only(ctx, stage, run, cleanups, deletions, positions)
            else:
                yield from _deletes_in_passing(ctx, run, deletions)


def _unique(instructions) -> list:
    seen = {}
    for i in instructions:
        seen.setdefault(id(i), i)
    return sorted(seen.values(), key=lambda i: i.line)


def _lines(instructions) -> str:
    lines = sorted({i.line for i in instructions})
    return ("line " if len(lines) == 1 else "lines ") + ", ".join(map(str, lines))


def _what(deletions: List[Deletion]) -> str:
    labels = list(dict.fromkeys(d.made.describe() if d.whole else f"part of {d.made.label}" for d in deletions))
    return ", ".join(labels)


def _cleanup_only(ctx, stage, run, cleanups: List[Cleanup], deletions: List[Deletion], positions):
    creators = _unique(c for d in deletions for c in d.made.creators)
    msg = (f"this RUN only deletes {_what(deletions)}, made by {_lines(creators)}; deleted in a later layer they "
           "still ship in the layer that made them. Delete them in the RUN that creates them")
    fix = None
    creator = creators[0] if len(creators) == 1 else None
    if creator is None:
        why = f"they come from {_lines(creators)}, and one cleanup in one of them leaves the others' copies"
    elif not all(d.whole for d in deletions):
        why = "it deletes only part of what that RUN made"
    else:
        managers = set().union(*(c.managers for c in cleanups))
        why = _blocker(ctx, stage, creator, run, cleanups, managers, positions)
        if why is None and run.heredocs:
            why = "its commands are in a heredoc"  # ``run.command`` is only the ``<<EOF`` marker
        if why is None and mount_covers(creator, [p for c in cleanups for p in emptied_paths(c)]):
            why = f"line {creator.line} mounts a cache there: a cleanup in it would empty the cache"
        if why is None:
            appended, why = ctx.append_fix(stage, creator, run.command,
                                           f"Move the cleanup into the RUN on line {creator.line}")
            if appended is not None:
                fix = Fix(appended.title, "safe", appended.edits + [removal_edit(ctx.doc, run)])
    return ctx.at_instruction(run, msg, fix, no_fix_reason=why)


def _deletes_in_passing(ctx, run, deletions: List[Deletion]):
    """A RUN that does other work and also deletes a download, clone or tree an earlier RUN made (caches
    deleted by a RUN that also installs are cache-left-in-layer's, on the RUN that left them)."""
    script = ctx.script(run)
    by_command: Dict[int, List[Deletion]] = {}
    for d in deletions:
        if not d.made.is_cache:
            by_command.setdefault(id(d.command), []).append(d)
    for group in by_command.values():
        cmd = group[0].command
        creators = _unique(c for d in group for c in d.made.creators)
        text = " ".join(w.text for w in cmd.words)
        if len(text) > 60:
            text = text[:57] + "..."
        msg = (f"`{text}` deletes {_what(group)}, made by {_lines(creators)}; deleted in a later layer it still "
               "ships in the layer that made it. Delete it in the RUN that creates it")
        start, end = script.file_offset(cmd.start), script.file_end_offset(cmd.end)
        yield ctx.diagnostic(start, end, msg, no_fix_reason="this RUN does other work")
