"""Whether an input is a Dockerfile BuildKit builds: the problems that refuse it, the oddities it builds
anyway, the warnings about what dlint cannot follow, and one line for a bug met on a file."""
from __future__ import annotations

import os

from ._regex import lazy_compile
from .diagnostics import InputProblem
from .syntax import GO_SPACE, JSON_INSTRUCTIONS, KNOWN_INSTRUCTIONS, DockerfileSyntaxError, Document, parse

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional, Tuple

# BuildKit reads a Dockerfile line by line with a 64 KiB buffer: a line (without its "\n", with a "\r")
# longer than this fails the build with "dockerfile line greater than max allowed size of 65535".
MAX_LINE_BYTES = 65535


def validate(path: str, data: bytes, text: str) -> Tuple[Optional[Document], List[InputProblem]]:
    """Parse and report what is wrong with the input.

    A file BuildKit would not build gets the reasons why (it is not fixed; rules still run if it parsed).
    A file BuildKit builds may still get problems that do not block fixing (see ``oddities``)."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [InputProblem(path, line, "binary file (contains NUL bytes): not a Dockerfile")]
    too_long = _long_line(data)
    if too_long is not None:
        return None, [InputProblem(path, too_long, f"line {too_long} is longer than {MAX_LINE_BYTES:,} bytes (BuildKit "
                                                   f"refuses it: dockerfile line greater than max allowed size of "
                                                   f"{MAX_LINE_BYTES})")]
    try:
        doc = parse(text)
    except DockerfileSyntaxError as exc:
        return None, [InputProblem(path, exc.line, exc.message)]
    if not doc.instructions:
        what = "empty file" if not text.strip() else "no instructions (only comments or blank lines)"
        return doc, [InputProblem(path, None, f"{what}: not a Dockerfile")]
    problems: List[InputProblem] = []
    for ins in doc.instructions:
        if ins.unread_heredoc or (ins.inner is not None and ins.inner.unread_heredoc):
            problems.append(InputProblem(path, ins.line, "a quote in this line is never closed, so BuildKit reads "
                                         "no heredoc here and the lines below are instructions of their own; "
                                         "no RUN of the file is merged", blocks_fix=False))
    for ins in doc.instructions:
        if ins.name not in KNOWN_INSTRUCTIONS:
            problems.append(InputProblem(path, ins.line, f"unknown instruction {ins.keyword!r}"))
            break
        if ins.name == "ONBUILD" and ins.inner is not None and ins.inner.name not in KNOWN_INSTRUCTIONS:
            problems.append(InputProblem(path, ins.line, f"unknown instruction {ins.inner.keyword!r} after ONBUILD"))
            break
    first = next((i for i in doc.instructions if i.name not in ("ARG",)), None)
    if first is None or first.name != "FROM":
        line = first.line if first is not None else doc.instructions[0].line
        problems.append(InputProblem(path, line, "no FROM before the first instruction (only ARG may precede FROM)"))
    if problems:  # the file is refused: its oddities can wait
        return doc, problems
    return doc, oddities(path, data, doc)


def _long_line(data: bytes) -> Optional[int]:
    """The number of the first line BuildKit refuses as too long, if any."""
    if len(data) <= MAX_LINE_BYTES:
        return None
    if max(map(len, data.split(b"\n"))) <= MAX_LINE_BYTES:
        return None
    start = line = 0
    while True:
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line += 1
        if end - start > MAX_LINE_BYTES:
            return line
        start = end + 1


def oddities(path: str, data: bytes, doc: Document) -> List[InputProblem]:
    """Mistakes BuildKit builds anyway, each reported as a problem that does not block checking or fixing:
    bytes that are not UTF-8, an argument that looks like exec form but is not valid JSON (BuildKit then
    silently takes it as shell form), and a continuation at the end of the file."""
    problems: List[InputProblem] = []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(not_utf8(path, data, exc.start))
    for ins in doc.instructions:
        message = _json_lookalike(ins.inner if ins.inner is not None else ins)
        if message is not None:
            problems.append(InputProblem(path, ins.line, message, blocks_fix=False))
    line = _continued_at_end(doc)
    if line is not None:
        problems.append(InputProblem(path, line, f"the file ends inside a line continuation (line {line} ends "
                                                 f"with \"{doc.escape}\")", blocks_fix=False))
    problems.sort(key=lambda p: p.line or 0)
    return problems


def not_utf8(path: str, data: bytes, offset: int) -> InputProblem:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8")) + 1  # in characters, as findings count them
    if line == 1 and data.startswith(b"\xef\xbb\xbf"):
        column -= 1  # a byte-order mark takes no column
    return InputProblem(path, line, f"not valid UTF-8 (byte 0x{data[offset]:02x} at line {line}, column {column}): "
                                    "checked with the bytes kept as they are", blocks_fix=False)


# ``[``, blanks, and a quoted string (maybe unterminated), with the blanks after it.
_BRACKET_STRING = lazy_compile(r"""\[[ \t]*(?:"(?:[^"\\]|\\.)*"?|'[^']*'?)[ \t]*""")
_JSON_FOR_PATHS = ("VOLUME", "ADD", "COPY")
_SNIPPET = 60


