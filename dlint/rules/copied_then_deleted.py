"""L007: a file copied in by COPY/ADD and deleted by a later RUN: its bytes ship in the COPY's layer anyway."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from .. import estimates

import bisect
import posixpath
import re

from ._build_paths import PathRef, display, glob_matches, is_ancestor
from ._copy_entries import TAR_NAME, Copy, Entry, destination
from ._run_paths import extractions, removals as rm_paths
from ._stage_walk import copy_at, stage_workdirs_and_envs

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Tuple

RULE = Rule(
    code="L007",
    name="copied-then-deleted",
    severity="warning",
    summary="A file copied in by COPY/ADD is deleted by a later RUN; its bytes still ship in the COPY's layer",
    fix=NO_FIX,
    heavy=True,
    estimate=estimates.copied_files,
    default_enabled=False,  # opt-in: below 90 % precision in blind review (bench/precision/results.md)
)

# Archives a RUN unpacks with tar or unzip.
_ARCHIVE = re.compile(r"\.(tar|tgz|tbz2?|txz|tlz|zip|tar\.(gz|bz2|xz|zst|lz4|lzma|Z))\Z", re.I)


def covers(entry: Entry, ref: PathRef, recursive: bool) -> bool:
    """Whether ``rm`` of ``ref`` deletes everything ``entry`` put in place."""
    path = entry.path
    if ref.glob:
        if entry.kind == "file":
            return glob_matches(ref.path, path) or (recursive and glob_matches(ref.path, path, prefix=True))
        if recursive and glob_matches(ref.path, path, prefix=True):
            return True
        parent, base = posixpath.dirname(ref.path), ref.path.rsplit("/", 1)[-1]
        if parent != path:
            return False
        if entry.kind == "glob":
            return base in ("*", entry.pattern)
        return base == "*" and recursive
    if entry.kind == "file":
        return ref.path == path or (recursive and is_ancestor(ref.path, path))
    return recursive and (ref.path == path or is_ancestor(ref.path, path))


def _hits(removals, entries: List[Entry]) -> List[Tuple[Entry, PathRef]]:
    out: List[Tuple[Entry, PathRef]] = []
    for ref, recursive in removals:
        for e in entries:
            if covers(e, ref, recursive) and all(e is not o for o, _ in out):
                out.append((e, ref))
    return out


def deleted(ctx, run, entries: List[Entry], place) -> List[Tuple[Entry, PathRef]]:
    """The entries a RUN deletes with ``rm`` (following ``cd``), with the path it deletes them by."""
    return _hits(rm_paths(ctx, run, place), entries)


def _overwritten(entries: List[Entry], later: Copy) -> List[Entry]:
    """Entries a later COPY replaces (its files land on the same paths)."""
    paths = {e.path for e in later.entries if e.kind == "file"}
    return [e for e in entries if e.kind == "file" and e.path in paths]


def _alternatives(copy: Copy, entry: Entry) -> str:
    source = entry.source
    if copy.remote:
        return ("download it in the RUN that uses it (curl or wget, and rm in that same RUN), or fetch it in a "
                "build stage and COPY --from only what is needed")
    if source.startswith("<<"):
        return "write the content in the RUN that uses it, or in a build stage"
    stage = copy.from_stage
    mount = "RUN --mount=type=bind," + (f"from={stage}," if stage else "") + \
        f"source={source.rstrip('/') or '.'},target={display(entry.path)} ..."
    parts = [f"mount it for the RUN that uses it ({mount}; nothing written there is kept)"]
    if copy.ins.name == "COPY" and not stage and TAR_NAME.search(source):
        parts.append(f"let ADD unpack the archive (ADD {source} <directory>)")
    parts.append("or do that work in a build stage and COPY --from only the result")
    return ", ".join(parts[:-1]) + (", " if len(parts) > 2 else " ") + parts[-1]


def _literal_prefix(path: str) -> str:
    """The part of a glob before its first wildcard: every path it matches starts with it."""
    cut = min((i for i in (path.find("*"), path.find("?"), path.find("[")) if i >= 0), default=len(path))
    return path[:cut]


class _Prefixes:
    """Literal path prefixes; ``related(p)``: one of them starts ``p`` or ``p`` starts one of them."""

    def __init__(self, prefixes):
        self.set = set(prefixes)
        self.sorted = sorted(self.set)

    def related(self, path: str) -> bool:
        for k in range(len(path) + 1):
            if path[:k] in self.set:
                return True
        i = bisect.bisect_left(self.sorted, path)
        return i < len(self.sorted) and self.sorted[i].startswith(path)


class _Live:
    """The entries of the stage's COPY/ADDs that are still in place, indexed by path so that a RUN's ``rm``
    is compared with the entries it may delete only (not with every earlier COPY: quadratic on long files)."""

    def __init__(self):
        self.by_path: Dict[str, list] = {}  # path -> [(copy number, entry)]
        self.paths: List[str] = []  # sorted, may hold paths no longer live

    def add(self, number: int, entries: List[Entry]) -> None:
        for e in entries:
            if e.path not in self.by_path:
                self.by_path[e.path] = []
                bisect.insort(self.paths, e.path)
            self.by_path[e.path].append((number, e))

    def remove(self, number: int, entries) -> None:
        for e in entries:
            self.by_path[e.path] = [(n, o) for n, o in self.by_path[e.path] if o is not e]

    def candidates(self, ref: PathRef):
        """(copy number, entry) pairs whose path starts with the ref's literal part, or begins its path."""
        seen = set()
        prefix = _literal_prefix(ref.path) if ref.glob else ref.path
        i = bisect.bisect_left(self.paths, prefix)
        while i < len(self.paths) and self.paths[i].startswith(prefix):
            seen.add(self.paths[i])
            i += 1
        for k in range(1, len(ref.path) + 1):
            if ref.path[:k] in self.by_path:
                seen.add(ref.path[:k])
        for path in seen:
            yield from self.by_path[path]


