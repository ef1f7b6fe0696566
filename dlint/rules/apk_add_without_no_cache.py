"""R013: ``apk add`` whose cache the same RUN removes by hand, where ``--no-cache`` says it in one option (opt-in)."""
from __future__ import annotations

from ..cleanups import mount_covers
from ..diagnostics import Edit, Fix
from ..rule import SAFE, UNSAFE, Rule
from . import _run_commands as rc
from ._facts import package_cache_state, words_before

RULE = Rule(
    code="R013",
    name="apk-add-without-no-cache",
    severity="info",
    summary="apk add without --no-cache, its cache removed by hand later in the RUN",
    hadolint=("DL3019",),
    fix=SAFE,
    extra_fixes=(UNSAFE,),  # a program after the add (a script, make) might read the index it keeps
    default_enabled=False,  # style: the layer holds no cache either way (cache-left-in-layer reports one left)
)

_APK_CACHE = "/var/cache/apk"
# Commands that run no package manager: after the add, they cannot read the index it kept.
_CANNOT_READ_THE_INDEX = frozenset(("rm", "set", "true", "export", "echo", "printf", "mkdir", "ln", "chmod", "chown",
                                    "cp", "mv", "touch", "sed", "cat", "addgroup", "adduser"))
# Options that update the index into the cache first: --no-cache reads a fresh index without them.
_UPDATE = ("-U", "--update", "--update-cache")


def _no_cache_edit(ctx, script, call):
    """``--no-cache`` in place of the add's ``--update`` (``-U``) when it has one written as it is in the file,
    else right after ``add``; None when neither word can be placed exactly."""
    text = ctx.doc.text
    for word in call.command.words:
        if word.value in _UPDATE and word.text == word.value:
            start, end = script.file_offset(word.start), script.file_end_offset(word.end)
            if text[start:end] == word.text:
                return Edit(start, end, "--no-cache")
    sub = next((w for w in call.command.words if w.value == call.subcommand), None)
    return rc.insert_after(ctx, script, sub, "--no-cache") if sub is not None else None


def check(ctx):
    for stage, ins, script in rc.runs(ctx, ("apk",)):
        if ins.name != "RUN":
            continue
        if mount_covers(ins, [_APK_CACHE]):
            continue  # a cache mount keeps the cache out of the layer on purpose
        # the adds that write apk's cache (not those with --no-cache, or --no-network, which fetches nothing)
        makers, cleaned = package_cache_state(ctx, ins, "apk", words_before(ctx, stage, ins))
        adds = [c for c in makers if c.kind == "install"]
        if not adds or not cleaned or any(c.kind == "upgrade" for c in makers):
            # none; or the cache stays: cache-left-in-layer (L004, L009) reports it; or an `apk upgrade -U`
            # writes the index too, and the `rm` is still needed for it (an `apk update` is not: the adds
            # with --no-cache read their own index)
            continue
        first = adds[0].command.start
        readers = [c for c in ctx.calls(ins) if c.manager == "apk" and c not in adds
                   and c.kind != "remove" and c.command.start > first]
        edits = [] if not readers else None
        for call in adds if not readers else ():
            edit = _no_cache_edit(ctx, script, call)
            if edit is None:
                edits = None
                break
            edits.append(edit)
        # Provably the same build when nothing after the add but apk's own adds and removals and `rm` runs:
        # any other program (a script, make) might read the index `--update` kept.
        later = [c for c in script.commands if c.start > first]
        apk_commands = {id(c.command) for c in ctx.calls(ins) if c.manager == "apk"}
        plain = all(id(c) in apk_commands or c.name in _CANNOT_READ_THE_INDEX for c in later)
        fix = Fix("Use --no-cache", SAFE if plain else UNSAFE, edits) if edits else None
        if readers:
            why = f"a later apk command (line {ctx.doc.line_col(script.file_offset(readers[0].command.start))[0]}) may read the index the add keeps"
        else:
            why = "the add word cannot be placed in the file exactly"
        first = adds[0].command
        start, end = rc.span(ctx, ins, script, first)
        yield ctx.at_command(
            ins, start, end,
            "`apk add` without `--no-cache`, its cache removed by hand later in this RUN: `apk add --no-cache` "
            "keeps no cache in the first place and reads a fresh index, so neither `apk update` (`--update`) "
            "nor the `rm` is needed", fix, no_fix_reason=why)
