"""Text positions and the small text edits of the language server; no protocol library needed here.

Findings carry offsets into the file's text (Python string indexes, one per code point). The protocol
counts a position as a line and a column in code units of the encoding agreed with the editor: UTF-16
unless the editor offers UTF-8 or UTF-32 and the server picks it. Lines end at ``\\n``, ``\\r\\n`` or ``\\r``,
as the protocol says.
"""
from __future__ import annotations

import bisect
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Optional, Tuple

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _utf16_units(s: str) -> int:
    if s.isascii():
        return len(s)
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def _utf8_units(s: str) -> int:
    if s.isascii():
        return len(s)
    return len(s.encode("utf-8", "surrogatepass"))


_UNITS = {"utf-16": _utf16_units, "utf-8": _utf8_units, "utf-32": len}


class Positions:
    """Offsets into ``text`` to (line, column) in an encoding's code units, and back."""

    def __init__(self, text: str, encoding: str = "utf-16"):
        self.text = text
        self.units = _UNITS.get(encoding, _utf16_units)
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
        # The end of each line's content (before its line break).
        self._line_ends = [m.start() for m in _LINE_BREAK.finditer(text)] + [len(text)]

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def position(self, offset: int) -> Tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[line]
        # An offset inside a line break (between "\r" and "\n") counts as the end of the line.
        offset = min(offset, self._line_ends[line])
        return line, self.units(self.text[start:offset])

    def offset(self, line: int, column: int) -> int:
        """The offset of a position; a column past the line's end means its end, a line past the last the
        text's end (as the protocol asks). A column inside a character's code units rounds down."""
        if line < 0:
            return 0
        if line >= len(self.line_starts):
            return len(self.text)
        start, end = self.line_starts[line], self._line_ends[line]
        content = self.text[start:end]
        if self.units is len or content.isascii():
            return start + min(max(column, 0), len(content))
        used = 0
        for i, c in enumerate(content):
            width = self.units(c)
            if used + width > column:
                return start + i
            used += width
        return end

    def line_span(self, line: int) -> Tuple[int, int]:
        """Offsets of a line's content (0-based line), without its line break."""
        return self.line_starts[line], self._line_ends[line]


def newline_line_starts(text: str) -> List[int]:
    """Offsets where lines start as dlint numbers them (only ``\\n`` ends a line, as in BuildKit)."""
    return [0] + [m.end() for m in re.finditer("\n", text)]


# ``line 12``, ``lines 3, 5 and 9``: the places a finding's message names.
_LINE_REFERENCE = re.compile(r"\blines? (\d+(?:(?:, | and )\d+)*)\b")


def named_lines(message: str) -> List[int]:
    """The line numbers a message names, in order, without repeats."""
    out: List[int] = []
    for m in _LINE_REFERENCE.finditer(message):
        for n in re.findall(r"\d+", m.group(1)):
            if int(n) not in out:
                out.append(int(n))
    return out


# A dlint suppression comment up to its list of codes; group "codes" is what follows ``=``.
PRAGMA = re.compile(r"#\s*dlint:\s*(?:ignore|ignore-stage|ignore-file)\s*=\s*(?P<codes>[A-Za-z0-9_,\- ]*)")
_CODE_WORD = re.compile(r"[A-Za-z0-9_\-]+")


def pragma_word_at(line: str, column: int) -> Optional[Tuple[int, int, str]]:
    """(start, end, word) of the code or rule name under ``column`` (a string index into ``line``) inside
    a ``# dlint: ignore=`` list, or None."""
    for m in PRAGMA.finditer(line):
        start, end = m.span("codes")
        if not start <= column <= end:
            continue
        for w in _CODE_WORD.finditer(line, start, end):
            if w.start() <= column <= w.end():
                return w.start(), w.end(), w.group()
    return None


def pragma_completion_at(line: str, column: int) -> Optional[Tuple[int, str, List[str]]]:
    """Inside a ``# dlint: ignore=`` list at ``column``: (start of the word being typed, that word, the
    codes already listed), else None."""
    for m in PRAGMA.finditer(line):
        start, end = m.span("codes")
        if not start <= column <= end:
            continue
        word_start = column
        while word_start > start and (line[word_start - 1].isascii() and
                                      (line[word_start - 1].isalnum() or line[word_start - 1] in "_-")):
            word_start -= 1
        word = line[word_start:column]
        listed = [w for w in re.split(r"[ ,]+", line[start:end]) if w and w != word]
        return column - len(word), word, listed
    return None


def ignore_insertion(text: str, line_start: int, keyword_start: int, code: str, newline: str) -> Tuple[int, int, str]:
    """The edit (start, end, replacement) that suppresses ``code`` for the instruction whose first line
    starts at ``line_start`` and whose keyword starts at ``keyword_start``.

    When the line just above is already a ``# dlint: ignore=`` list, the code is added to it; otherwise a
    new comment line goes above the instruction, indented as the instruction is."""
    indent = text[line_start:keyword_start]
    indent = indent.lstrip("\ufeff")
    at = line_start + (1 if text.startswith("\ufeff", line_start) else 0)
    if line_start > 0:
        prev_end = line_start - 1
        if prev_end > 0 and text[prev_end - 1] == "\r":
            prev_end -= 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        previous = text[prev_start:prev_end]
        m = re.match(r"[ \t\ufeff]*#\s*dlint:\s*ignore\s*=\s*([A-Za-z0-9_\-]+(?:\s*,\s*[A-Za-z0-9_\-]+)*)\s*(?:#.*)?\Z",
                     previous)
        if m:
            listed = [c.strip().upper() for c in m.group(1).split(",")]
            if code.upper() in listed or "ALL" in listed:
                return prev_start + m.end(1), prev_start + m.end(1), ""
            return prev_start + m.end(1), prev_start + m.end(1), f",{code}"
    return at, at, f"{indent}# dlint: ignore={code}{newline}"


def line_diff(old: str, new: str) -> Tuple[int, int, str]:
    """One edit (start, end, replacement) turning ``old`` into ``new``, on whole lines: the lines both
    begin and end with are left out of it."""
    if old == new:
        return 0, 0, ""
    a = old.splitlines(True)
    b = new.splitlines(True)
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    start = sum(map(len, a[:head]))
    end = len(old) - sum(map(len, a[len(a) - tail:]))
    return start, end, "".join(b[head:len(b) - tail])

