"""Paths as the build resolves them: absolute and normalised, relative to the WORKDIR in force. A WORKDIR
that cannot be known (the base image's) is kept as an opaque root, so that two relative paths under it still
compare equal; ``display`` shows such a path for messages. Shell words are read into paths with quotes
removed and globs told apart."""
from __future__ import annotations

import posixpath
import re
from fnmatch import fnmatchcase

from .._dataclass import dataclass
from ._build_variables import VARIABLE_NAME, expand

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Tuple

GLOB_CHARS = "*?["
_GLOB_CHAR = re.compile(r"[*?[]")
_PLAIN_WORD = re.compile(r"[^'\"$`\\]*")


@dataclass
class PathRef:
    """A path as the build would see it: absolute, normalised; ``glob`` when it holds unquoted wildcards."""

    path: str
    glob: bool = False
    trailing_slash: bool = False


def resolve(text: str, workdir: str, env: Dict[str, str], glob: bool = False) -> Optional[PathRef]:
    value = expand(text, env) if "$" in text else text
    if value is None or not value or "\\" in value:
        return None
    slash = value.endswith("/") or value in (".", "..") or value.endswith(("/.", "/.."))
    if not value.startswith("/"):
        value = posixpath.join(workdir, value)
    value = posixpath.normpath(value)
    if value.startswith("//"):
        value = value[1:]
    return PathRef(value, glob, slash)


def shell_word(text: str) -> Optional[Tuple[str, bool]]:
    """The text of a shell word with quotes removed and variables kept as ``$NAME``; and whether it is a
    glob. None for words whose value the shell computes (command substitution, ``~``, arithmetic...)."""
    if text.startswith("~"):
        return None
    if _PLAIN_WORD.fullmatch(text):  # the common case, without the loop below
        return text, _GLOB_CHAR.search(text) is not None
    out: List[str] = []
    glob = False
    quote = None
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if quote == "'":
            if c == "'":
                quote = None
            elif c in "$\\":
                return None  # would read as a variable later; rare enough to give up on
            else:
                out.append(c)
        elif c == "$":
            if text.startswith("${", i):
                close = text.find("}", i)
                if close < 0 or not VARIABLE_NAME.fullmatch(text[i + 2:close]):
                    return None
                out.append(text[i:close + 1])
                i = close + 1
                continue
            m = VARIABLE_NAME.match(text, i + 1)
            if not m:
                return None
            out.append("$" + m.group())
            i = m.end()
            continue
        elif c == "`":
            return None
        elif c == "\\":
            if i + 1 < n:
                i += 1
                if text[i] in "$\\":
                    return None
                out.append(text[i])
        elif c == '"':
            quote = None if quote == '"' else '"'
        elif c == "'" and quote is None:
            quote = "'"
        else:
            if quote is None and c in GLOB_CHARS:
                glob = True
            elif quote is not None and c in GLOB_CHARS:
                return None  # a quoted wildcard next to unquoted ones cannot be told apart later
            out.append(c)
        i += 1
    return "".join(out), glob


def is_ancestor(a: str, b: str) -> bool:
    """``a`` is a directory strictly above ``b``."""
    return b != a and b.startswith(a.rstrip("/") + "/")


def glob_matches(pattern: str, path: str, prefix: bool = False) -> bool:
    """Whether the shell glob ``pattern`` names ``path`` (``prefix``: or one of its parent directories).
    Wildcards do not cross ``/`` and do not match a leading dot."""
    pp = pattern.strip("/").split("/")
    parts = path.strip("/").split("/")
    if len(pp) > len(parts) or (len(pp) < len(parts) and not prefix):
        return False
    for pat, part in zip(pp, parts):
        if part.startswith(".") and not pat.startswith("."):
            return False
        if not fnmatchcase(part, pat):
            return False
    return True


def display(path: str) -> str:
    """A path for messages: one under a WORKDIR that is not known is shown relative to it."""
    if path.startswith("/\x00workdir"):
        rest = path.split("/", 2)[2:]
        return rest[0] if rest else "."
    return path
