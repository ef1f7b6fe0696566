"""``.dockerignore`` files read and matched as BuildKit does (its ignore-file reader and pattern matcher).

What a build sends, for a path relative to the context root:

- The file is read line by line (a trailing ``\\r`` dropped, a UTF-8 byte-order mark dropped from the
  first line). A line whose first character is ``#`` is a comment; ``#`` after blanks is not. Blanks
  around a pattern are removed; blank lines are skipped.
- ``!`` in front makes an exception (blanks after it removed as well). Each pattern is cleaned as a
  path (``./a`` is ``a``, ``a/../b`` is ``b``, ``a/`` is ``a``) and a leading ``/`` dropped: patterns
  are always relative to the context root.
- ``*`` is any run of characters but ``/``, ``?`` one character but ``/``, ``[...]`` a character class
  (``^`` negates), ``\\`` escapes the next character, ``**`` any number of directories (zero included).
  A pattern that starts with ``**`` and is otherwise literal matches any path that *ends* with the rest
  (``**foo`` matches ``barfoo``), and one that ends with ``**`` after literal text matches any path that
  *starts* with that text (``a**`` matches ``ab/c``): BuildKit takes these two shortcuts before its
  regular expressions, and they decide what is sent.
- Patterns are tried in order; the last one that matches the path, or one of its parent directories,
  decides (an exception re-includes). So an excluded directory excludes everything under it, and
  ``!dir/keep`` after ``dir`` sends ``dir/keep`` (BuildKit still walks into the excluded directory
  when exceptions exist).
- ``!`` alone, and a malformed pattern (``[`` never closed), fail the build.

``<Dockerfile>.dockerignore`` beside the Dockerfile takes precedence over ``.dockerignore`` at the
context root (see ``dlint.build_context``).
"""
from __future__ import annotations

import re
import warnings

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List

# Go's unicode.IsSpace (what BuildKit trims around patterns); Python's str.strip also removes \x1c-\x1f.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
            "\u2028\u2029\u202f\u205f\u3000"
# Characters Go's regexp gives a meaning that file patterns do not have: escaped.
_REGEX_ONLY = set(".+()|{}$")
# Escapes Go's regexp reads as something other than the character itself (after a backslash in a pattern).
_GO_ESCAPES = {"a": "\\a", "f": "\\f", "t": "\\t", "n": "\\n", "r": "\\r", "v": "\\v", "d": "[0-9]", "D": "[^0-9]",
               "s": "[\\t\\n\\f\\r ]", "S": "[^\\t\\n\\f\\r ]", "w": "[0-9A-Za-z_]", "W": "[^0-9A-Za-z_]",
               "b": "\\b", "B": "\\B", "A": "\\A", "z": "\\Z"}


# Ignore patterns become regular expressions matched against path names in the context (at most a few
# thousand characters); a pattern with more wildcards than this is not followed (the rules stay silent).
MAX_WILDCARDS = 32
_user_regex = re.compile  # patterns built from the user's .dockerignore, not constants of dlint


class IgnoreError(ValueError):
    """An ignore file the build refuses (the build fails with it)."""


def clean(path: str) -> str:
    """Go's ``path.Clean``: the shortest equivalent path (``.`` for an empty one)."""
    if not path:
        return "."
    rooted = path.startswith("/")
    out: List[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            elif not rooted:
                out.append("..")
            continue
        out.append(part)
    text = "/".join(out)
    if rooted:
        return "/" + text
    return text or "."


def read_patterns(text: str) -> List[str]:
    """The patterns of an ignore file's text, as BuildKit reads them (comments and blank lines dropped,
    each pattern cleaned, a leading ``/`` removed, ``!`` kept in front)."""
    out: List[str] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines):
        if line.endswith("\r"):
            line = line[:-1]
        if n == 0 and line.startswith("\ufeff"):
            line = line[1:]
        if line.startswith("#"):
            continue
        line = line.strip(_GO_SPACE)
        if not line:
            continue
        invert = line[0] == "!"
        if invert:
            line = line[1:].strip(_GO_SPACE)
        if line:
            line = clean(line)
            if len(line) > 1 and line[0] == "/":
                line = line[1:]
        out.append("!" + line if invert else line)
    return out


class Pattern:
    """One pattern, matched as BuildKit matches it: exactly, by prefix, by suffix, or by a regular
    expression, whichever its shape allows."""

    __slots__ = ("text", "exclusion", "kind", "regex")

    def __init__(self, text: str, exclusion: bool):
        self.text = text
        self.exclusion = exclusion
        self.kind, self.regex = _compile(text)

    def match(self, path: str) -> bool:
        kind = self.kind
        if kind == "exact":
            return path == self.text
        if kind == "prefix":
            return path.startswith(self.text[:-2])
        if kind == "suffix":
            suffix = self.text[2:]
            return path.endswith(suffix) or (suffix[:1] == "/" and path == suffix[1:])
        return self.regex.match(path) is not None

    def __repr__(self) -> str:
        return f"Pattern({'!' if self.exclusion else ''}{self.text})"


