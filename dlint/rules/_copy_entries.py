"""What one COPY or ADD puts where: its sources, its destination and the files, trees and globs it writes
(``parse_copy``), read with the WORKDIR and variables in force at it."""
from __future__ import annotations

import posixpath
import re

from .._dataclass import dataclass, field
from ..syntax import Instruction
from ._build_paths import GLOB_CHARS, PathRef, resolve, shell_word
from ._build_variables import expand
from ._path_names import BIN_DIRS, FHS_DIRS, looks_like_dir, looks_like_file, names_a_file

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional

# Local archives ADD unpacks instead of copying (it checks the content; these names are the usual ones).
TAR_NAME = re.compile(r"\.(tar|tgz|tbz2?|txz|tlz|tar\.(gz|bz2|xz|zst|lz4|lzma|Z))\Z", re.I)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_HEREDOC_WORD = re.compile(r"[0-9]*<<-?(.+)\Z")


@dataclass
class Entry:
    """Something a COPY/ADD puts in place.

    kind ``file``: one file at ``path`` (``certain``: it cannot be a directory); ``tree``: a directory
    whose contents the COPY writes; ``glob``: files matching ``pattern`` written into ``path``.
    ``into_unknown``: ``path`` is a destination written without a trailing slash that may be a directory
    already there (from the base image, say), in which case the file went inside it, not to ``path``.
    """

    kind: str
    path: str
    source: str
    certain: bool = False
    pattern: str = ""
    into_unknown: bool = False


@dataclass
class Copy:
    ins: Instruction
    sources: List[str]  # as written (heredoc sources as their ``<<NAME`` word)
    dest: str
    entries: List[Entry] = field(default_factory=list)
    remote: bool = False  # ADD of a URL or git repository

    @property
    def from_stage(self) -> Optional[str]:
        f = self.ins.flag("from")
        return f.value if f is not None else None


def destination(ins: Instruction, workdir: str, env: Dict[str, str], words=None) -> Optional[PathRef]:
    """Where a COPY/ADD writes (every entry of ``parse_copy`` is at or below it); None when unknown."""
    if words is None:
        words = ins.words()
    if len(words) < 2:
        return None
    dest = words[-1]
    if _HEREDOC_WORD.match(dest):
        return None
    if ins.json is None:
        parsed = shell_word(dest)
        if parsed is None or parsed[1]:
            return None
        dest = parsed[0]
    return resolve(dest, workdir, env)


def parse_copy(ins: Instruction, workdir: str, env: Dict[str, str], is_dir=None) -> Optional[Copy]:
    """The sources, destination and entries of a COPY/ADD; None when they cannot be told.

    ``is_dir(path)``: whether the path is known to be a directory where it exists before the COPY (a
    WORKDIR, a directory made earlier): a single file copied to it without a trailing slash goes inside."""
    if ins.flag("parents") is not None:
        return None  # keeps source directories: paths are not source basenames
    words = ins.words()
    target = destination(ins, workdir, env, words)
    if target is None:
        return None
    heredocs = {h.name for h in ins.heredocs}
    sources, dest = words[:-1], words[-1]
    into_dir = (target.trailing_slash or len(sources) > 1 or target.path in FHS_DIRS
                or (is_dir is not None and is_dir(target.path)))
    # where a single name without a trailing slash lands when no directory is known to be there
    unknown = not into_dir and not names_a_file(target.path, sources[0].strip("\"'").rstrip("/") if sources else "")
    in_bin = (target.path if into_dir else posixpath.dirname(target.path)) in BIN_DIRS
    copy = Copy(ins, sources, dest)
    for src in sources:
        m = _HEREDOC_WORD.match(src) if ins.json is None else None
        if m and ins.heredocs:
            name = m.group(1).strip("\"'")
            if name not in heredocs:
                return None
            path = posixpath.join(target.path, name) if into_dir else target.path
            copy.entries.append(Entry("file", path, src, certain=True, into_unknown=unknown))
            continue
        parsed = shell_word(src) if ins.json is None else (src, any(c in src for c in GLOB_CHARS))
        if parsed is None:
            return None
        value, glob = parsed
        value = expand(value, env) if "$" in value else value
        if value is None:
            return None
        if ins.name == "ADD" and "${" in value:
            return None  # may be a URL or an archive: what it puts in place is unknown
        if _URL.match(value) or value.startswith("git@"):
            copy.remote = True
            if ins.name != "ADD" or value.endswith(".git") or value.startswith("git@"):
                return None  # a repository: a tree of unknown files
            base = value.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            if into_dir and not base:
                return None
            copy.entries.append(Entry("file", posixpath.join(target.path, base) if into_dir else target.path,
                                      src, certain=True, into_unknown=unknown))
            continue
        base = value.rstrip("/").rsplit("/", 1)[-1]
        if ins.name == "ADD" and TAR_NAME.search(value) and copy.from_stage is None:
            copy.entries.append(Entry("tree", target.path, src))  # unpacked into the destination
        elif glob:
            if into_dir:
                copy.entries.append(Entry("glob", target.path, src, pattern=base))
            else:
                copy.entries.append(Entry("tree", target.path, src))
        elif value.endswith("/") or base in ("", ".", "..") or (looks_like_dir(base) and not in_bin):
            # (a name copied into a PATH directory is a program, whatever it is called)
            copy.entries.append(Entry("tree", target.path, src))
        elif into_dir:
            # A directory source would put its contents into the destination, not a ``base`` entry:
            # a path ``dest/base`` copied from it is the file itself.
            copy.entries.append(Entry("file", posixpath.join(target.path, base), src, certain=True))
            if not looks_like_file(base):
                copy.entries.append(Entry("tree", target.path, src))
        else:
            certain = looks_like_file(base)
            copy.entries.append(Entry("file", target.path, src, certain=certain, into_unknown=unknown))
            if not certain:
                copy.entries.append(Entry("tree", target.path, src))
    return copy
