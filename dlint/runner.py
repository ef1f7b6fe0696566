"""Reading inputs, checking them, and collecting results; shared by every CLI command."""
from __future__ import annotations

import os
import stat

from .config import Config
from .diagnostics import FileResult, InputProblem
from .engine import Settings, run_rules
from .stages import unknown_target
from ._regex import lazy_compile
from .syntax import GO_SPACE, JSON_INSTRUCTIONS, KNOWN_INSTRUCTIONS, DockerfileSyntaxError, Document, decode, parse

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Iterable, Iterator, List, Optional, Tuple

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", ".tox", ".nox", "__pycache__",
             ".mypy_cache", ".pytest_cache", "site-packages"}
# Larger files are refused before reading them, so that time and memory stay bounded in CI. No Dockerfile
# comes near it: docker buildx's own limit for a Dockerfile given by URL is 2 MB, and the largest of
# 1,987 real-world Dockerfiles measured was 27 kB.
MAX_BYTES = 2 * 1024 * 1024
# BuildKit reads a Dockerfile line by line with a 64 KiB buffer: a line (without its "\n", with a "\r")
# longer than this fails the build with "dockerfile line greater than max allowed size of 65535".
MAX_LINE_BYTES = 65535


# Named like a Dockerfile but something else: code about Dockerfiles, docs, templates, backups.
NOT_DOCKERFILE_EXTENSIONS = {
    "py", "pyc", "pyi", "sh", "bash", "ps1", "bat", "js", "mjs", "ts", "go", "rs", "rb", "java", "kt", "c", "h",
    "cpp", "cs", "php", "pl", "lua", "md", "rst", "adoc", "html", "json", "yml", "yaml", "toml", "ini", "xml",
    "j2", "jinja", "jinja2", "tmpl", "tpl", "template", "erb", "bak", "orig", "rej", "swp", "lock", "log",
}


def is_dockerfile_name(name: str) -> bool:
    """Dockerfile, Dockerfile.*, Dockerfile-*, *.Dockerfile, *-dockerfile, Containerfile* and the like."""
    lower = name.lower()
    if lower.rpartition(".")[2] in NOT_DOCKERFILE_EXTENSIONS:
        return False
    for stem in ("dockerfile", "containerfile"):
        if lower == stem:
            return True
        if lower.startswith(stem) and lower[len(stem)] in "._-":
            return True
        if lower.endswith(stem) and lower[-len(stem) - 1] in "._-":
            return True
    return False


def discover(paths: Iterable[str]) -> Iterator[str]:
    """Files named on the command line as they are; directories searched for Dockerfiles."""
    for p in paths:
        if os.path.isdir(p):
            # A directory that cannot be listed is yielded itself, so that reading it reports why.
            unreadable: list = []
            for root, dirs, files in os.walk(p, onerror=unreadable.append):
                while unreadable:
                    yield unreadable.pop(0).filename
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not os.path.isfile(os.path.join(root, d, "pyvenv.cfg")))
                for f in sorted(files):
                    if is_dockerfile_name(f):
                        yield os.path.join(root, f)
            while unreadable:
                yield unreadable.pop(0).filename
        else:
            yield p


def _not_regular(path: str, mode: int) -> InputProblem:
    if stat.S_ISDIR(mode):
        try:
            os.listdir(path)
        except OSError as exc:
            return InputProblem(path, None, f"cannot read directory: {exc.strerror or exc}")
        return InputProblem(path, None, "is a directory")
    kind = ("FIFO" if stat.S_ISFIFO(mode) else "character device" if stat.S_ISCHR(mode)
            else "block device" if stat.S_ISBLK(mode) else "socket" if stat.S_ISSOCK(mode) else "special file")
    return InputProblem(path, None, f"not a regular file ({kind}): refused")


# Opening never waits: a FIFO put in place of the file after the stat would otherwise block until a writer came.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def _too_large(size: Optional[int] = None) -> str:
    def mib(n: int) -> str:
        return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MiB"

    what = f"{size / (1024 * 1024):.1f} MiB" if size is not None else f"more than {mib(MAX_BYTES)}"
    return f"file is too large for a Dockerfile ({what}; dlint's limit is {mib(MAX_BYTES)})"


def read_path(path: str) -> Tuple[Optional[bytes], Optional[InputProblem]]:
    """The bytes of a regular file, or the reason it cannot be checked (only regular files are opened)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        what = "broken symbolic link" if os.path.islink(path) else "no such file"
        return None, InputProblem(path, None, what)
    except OSError as exc:
        return None, InputProblem(path, None, f"cannot read: {exc.strerror or exc}")
    if not stat.S_ISREG(st.st_mode):
        return None, _not_regular(path, st.st_mode)
    if st.st_size > MAX_BYTES:
        return None, InputProblem(path, None, _too_large(st.st_size))
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        return None, InputProblem(path, None, f"cannot read: {exc.strerror or exc}")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, _not_regular(path, st.st_mode)
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            data = fh.read(MAX_BYTES + 1)  # the file may have grown since the stat
    except OSError as exc:
        return None, InputProblem(path, None, f"cannot read: {exc.strerror or exc}")
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_BYTES:
        return None, InputProblem(path, None, _too_large())
    return data, None


def read_stdin(name: str) -> Tuple[Optional[bytes], Optional[InputProblem]]:
    """Standard input, up to the same size limit as files."""
    import sys

    if sys.stdin is None:
        return None, InputProblem(name, None, "standard input is closed: nothing to read")
    try:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, InputProblem(name, None, f"cannot read standard input: {exc.strerror or exc}")
    if len(data) > MAX_BYTES:
        return None, InputProblem(name, None, _too_large())
    return data, None


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
        problems.append(_not_utf8(path, data, exc.start))
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


def _not_utf8(path: str, data: bytes, offset: int) -> InputProblem:
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
    from .engine import pragma_warnings
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


def settings_for(path: str, config: Config, select=None, ignore=None, extend_select=None) -> Settings:
    from . import rules

    enabled = set(select if select is not None else (config.select if config.select is not None else rules.default_codes()))
    enabled |= set(config.extend_select) | set(extend_select or ())
    enabled -= set(config.ignore) | set(ignore or ()) | set(config.ignores_for(path))
    return Settings(enabled=enabled, severity=dict(config.severity), build_args=dict(config.build_args),
                    target=config.target, allowed_bases=list(config.allowed_bases),
                    cache_strategy=config.cache_strategy)


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


def check_source(path: str, data: bytes, settings: Settings) -> FileResult:
    try:
        return _check_source(path, data, settings)
    except Exception as exc:  # a bug in dlint: reported for this file, the others are still checked
        return FileResult(path, problems=[internal_error(path, exc)])


def _check_source(path: str, data: bytes, settings: Settings) -> FileResult:
    from .rules import ALL_RULES

    text = decode(data)
    result = FileResult(path, source=text)
    doc, problems = validate(path, data, text)
    result.problems = problems
    if doc is not None and doc.instructions:
        result.warnings = warnings_for(path, doc)
        result.diagnostics = run_rules(path, doc, settings, ALL_RULES)
        missing = unknown_target(doc, settings.target)
        if missing:
            result.problems.append(InputProblem(path, None, missing))
    return result