def check(ctx):
    # Instruction by instruction, with the entries of earlier COPY/ADDs still in place: a later COPY to the
    # same path replaces them, the first RUN that deletes some of a COPY's entries is reported (once per COPY).
    for stage in ctx.stages:
        if not ctx.is_shipping(stage):
            continue
        places = stage_workdirs_and_envs(ctx, stage)
        # What the stage's RUNs delete, first: a COPY/ADD that writes nowhere near any of it cannot be
        # reported and is not looked at further.
        removals_of: Dict[int, List[Tuple[PathRef, bool]]] = {}
        unpacks_of: Dict[int, List[PathRef]] = {}
        for ins in stage.instructions:
            if ins.name == "RUN" and not any(f.name == "mount" for f in ins.flags) and ctx.posix_shell(stage, ins):
                found = rm_paths(ctx, ins, places[id(ins)])
                if found:
                    removals_of[id(ins)] = found
                unpacked = extractions(ctx, ins, places[id(ins)])
                if unpacked:
                    unpacks_of[id(ins)] = unpacked
        if not removals_of and not unpacks_of:
            continue
        near = _Prefixes([_literal_prefix(ref.path) if ref.glob else ref.path
                          for found in removals_of.values() for ref, _ in found]
                         + [ref.path for found in unpacks_of.values() for ref in found])
        unpacked_by: Dict[int, Tuple[Entry, object]] = {}  # copy number -> (archive, first RUN unpacking it)
        copies: List[Copy] = []
        live: Dict[int, List[Entry]] = {}  # copy number -> its entries still in place, in their order
        index = _Live()
        for ins in stage.instructions:
            if ins.name in ("COPY", "ADD"):
                place = places[id(ins)]
                target = destination(ins, place.workdir, place.env)
                if target is not None and not near.related(target.path):
                    continue
                other = copy_at(ctx, ins, place)
                if other is not None:
                    # Entries it replaces: files on the paths of its files (what _overwritten finds, looked
                    # up by path).
                    gone: Dict[int, list] = {}
                    for path in {e.path for e in other.entries if e.kind == "file"}:
                        for number, e in index.by_path.get(path, ()):
                            if e.kind == "file":
                                gone.setdefault(number, []).append(e)
                    for number, entries in gone.items():
                        live[number] = [e for e in live[number] if all(e is not g for g in entries)]
                        index.remove(number, entries)
                        if not live[number]:
                            del live[number]
                    if other.entries:
                        copies.append(other)
                        live[len(copies) - 1] = list(other.entries)
                        index.add(len(copies) - 1, other.entries)
            elif ins.name == "RUN" and live:
                # (a RUN with a mount is left out: the mount may hide the copied path, the rm may be of it)
                for ref in unpacks_of.get(id(ins), ()):
                    for number, e in index.candidates(ref):
                        if (e.kind == "file" and e.path == ref.path and _ARCHIVE.search(e.path)
                                and number not in unpacked_by and number in live):
                            unpacked_by[number] = (e, ins)
                removals = removals_of.get(id(ins))
                if not removals:
                    continue
                touched = set()
                for ref, _ in removals:
                    touched.update(number for number, _ in index.candidates(ref))
                for number in sorted(touched):
                    hits = _hits(removals, live[number])
                    if hits and _may_be_large(hits):
                        yield _report(ctx, copies[number], ins, hits)
                        index.remove(number, live.pop(number))
                        unpacked_by.pop(number, None)
        # archives unpacked and never deleted: they ship beside what was unpacked from them
        for number, (entry, run) in sorted(unpacked_by.items()):
            if number in live and any(e is entry for e in live[number]):
                yield _report_unpacked(ctx, copies[number], entry, run)


