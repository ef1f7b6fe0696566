"""Reading inputs: which files to check (discovery) and their bytes, read safely and within limits.

The one path by which every command (check, fix, layers) reads what it is given: ``read_inputs``."""
from __future__ import annotations

import os
import stat

from .diagnostics import InputProblem

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Iterable, Iterator, List, Optional, Sequence, Tuple

SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "env", ".tox", ".nox", "__pycache__",
             ".mypy_cache", ".pytest_cache", "site-packages"}
# Larger files are refused before reading them, so that time and memory stay bounded in CI. No Dockerfile
# comes near it: docker buildx's own limit for a Dockerfile given by URL is 2 MB, and the largest of
# 1,987 real-world Dockerfiles measured was 27 kB.
MAX_BYTES = 2 * 1024 * 1024


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


def input_paths(paths: Sequence[str], each_file_once: bool = True) -> List[str]:
    """The files to read for ``paths`` (``-``: standard input). ``each_file_once``: each file once, however
    it is reached (a link to it, its path given twice), under its own name rather than a link's when both
    are given."""
    found = list(discover(paths or (".",)))
    if not each_file_once:
        return found
    name_of = {}
    for p in found:
        key = _identity(p)
        if key is not None and (key not in name_of or (os.path.islink(name_of[key]) and not os.path.islink(p))):
            name_of[key] = p
    done = set()
    out = []
    for p in found:
        key = _identity(p)
        if key is not None:
            if key in done:
                continue
            done.add(key)
            p = name_of[key]
        out.append(p)
    return out


def read_input(path: str, stdin_name: Optional[str]) -> Tuple[Optional[bytes], Optional[InputProblem]]:
    """The bytes of one input of ``input_paths`` (``-``: standard input, reported as ``stdin_name``)."""
    if path == "-":
        return read_stdin(stdin_name or "-")
    return read_path(path)


def _identity(path: str):
    """What tells two paths to the same file apart from two files (None: cannot tell; read it anyway)."""
    if path == "-":
        return "-"
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class BuildContext:
    """Sizes of files in a build context directory (the Dockerfile's), for the byte estimates of findings.

    The one place estimates touch the disk: ``dlint.estimates`` asks, this answers. Paths are taken as a
    COPY source is (relative to the context); anything outside the directory, a pattern, or a tree of more
    than ``MAX_ENTRIES`` entries is unknown (None). Symbolic links are not followed."""

    MAX_ENTRIES = 20000
    MAX_READ = 1 << 20  # requirement and lock files read for counting, at most this much

    def __init__(self, root: str):
        self.root = os.path.abspath(root)

    def _path(self, rel: str) -> Optional[str]:
        if not rel or any(c in rel for c in "*?[$"):
            return None
        full = os.path.normpath(os.path.join(self.root, rel.lstrip("/")))
        if full != self.root and not full.startswith(self.root + os.sep):
            return None
        return full

    def stat(self, rel: str) -> Optional[Tuple[int, int, int]]:
        """(content bytes, files, directories) of a file or a directory tree; None when unknown."""
        full = self._path(rel)
        if full is None:
            return None
        try:
            st = os.lstat(full)
        except OSError:
            return None
        if not stat.S_ISDIR(st.st_mode):
            return (st.st_size if stat.S_ISREG(st.st_mode) else 0), 1, 0
        content, files, dirs = 0, 0, 1
        pending = [full]
        while pending:
            try:
                with os.scandir(pending.pop()) as it:
                    for entry in it:
                        if files + dirs > self.MAX_ENTRIES:
                            return None
                        if entry.is_dir(follow_symlinks=False):
                            dirs += 1
                            pending.append(entry.path)
                        else:
                            files += 1
                            if entry.is_file(follow_symlinks=False):
                                content += entry.stat(follow_symlinks=False).st_size
            except OSError:
                return None
        return content, files, dirs

    def count(self, rel: str, kind: str) -> Optional[int]:
        """Requirements in a pip requirements file (``kind`` "requirements"), packages in an npm lock file
        ("npm-lock"); None when unreadable."""
        full = self._path(rel)
        if full is None:
            return None
        try:
            with open(full, "rb") as fh:
                text = fh.read(self.MAX_READ).decode("utf-8", "replace")
        except OSError:
            return None
        if kind == "npm-lock":
            return text.count('"node_modules/') or None
        lines = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
        return sum(1 for ln in lines if ln and not ln.startswith("-"))
