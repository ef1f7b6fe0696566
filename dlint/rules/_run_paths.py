"""What a RUN deletes with ``rm`` and unpacks with ``tar -x`` or ``unzip``, following ``cd``: the paths, as
the build resolves them (shared by the rules about copied files)."""
from __future__ import annotations

from ..shell import command_words
from ..syntax import Instruction
from ._build_paths import PathRef, resolve, shell_word

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Tuple

    from ..context import Context
    from ._stage_walk import WorkdirAndEnv


def removals(ctx: Context, run: Instruction, place: WorkdirAndEnv) -> List[Tuple[PathRef, bool]]:
    """What a RUN deletes with ``rm`` (following ``cd``): (path, recursive) in the order of the script."""
    return [(ref, recursive) for ref, recursive, kind in path_uses(ctx, run, place) if kind == "rm"]


def extractions(ctx: Context, run: Instruction, place: WorkdirAndEnv) -> List[PathRef]:
    """The paths a RUN hands to ``tar -x`` or ``unzip`` (the archives it unpacks, and where)."""
    return [ref for ref, _, kind in path_uses(ctx, run, place) if kind == "unpack"]


def _unpacks(values) -> bool:
    name = values[0].rsplit("/", 1)[-1]
    if name == "unzip":
        return not any(v in ("-l", "-t", "-v", "-Z") for v in values[1:])
    first = values[1] if len(values) > 1 else None
    return any(v == "--extract" or v == "--get" or (not v.startswith("--") and v.startswith("-") and "x" in v)
               for v in values[1:] if v) or bool(first and not first.startswith("-") and "x" in first
                                                  and first.isalpha())


def path_uses(ctx: Context, run: Instruction, place: WorkdirAndEnv) -> List[Tuple[PathRef, bool, str]]:
    """(path, recursive, kind) for what a RUN deletes with ``rm`` (kind ``rm``) and the words it gives
    ``tar -x``/``unzip`` (kind ``unpack``), following ``cd``, in the order of the script."""
    cache = ctx.memo("path_uses")
    if id(run) not in cache:
        cache[id(run)] = _find_path_uses(ctx, run, place)
    return cache[id(run)]


def _find_path_uses(ctx: Context, run: Instruction, place: WorkdirAndEnv) -> List[Tuple[PathRef, bool, str]]:
    script = ctx.script(run)
    if script is None or script.has_error or not ("rm" in script.text or "tar" in script.text
                                                  or "unzip" in script.text):
        return []
    cwd: Optional[str] = place.workdir
    cwd_until: Optional[int] = None  # the end of the scope the last cd ran in (None: the whole script)
    out: List[Tuple[PathRef, bool, str]] = []
    for cmd in script.commands:
        words = command_words(cmd)
        if not words:
            continue
        name = words[0].value
        if name not in ("cd", "pushd", "popd", "rm", "tar", "bsdtar", "unzip"):
            continue
        here = cwd if cwd_until is None or cmd.start < cwd_until else None
        if name in ("cd", "pushd", "popd"):
            args = [w for w in words[1:] if not (w.value or "").startswith("-")]
            new = None
            if name == "cd" and args:
                parsed = shell_word(args[0].text)
                if parsed is not None and not parsed[1] and (here is not None or parsed[0].startswith("/")):
                    ref = resolve(parsed[0], here or "/", place.env)
                    new = ref.path if ref is not None else None
            cwd, cwd_until = new, cmd.scope_end
            continue
        if cmd.background:
            continue
        if name != "rm":
            if not _unpacks([w.value or "" for w in words]):
                continue
            for w in words[1:]:
                if (w.value or "-").startswith("-"):
                    continue
                parsed = shell_word(w.text)
                if parsed is None or parsed[1] or (not parsed[0].startswith(("/", "$")) and here is None):
                    continue
                ref = resolve(parsed[0], here or "/", place.env)
                if ref is not None:
                    out.append((ref, False, "unpack"))
            continue
        recursive = False
        targets = []
        options_done = False
        for w in words[1:]:
            v = w.value
            if not options_done and v is not None and v.startswith("-") and len(v) > 1:
                if v == "--":
                    options_done = True
                elif v == "--recursive" or (not v.startswith("--") and ("r" in v or "R" in v)):
                    recursive = True
                continue
            targets.append(w)
        for w in targets:
            parsed = shell_word(w.text)
            if parsed is None:
                continue
            text, glob = parsed
            if not text.startswith(("/", "$")) and here is None:
                continue
            ref = resolve(text, here or "/", place.env, glob=glob)
            if ref is not None:
                out.append((ref, recursive, "rm"))
    return out
