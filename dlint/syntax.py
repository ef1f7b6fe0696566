"""Lossless Dockerfile syntax tree.

Every character of the input belongs to exactly one top-level node (directive, comment, blank line or
instruction), so concatenating the nodes gives back the original text. Instructions also know their
logical text (continuations joined, comment and empty lines inside continuations removed, as BuildKit
does) together with a map from logical offsets back to file offsets, which is what byte-exact fixes and
precise positions are built on.

Input bytes are decoded as UTF-8 with ``surrogateescape`` so that invalid bytes survive a round trip.
"""
from __future__ import annotations

import bisect
import json
import re

from ._dataclass import dataclass, field
from ._regex import lazy_compile

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Tuple

KNOWN_DIRECTIVES = ("syntax", "escape", "check")
# Instructions whose arguments BuildKit scans for heredocs.
HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
KNOWN_INSTRUCTIONS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
        "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    }
)
# Instructions whose arguments may be a JSON array (exec form).
JSON_INSTRUCTIONS = frozenset({"RUN", "CMD", "ENTRYPOINT", "SHELL", "VOLUME", "ADD", "COPY", "HEALTHCHECK"})

# Whitespace as BuildKit sees it: Go's unicode.IsSpace for trimming, a narrower set between keyword and
# arguments, and RE2's \s inside directives.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_KEYWORD_RE = lazy_compile(r"[^\t\v\f\r ]+")
# The value ends at its last non-blank (a lazy ``.+?`` before the trailing blanks was quadratic in their number).
_DIRECTIVE_RE = lazy_compile(r"#[\t\f\r ]*([A-Za-z][A-Za-z0-9]*)[\t\f\r ]*=[\t\f\r ]*([\t\f\r ]|.*[^\t\f\r \n])[\t\f\r ]*\Z")
_HEREDOC_WORD_RE = lazy_compile(r"[0-9]*<<(-?)([^<]*)\Z")