def _json_lookalike(ins) -> Optional[str]:
    """Why ``ins`` looks like exec form but BuildKit takes it as shell form (or as words), or None."""
    arg = ins.command
    if ins.json is not None or not arg.startswith("[") or ins.name not in JSON_INSTRUCTIONS:
        return None
    # Meant as a JSON array: the string is followed by a comma, another string, ``]`` or nothing. Shell
    # tests (``[ -f x ]``, ``[ "$X" = 1 ]``) go on with an operator.
    m = _BRACKET_STRING.match(arg)
    if m is None or arg[m.end():m.end() + 1] not in ("", ",", "]", '"', "'"):
        return None
    snippet = " ".join(ins.logical.strip(GO_SPACE).split())
    if len(snippet) > _SNIPPET:
        snippet = snippet[:_SNIPPET - 1].rstrip() + "…"
    if ins.name == "SHELL":
        consequence = "and SHELL takes only JSON form, so the build fails"
    elif ins.name in _JSON_FOR_PATHS:
        consequence = "so its words are taken as paths"
    else:
        consequence = "so it runs as a shell command"
    return f"{snippet}: looks like JSON (exec) form but is not valid JSON ({_json_error(arg)}), {consequence}"


def _not_json(name: str):
    raise ValueError(f"{name} is not JSON")


def _json_error(arg: str) -> str:
    import json

    try:
        _, end = json.JSONDecoder(parse_constant=_not_json).raw_decode(arg)
    except json.JSONDecodeError as exc:
        at = arg[exc.pos:exc.pos + 1]
        if at == "'" or (exc.msg.startswith("Expecting value") and "'" in arg[:exc.pos + 1]):
            return "single quotes; JSON strings take double quotes"
        if exc.pos >= len(arg):
            return "unterminated string" if exc.msg.startswith("Unterminated string") else "unterminated array"
        if exc.msg.startswith("Unterminated string"):
            return "unterminated string"
        if exc.msg.startswith("Expecting ',' delimiter"):
            return "missing comma"
        if exc.msg.startswith("Expecting value") and at == "]":
            return "comma before the closing bracket"
        if exc.msg.startswith("Expecting value"):
            return "a value that is not a quoted string"
        if exc.msg.startswith("Invalid \\escape"):
            return "invalid escape"
        if exc.msg.startswith("Invalid control character"):
            return "control character in a string"
        return exc.msg[:1].lower() + exc.msg[1:]
    except ValueError as exc:
        return str(exc)
    return "text after the closing bracket" if end < len(arg) else "not a list of strings"


def _continued_at_end(doc: Document) -> Optional[int]:
    """The line of a continuation the file ends in (only blank and comment lines after it), or None."""
    last = doc.instructions[-1]
    if last.heredocs:
        return None
    _, start, length = last.segments[-1]
    end = start + length
    # A piece of the instruction that continues ends just before its escape character.
    if end < len(doc.text) and doc.text[end] == doc.escape:
        return doc.line_col(end)[0]
    return None


def warnings_for(path: str, doc: Document) -> List[InputProblem]:
    """What dlint cannot follow in a file it checks: printed as warnings, the exit code is unchanged."""
    from .suppressions import pragma_warnings
    from .stages import MAX_VALUE, oversized_values

    out = pragma_warnings(path, doc)
    big = oversized_values(doc)
    if big:
        ins, name = big[0]
        more = f" (and {len(big) - 1} more after it)" if len(big) > 1 else ""
        out.append(InputProblem(path, ins.line, f"{ins.name} {name}: its value may expand to more than "
                                                f"{MAX_VALUE:,} characters; dlint treats it as unknown{more}",
                                blocks_fix=False, level="warning"))
    out.sort(key=lambda p: p.line or 0)
    return out



def internal_error(path: str, exc: BaseException) -> InputProblem:
    """One line for a bug in dlint met on this file: what and where, so that it can be reported."""
    import traceback

    from .deps import MissingDependency, missing_package

    package = missing_package(exc)
    if package is not None:  # not a bug in dlint: the whole run stops with one line (dlint.entry)
        raise MissingDependency(package) from None
    if isinstance(exc, RecursionError):  # thousands of nested shell constructs: a limit, not a bug
        return InputProblem(path, None, "nested too deeply to check (more levels of shell or syntax "
                                        "nesting than dlint follows)")

    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if os.sep + "dlint" + os.sep in f.filename] or frames
    where = f" at {os.path.basename(ours[-1].filename)}:{ours[-1].lineno}" if ours else ""
    detail = " ".join(str(exc).split())[:200]
    return InputProblem(path, None, f"internal error{where}: {type(exc).__name__}: {detail} "
                                    "(a bug in dlint; please report it with this file)")
