"""Reading inputs, checking them, and collecting results; shared by every CLI command."""
from __future__ import annotations

import os
import stat

from .config import Config
from .diagnostics import FileResult, InputProblem
from .engine import Settings, run_rules
from .stages import unknown_target
from .syntax import KNOWN_INSTRUCTIONS, DockerfileSyntaxError, Document, decode, parse

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Iterable, Iterator, List, Optional, Tuple

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", ".tox", ".nox", "__pycache__",
             ".mypy_cache", ".pytest_cache", "site-packages"}
MAX_BYTES = 64 * 1024 * 1024


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
        return None, InputProblem(path, None, f"file is too large ({st.st_size} bytes; limit {MAX_BYTES})")
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
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return None, InputProblem(path, None, f"cannot read: {exc.strerror or exc}")
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_BYTES:
        return None, InputProblem(path, None, f"file is too large (more than {MAX_BYTES} bytes)")
    return data, None


def validate(path: str, data: bytes, text: str) -> Tuple[Optional[Document], List[InputProblem]]:
    """Parse and report what makes the input not a valid Dockerfile (the file is still checked if it parses)."""
    problems: List[InputProblem] = []
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [InputProblem(path, line, "binary file (contains NUL bytes): not a Dockerfile")]
    # Bytes that are not UTF-8 are no problem: BuildKit builds such files, and they round-trip unchanged.
    try:
        doc = parse(text)
    except DockerfileSyntaxError as exc:
        return None, problems + [InputProblem(path, exc.line, exc.message)]
    if not doc.instructions:
        what = "empty file" if not text.strip() else "no instructions (only comments or blank lines)"
        return doc, problems + [InputProblem(path, None, f"{what}: not a Dockerfile")]
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
    return doc, problems


def settings_for(path: str, config: Config, select=None, ignore=None, extend_select=None) -> Settings:
    from . import rules

    enabled = set(select if select is not None else (config.select if config.select is not None else rules.default_codes()))
    enabled |= set(config.extend_select) | set(extend_select or ())
    enabled -= set(config.ignore) | set(ignore or ()) | set(config.ignores_for(path))
    return Settings(enabled=enabled, severity=dict(config.severity), build_args=dict(config.build_args),
                    target=config.target, allowed_bases=list(config.allowed_bases))


def internal_error(path: str, exc: BaseException) -> InputProblem:
    """One line for a bug in dlint met on this file: what and where, so that it can be reported."""
    import traceback

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
        result.diagnostics = run_rules(path, doc, settings, ALL_RULES)
        missing = unknown_target(doc, settings.target)
        if missing:
            result.problems.append(InputProblem(path, None, missing))
    return result