class DockerfileSyntaxError(ValueError):
    """Input that BuildKit would reject; carries the 1-based line it concerns."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.message = message
        self.line = line


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


@dataclass
class Node:
    start: int
    end: int


@dataclass
class Blank(Node):
    pass


@dataclass
class Comment(Node):
    text: str  # without line ending


@dataclass
class Directive(Node):
    name: str
    value: str


@dataclass
class Flag:
    name: str
    value: Optional[str]
    start: int  # file offsets of the whole ``--name=value`` token
    end: int


@dataclass
class Heredoc:
    name: str
    strip_tabs: bool  # ``<<-``
    quoted: bool  # ``<<"EOF"``: no expansion inside the body
    marker_start: int  # file offsets of the ``<<EOF`` word
    marker_end: int
    body_start: int  # file offsets of the body (lines between marker line and terminator)
    body_end: int
    body: str
    end: int  # end of the terminator line, including its line ending


@dataclass
class Instruction(Node):
    keyword: str  # as written
    name: str  # upper case
    line: int  # 1-based position of the keyword
    column: int
    end_line: int  # last line of the instruction (heredoc terminators included)
    end_column: int  # 1-based column just after the last non-newline character
    logical: str  # the instruction as one line, keyword included
    segments: List[Tuple[int, int, int]]  # (logical start, file start, length), sorted
    flags: List[Flag] = field(default_factory=list)
    args: str = ""  # logical text after keyword and flags, trimmed
    args_offset: int = 0  # logical offset where ``args`` starts
    command: str = ""  # the command part: ``args``, or for HEALTHCHECK what follows ``CMD``
    command_offset: int = 0
    json: Optional[List[str]] = None  # decoded exec form
    heredocs: List[Heredoc] = field(default_factory=list)
    inner: Optional["Instruction"] = None  # ONBUILD's instruction
    comments: List[Comment] = field(default_factory=list)  # comment lines inside continuations
    lines_end: int = 0  # file offset after the last continuation line (before heredoc bodies)
    # a ``<<WORD`` BuildKit does not read as a heredoc because a quote in the line is never closed: the lines
    # that look like its body are instructions of their own
    unread_heredoc: bool = False

    def file_offset(self, logical_offset: int) -> int:
        """File offset of a logical offset (an offset at a join maps to the start of the next piece)."""
        segs = self.segments
        i = bisect.bisect_right(segs, (logical_offset, float("inf"), 0)) - 1
        if i < 0:
            return segs[0][1]
        lstart, fstart, length = segs[i]
        if logical_offset - lstart <= length:
            if logical_offset - lstart == length and i + 1 < len(segs):
                return segs[i + 1][1]
            return fstart + (logical_offset - lstart)
        return fstart + length

    def file_end_offset(self, logical_offset: int) -> int:
        """Like ``file_offset`` but an offset at a join maps to the end of the previous piece."""
        segs = self.segments
        i = bisect.bisect_left(segs, (logical_offset, -1, 0)) - 1
        if i < 0:
            return segs[0][1]
        lstart, fstart, length = segs[i]
        return fstart + min(logical_offset - lstart, length)

    def flag(self, name: str) -> Optional[Flag]:
        for f in self.flags:
            if f.name == name:
                return f
        return None

    def words(self) -> List[str]:
        """The arguments as words: the exec form's elements, else the arguments split on blanks (for COPY and
        ADD: the sources, then the destination)."""
        if self.json is not None:
            return list(self.json)
        return self.args.split()

    @property
    def is_shell_form(self) -> bool:
        return self.json is None


@dataclass
class Stage:
    index: int
    instruction: Instruction  # the FROM
    image: str  # as written (ARGs unresolved)
    alias: Optional[str]
    platform: Optional[str]
    instructions: List[Instruction] = field(default_factory=list)  # after FROM, up to the next FROM


@dataclass
class Document:
    text: str
    nodes: List[Node]
    escape: str
    line_starts: List[int]
    has_bom: bool

    def __post_init__(self) -> None:
        self.directives = [n for n in self.nodes if isinstance(n, Directive)]
        self.instructions = [n for n in self.nodes if isinstance(n, Instruction)]
        self.stages = _build_stages(self.instructions)

    def to_text(self) -> str:
        return "".join(self.text[n.start:n.end] for n in self.nodes)

    def line_col(self, offset: int) -> Tuple[int, int]:
        """1-based line and column of a file offset (a byte-order mark takes no column)."""
        return position(self.line_starts, offset, self.has_bom)

    def line_text(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    @property
    def newline(self) -> str:
        i = self.text.find("\n")
        return "\r\n" if i > 0 and self.text[i - 1] == "\r" else "\n"

    def directive(self, name: str) -> Optional[str]:
        for d in self.directives:
            if d.name == name:
                return d.value
        return None


def _build_stages(instructions: List[Instruction]) -> List[Stage]:
    stages: List[Stage] = []
    for ins in instructions:
        if ins.name == "FROM":
            words = ins.args.split()
            image = words[0] if words else ""
            alias = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            platform = ins.flag("platform")
            stages.append(Stage(len(stages), ins, image, alias, platform.value if platform else None))
        elif stages:
            stages[-1].instructions.append(ins)
    return stages


def position(line_starts: List[int], offset: int, has_bom: bool) -> Tuple[int, int]:
    """1-based line and column (in characters) of an offset, given where each line starts; a byte-order
    mark at the start of the text takes no column."""
    idx = max(bisect.bisect_right(line_starts, offset) - 1, 0)
    column = offset - (line_starts[idx] if line_starts else 0) + 1
    if idx == 0 and has_bom and offset > 0:
        column -= 1
    return idx + 1, column


def text_position(text: str, offset: int) -> Tuple[int, int]:
    """``position`` for a bare text: every newline starts a line (one after a final newline too)."""
    starts = [0]
    nl = text.find("\n", 0, offset)
    while nl >= 0:
        starts.append(nl + 1)
        nl = text.find("\n", nl + 1, offset)
    return position(starts, offset, text.startswith("\ufeff"))


def _split_lines(text: str) -> List[Tuple[int, int, int]]:
    """(start, content end, end including newline) for each line."""
    lines = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = nl + 1 if nl >= 0 else n
        content_end = nl if nl >= 0 else n
        while content_end > pos and text[content_end - 1] == "\r":  # BuildKit trims every trailing CR
            content_end -= 1
        lines.append((pos, content_end, end))
        pos = end
    return lines


def _shell_words(s: str, base: int) -> List[Tuple[str, int, int]]:
    """Split on unquoted blanks, keeping quotes in the words; (word, start, end) with ``base`` added."""
    words = []
    i, n = 0, len(s)
    while i < n:
        while i < n and s[i] in GO_SPACE:
            i += 1
        if i >= n:
            break
        start = i
        i, _ = _word_end(s, i)
        words.append((s[start:i], base + start, base + i))
    return words


def _word_end(s: str, i: int) -> Tuple[int, Optional[str]]:
    """Where the word starting at ``i`` ends (an unquoted blank), and the quote still open there (``None``
    when every quote was closed). Quotes and backslashes are read as BuildKit splits words for heredocs:
    the escape is always a backslash there."""
    quote = None
    n = len(s)
    while i < n:
        c = s[i]
        if quote:
            if c == quote:
                quote = None
            elif c == "\\" and quote == '"' and i + 1 < n:
                i += 1
        elif c in "\"'":
            quote = c
        elif c == "\\" and i + 1 < n:
            i += 1
        elif c in GO_SPACE:
            break
        i += 1
    return i, quote


def _unclosed_quote(s: str) -> bool:
    """Whether a quote is left open at the end of ``s``, words read as by ``_shell_words``."""
    i, n = 0, len(s)
    while i < n:
        if s[i] in GO_SPACE:
            i += 1
            continue
        i, quote = _word_end(s, i)
        if quote is not None:
            return True
    return False


def _unquote(word: str) -> Tuple[str, bool]:
    """Shell quote removal for a heredoc delimiter; ``quoted`` when quotes were removed (no expansion)."""
    out = []
    quote = None
    quoted = False
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if quote == "'":
            if c == "'":
                quote = None
            else:
                out.append(c)
        elif c == "\\" and i + 1 < n and (quote is None or word[i + 1] in '"$`\\'):
            i += 1
            out.append(word[i])
        elif quote == '"' and c == '"':
            quote = None
        elif quote is None and c in "\"'":
            quote = c
            quoted = True
        else:
            out.append(c)
        i += 1
    return "".join(out), quoted


# BuildKit scans flags byte by byte with unicode.IsSpace; these are the characters that can match.
_FLAG_SPACE = "\t\n\v\f\r \x85\xa0"


def _builder_flags(s: str, pos: int) -> Tuple[List[Tuple[int, int, str]], int]:
    """Leading ``--`` words as BuildKit reads them (quotes and backslashes removed from the value).

    Returns (start, end, decoded word) for each flag and the offset where the arguments begin.
    """
    n = len(s)
    flags: List[Tuple[int, int, str]] = []
    while True:
        while pos < n and s[pos] in _FLAG_SPACE:
            pos += 1
        if not s.startswith("--", pos):
            return flags, pos
        start = pos
        word: List[str] = []
        quote = None
        while pos < n:
            c = s[pos]
            if quote is None:
                if c in _FLAG_SPACE:
                    break
                if c in "'\"":
                    quote = c
                    pos += 1
                    continue
            elif c == quote:
                quote = None
                pos += 1
                continue
            if c == "\\":
                pos += 1
                if pos == n:  # a trailing backslash is dropped
                    break
                c = s[pos]
            word.append(c)
            pos += 1
        decoded = "".join(word)
        if decoded == "--":  # end of flags
            return flags, pos
        flags.append((start, pos, decoded))


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


_JSON = json.JSONDecoder(parse_constant=_reject_constant)


def _json_args(args: str) -> Optional[List[str]]:
    if not args.startswith("["):
        return None
    try:
        value, _ = _JSON.raw_decode(args)
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(v, str) for v in value):
        raise ValueError("when using JSON array syntax, arrays must be comprised of strings only")
    return value


def buildkit_words(rest: str, escape: str) -> List[str]:
    """BuildKit's word split for ENV and LABEL: blanks outside quotes separate words; quotes are kept."""
    if escape not in rest and "'" not in rest and '"' not in rest:
        return [w for w in _BLANKS_RE.split(rest) if w]  # the common case, without the loop below
    words: List[str] = []
    word: List[str] = []
    in_word = blank_ok = False
    quote = None
    i, n = 0, len(rest)
    while i < n:
        c = rest[i]
        if quote is None:
            if c in GO_SPACE:
                if in_word and (blank_ok or word):
                    words.append("".join(word))
                word, in_word, blank_ok = [], False, False
                i += 1
                continue
            in_word = True
            if c in "'\"":
                quote, blank_ok = c, True
            elif c == escape:
                if i + 1 == n:
                    break
                word.append(c)
                i += 1
                c = rest[i]
        else:
            if c == quote:
                quote = None
            elif c == escape and quote != "'":
                if i + 1 == n:
                    break
                word.append(c)
                i += 1
                c = rest[i]
        word.append(c)
        i += 1
    if in_word and (blank_ok or word):
        words.append("".join(word))
    return words