def _compile(p: str):
    """(kind, compiled regex or None) for a cleaned pattern, following BuildKit's translation."""
    if sum(p.count(c) for c in "*?[") > MAX_WILDCARDS:
        raise IgnoreError(f"pattern {p[:40]!r}... has more than {MAX_WILDCARDS} wildcards: not followed")
    out = ["^"]
    kind = "exact"
    i, n = 0, len(p)
    first = True
    while i < n:
        c = p[i]
        i += 1
        if c == "*":
            if i < n and p[i] == "*":
                i += 1
                if i < n and p[i] == "/":
                    i += 1
                if i >= n:
                    if kind == "exact":
                        kind = "prefix"
                    else:
                        out.append(".*")
                        kind = "regex"
                else:
                    out.append("(?:.*/)?")
                    kind = "regex"
                if first:
                    kind = "suffix"
            else:
                out.append("[^/]*")
                kind = "regex"
        elif c == "?":
            out.append("[^/]")
            kind = "regex"
        elif c in _REGEX_ONLY:
            out.append("\\" + c)
        elif c == "\\":
            if i < n:
                nxt = p[i]
                i += 1
                if nxt.isascii() and nxt.isalnum():
                    if nxt not in _GO_ESCAPES:
                        raise IgnoreError(f"invalid escape \\{nxt} in pattern {p!r}")
                    out.append(_GO_ESCAPES[nxt])
                else:
                    out.append(re.escape(nxt))
                kind = "regex"
            else:
                out.append("\\\\")
        elif c in "[]":
            out.append(c)
            kind = "regex"
        else:
            out.append(c)  # as BuildKit does: every other character stands for itself in both syntaxes
        first = False
    if kind != "regex":
        return kind, None
    out.append("\\Z")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "possible nested set" and the like: the class means the same
            return kind, _user_regex("".join(out))
    except re.error as exc:
        raise IgnoreError(f"malformed pattern {p!r}: {exc}") from None


def _check_syntax(p: str) -> None:
    """Go's filepath.Match refuses malformed patterns up front and the build fails: a trailing ``\\``, a
    ``[`` never closed, a class that is empty or has ``-`` or ``]`` where a character belongs."""
    i, n = 0, len(p)

    def char(j: int) -> int:  # one class character (maybe escaped) at j: the index after it
        if j >= n or p[j] in "-]":
            raise IgnoreError(f"malformed pattern {p!r}")
        if p[j] == "\\":
            j += 1
            if j >= n:
                raise IgnoreError(f"malformed pattern {p!r}: trailing backslash")
        return j + 1

    while i < n:
        c = p[i]
        if c == "\\":
            if i + 1 >= n:
                raise IgnoreError(f"malformed pattern {p!r}: trailing backslash")
            i += 2
        elif c == "[":
            i += 1
            if i < n and p[i] == "^":
                i += 1
            ranges = 0
            while True:
                if i < n and p[i] == "]" and ranges:
                    i += 1
                    break
                i = char(i)
                ranges += 1
                if i < n and p[i] == "-":
                    i = char(i + 1)
        else:
            i += 1


class Matcher:
    """The patterns of one ignore file; ``excluded(path)`` says whether the build leaves ``path`` out."""

    def __init__(self, patterns: List[str]):
        self.patterns: List[Pattern] = []
        for raw in patterns:
            p = raw.strip(_GO_SPACE)
            if not p:
                continue
            p = clean(p)
            exclusion = p[0] == "!"
            if exclusion:
                if len(p) == 1:
                    raise IgnoreError('illegal exclusion pattern: "!"')
                p = p[1:]
            _check_syntax(p)
            self.patterns.append(Pattern(p, exclusion))
        self.exclusions = any(p.exclusion for p in self.patterns)

    @classmethod
    def from_text(cls, text: str) -> "Matcher":
        return cls(read_patterns(text))

    def excluded(self, path: str) -> bool:
        """Whether the build leaves ``path`` (slash-separated, relative to the context root) out."""
        path = clean(path)
        if path == ".":
            return False
        parent = path.rsplit("/", 1)[0] if "/" in path else "."
        parents = []
        if parent != ".":
            parts = parent.split("/")
            parents = ["/".join(parts[:k + 1]) for k in range(len(parts))]
        matched = False
        for pattern in self.patterns:
            if pattern.exclusion != matched:
                continue  # an inclusion cannot change a match, nor an exception a non-match
            match = pattern.match(path)
            if not match:
                match = any(pattern.match(q) for q in parents)
            if match:
                matched = not pattern.exclusion
        return matched

    def sent(self, path: str) -> bool:
        return not self.excluded(path)