def _report_unpacked(ctx, copy: Copy, entry: Entry, run):
    if copy.remote and entry.path.lower().endswith(".zip"):
        instead = "download, unzip and rm it in one RUN, or do that in a build stage and COPY --from the result"
    elif copy.remote:
        instead = ("download and unpack it in one RUN (curl -fsSL <url> | tar -x -C <directory>), or do that in a "
                   "build stage and COPY --from the result")
    else:
        instead = _alternatives(copy, entry)
    msg = (f"{display(entry.path)} copied here is an archive the RUN on line {run.line} unpacks; the archive "
           f"itself stays in this {copy.ins.name} layer and ships beside what was unpacked from it; {instead}")
    return ctx.at_instruction(copy.ins, msg)


def _small_text_kinds():
    global _SMALL_KINDS
    if _SMALL_KINDS is None:
        from ..data import load_json

        kinds = load_json("file_kinds.json")
        _SMALL_KINDS = (tuple(s.lower() for s in kinds["small_text_suffixes"]), frozenset(kinds["small_text_names"]),
                        tuple(kinds["large_name_markers"]))
    return _SMALL_KINDS


_SMALL_KINDS = None


def _may_be_large(hits) -> bool:
    """Whether what was deleted may be big enough to matter: a directory, or a file whose name does not
    say it is a small text file (a script, a patch, a configuration file: a few kilobytes)."""
    suffixes, names, large_markers = _small_text_kinds()
    for entry, _ in hits:
        if entry.kind != "file":
            return True
        name = display(entry.path).rstrip("/").rsplit("/", 1)[-1]
        lower = name.lower()
        if any(m in lower for m in large_markers):
            return True
        # A copy or variant of a file keeps its kind: CMakeLists.txt.tmp, nginx.conf.orig, app.ini.example.
        while "." in lower.strip(".") and lower.rsplit(".", 1)[1] in _VARIANT_SUFFIXES:
            name, lower = name.rsplit(".", 1)[0], lower.rsplit(".", 1)[0]
        if name not in names and not lower.endswith(suffixes):
            return True
    return False


_VARIANT_SUFFIXES = {"tmp", "bak", "orig", "old", "new", "dist", "example", "sample", "default", "template", "in"}


def _report(ctx, copy: Copy, run, hits):
    entry, _ = hits[0]
    trees = list(dict.fromkeys(display(e.path) for e, _ in hits if e.kind != "file"))
    files = list(dict.fromkeys(display(e.path) for e, _ in hits if e.kind == "file"))
    files = [f for f in files if not any(f.startswith(t.rstrip("/") + "/") for t in trees)]
    named = [f"the directory {t}" if not files and len(trees) == 1 else t for t in trees] + files
    if len(named) > 3:
        named = named[:2] + [f"{len(named) - 2} more"]
    what = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
    verb = "is" if len(named) == 1 else "are"
    msg = (f"{what} copied here {verb} deleted by the RUN on line {run.line}, but the bytes stay in this "
           f"{copy.ins.name} layer and ship with the image; {_alternatives(copy, entry)}")
    return ctx.at_instruction(copy.ins, msg)