def _check_key_values(ins: "Instruction", escape: str) -> None:
    """ENV and LABEL take ``name value`` or ``name=value ...``; BuildKit rejects anything else."""
    words = buildkit_words(ins.args, escape)
    if not words:
        return
    if "=" not in words[0]:
        if not re.search(r"[\t\v\f\r ]", ins.args):
            raise DockerfileSyntaxError(f"{ins.keyword} must have two arguments", ins.line)
        return
    for w in words:
        if "=" not in w:
            raise DockerfileSyntaxError(
                f"{ins.keyword}: can't find = in {w!r}; must be of the form name=value", ins.line)


_BLANKS_RE = lazy_compile(f"[{GO_SPACE}]+")
_HEALTHCHECK_TYPE_RE = lazy_compile(f"([^{GO_SPACE}]+)[{GO_SPACE}]*")


def _keyword(logical: str, pos: int):
    """The instruction keyword as BuildKit splits it: after trimming, up to the first blank."""
    while pos < len(logical) and logical[pos] in GO_SPACE:
        pos += 1
    return _KEYWORD_RE.match(logical, pos, len(logical.rstrip(GO_SPACE)))


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.lines = _split_lines(text)
        self.line_starts = [ln[0] for ln in self.lines]
        self.escape = "\\"

    def parse(self) -> Document:
        text = self.text
        has_bom = text.startswith("\ufeff")
        nodes: List[Node] = []
        lines = self.lines
        i = 0
        # Parser directives: only at the very top, stop at the first line that is not a known one.
        while i < len(lines):
            start, cend, end = lines[i]
            content = text[start:cend]
            if i == 0 and has_bom:
                content = content[1:]
            m = _DIRECTIVE_RE.match(content.lstrip(GO_SPACE))
            if not m or m.group(1).lower() not in KNOWN_DIRECTIVES:
                break
            name = m.group(1).lower()
            if any(isinstance(n, Directive) and n.name == name for n in nodes):
                raise DockerfileSyntaxError(f"only one {name} parser directive can be used", i + 1)
            value = m.group(2)
            if name == "escape":
                if value not in ("\\", "`"):
                    raise DockerfileSyntaxError(f"invalid escape token {value!r} does not match [\\`]", i + 1)
                self.escape = value
            nodes.append(Directive(start, end, name, value))
            i += 1
        while i < len(lines):
            start, cend, end = lines[i]
            if i and start < cend and text[start] not in GO_SPACE and text[start] != "#":
                ins, i = self._instruction(i, start)  # the usual line: an instruction keyword first
                nodes.append(ins)
                continue
            content = text[start:cend]
            if i == 0 and has_bom:
                content = content[1:]
            stripped = content.strip(GO_SPACE)
            if not stripped:
                nodes.append(Blank(start, end))
                i += 1
            elif stripped.startswith("#"):
                nodes.append(Comment(start, end, content))
                i += 1
            else:
                ins, i = self._instruction(i, start + (1 if i == 0 and has_bom else 0))
                nodes.append(ins)
        line_starts = [ln[0] for ln in lines] or [0]
        if text.endswith("\n"):
            line_starts.append(len(text))
        return Document(text, nodes, self.escape, line_starts, has_bom)

    def _instruction(self, i: int, first_start: int) -> Tuple[Instruction, int]:
        text = self.text
        lines = self.lines
        escape = self.escape
        logical_parts: List[str] = []
        segments: List[Tuple[int, int, int]] = []
        comments: List[Comment] = []
        logical_len = 0
        node_start = lines[i][0]
        first_line = i
        first = True
        last_line = i
        cont = False
        while i < len(lines):
            start, cend, end = lines[i]
            seg_start = first_start if first else start
            if not first:
                content = text[start:cend].lstrip(GO_SPACE)
                if not content:
                    i += 1
                    continue
                if content.startswith("#"):
                    comments.append(Comment(start, end, text[start:cend]))
                    i += 1
                    continue
            # Does the line end with the escape character (trailing blanks allowed)? BuildKit: an escape
            # character that is itself escaped does not continue the line.
            j = cend
            while j > seg_start and text[j - 1] in " \t":
                j -= 1
            cont = j > seg_start and text[j - 1] == escape and not (j - 1 > seg_start and text[j - 2] == escape)
            piece_end = j - 1 if cont else cend
            piece = text[seg_start:piece_end]
            segments.append((logical_len, seg_start, len(piece)))
            logical_parts.append(piece)
            logical_len += len(piece)
            last_line = i
            i += 1
            first = False
            if not cont:
                break
        if cont:  # the file ended inside a continuation: trailing blank and comment lines belong here
            last_line = len(lines) - 1
        logical = "".join(logical_parts) if len(logical_parts) != 1 else logical_parts[0]
        lines_end = lines[last_line][2]
        ins = self._make_instruction(logical, segments, node_start, first_start, first_line)
        ins.comments = comments
        ins.lines_end = lines_end
        end = lines_end
        if ins.name in HEREDOC_INSTRUCTIONS and "<<" in ins.args and ins.json is None:
            i, end = self._heredocs(ins, i, lines_end)
        elif (ins.inner is not None and ins.inner.name in HEREDOC_INSTRUCTIONS and "<<" in ins.inner.args
              and ins.inner.json is None):
            i, end = self._heredocs(ins.inner, i, lines_end)
            ins.heredocs = ins.inner.heredocs
        if ins.heredocs:
            last_line = i - 1
        ins.end = end
        ins.end_line, ins.end_column = self._column_in(last_line, lines[last_line][1])
        return ins, i

    def _column_in(self, idx: int, offset: int) -> Tuple[int, int]:
        """1-based (line, column) of an offset known to be on line ``idx`` (0-based)."""
        column = offset - self.line_starts[idx] + 1
        if idx == 0 and offset > 0 and self.text.startswith("\ufeff"):
            column -= 1
        return idx + 1, column

    def _line_col(self, offset: int) -> Tuple[int, int]:
        return position(self.line_starts, offset, self.text.startswith("\ufeff"))

    def _make_instruction(self, logical, segments, node_start, first_start, first_line) -> Instruction:
        m = _keyword(logical, 0)
        keyword = m.group() if m else ""
        kw_end = m.end() if m else 0
        # The keyword's position; when the first line holds only the escape, BuildKit's start (that escape).
        line, col = self._column_in(first_line, first_start + min(m.start() if m else 0, segments[0][2]))
        ins = Instruction(
            start=node_start, end=0, keyword=keyword, name=keyword.upper(), line=line, column=col,
            end_line=line, end_column=col, logical=logical, segments=segments,
        )
        self._fill_arguments(ins, kw_end)
        return ins

    def _fill_arguments(self, ins: Instruction, pos: int) -> None:
        logical = ins.logical
        if logical and logical[-1] in GO_SPACE:
            logical = logical[:len(logical.rstrip(GO_SPACE))]
        n = len(logical)
        while pos < n and logical[pos] in GO_SPACE:
            pos += 1
        if logical.startswith("--", pos) or (pos < n and logical[pos] in _FLAG_SPACE):
            flags, pos = _builder_flags(logical, pos)
            for fstart, fend, word in flags:
                name, eq, value = word[2:].partition("=")
                ins.flags.append(Flag(name, value if eq else None, ins.file_offset(fstart), ins.file_end_offset(fend)))
            while pos < n and logical[pos] in GO_SPACE:
                pos += 1
        if ins.name == "ONBUILD":
            m = _keyword(logical, pos)
            if m:
                inner = Instruction(
                    start=ins.start, end=0, keyword=m.group(), name=m.group().upper(),
                    line=0, column=0, end_line=0, end_column=0, logical=ins.logical, segments=ins.segments,
                )
                inner.line, inner.column = self._line_col(ins.file_offset(pos))
                self._fill_arguments(inner, m.end())
                ins.inner = inner
            ins.args = logical[pos:]
            ins.args_offset = pos
            return
        ins.args = logical[pos:]
        ins.args_offset = pos
        ins.command, ins.command_offset = ins.args, pos
        if ins.name == "HEALTHCHECK":
            # BuildKit: the first word is the type (CMD, NONE, ...), the rest may be a JSON array.
            m = _HEALTHCHECK_TYPE_RE.match(ins.args)
            rest, rest_offset = (ins.args[m.end():], pos + m.end()) if m else ("", pos)
            if m and m.group(1).upper() == "CMD":
                ins.command, ins.command_offset = rest, rest_offset
            else:  # NONE (or a type the build rejects): no command, but the form is still parsed
                ins.command, ins.command_offset = "", pos + len(ins.args)
            try:
                ins.json = _json_args(rest)
            except ValueError as exc:
                raise DockerfileSyntaxError(f"{ins.keyword}: {exc}", ins.line) from None
        elif ins.name in JSON_INSTRUCTIONS:
            try:
                ins.json = _json_args(ins.command)
            except ValueError as exc:
                raise DockerfileSyntaxError(f"{ins.keyword}: {exc}", ins.line) from None
        elif ins.name in ("ENV", "LABEL"):
            _check_key_values(ins, self.escape)

    def _heredocs(self, ins: Instruction, i: int, end: int) -> Tuple[int, int]:
        text = self.text
        lines = self.lines
        words = _shell_words(ins.args, ins.args_offset)
        if _unclosed_quote(ins.args):
            # BuildKit splits the line into words first; a quote left open makes that fail, and then it
            # looks for no heredoc at all in the line
            ins.unread_heredoc = any(_HEREDOC_WORD_RE.match(w) for w, _, _ in words)
            return i, end
        for word, wstart, wend in words:
            m = _HEREDOC_WORD_RE.match(word)
            if not m or not m.group(2):
                continue
            name, quoted = _unquote(m.group(2))
            strip_tabs = m.group(1) == "-"
            body_start = lines[i][0] if i < len(lines) else len(text)
            while True:
                if i >= len(lines):
                    raise DockerfileSyntaxError(f"unterminated heredoc {name!r}", ins.line)
                start, cend, lend = lines[i]
                content = text[start:cend]
                if strip_tabs:
                    content = content.lstrip("\t")
                if content == name:
                    break
                i += 1
            body_end = lines[i][0]
            end = lines[i][2]
            i += 1
            ins.heredocs.append(
                Heredoc(
                    name=name, strip_tabs=strip_tabs, quoted=quoted,
                    marker_start=ins.file_offset(wstart), marker_end=ins.file_end_offset(wend),
                    body_start=body_start, body_end=body_end, body=text[body_start:body_end], end=end,
                )
            )
        return i, end


def parse(text: str) -> Document:
    """Parse Dockerfile text (already decoded, see ``decode``)."""
    return _Parser(text).parse()


def parse_bytes(data: bytes) -> Document:
    return parse(decode(data))
