"""Reading inputs: which files to check (discovery) and their bytes, read safely and within limits.

The one path by which every command (check, fix, layers) reads what it is given: ``read_inputs``."""
from __future__ import annotations

import os
import re
import stat
from functools import lru_cache

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


def too_large(size: Optional[int] = None) -> str:
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
        return None, InputProblem(path, None, too_large(st.st_size))
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
        return None, InputProblem(path, None, too_large())
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
        return None, InputProblem(name, None, too_large())
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


@lru_cache(maxsize=None)
def _repository_root(directory: str) -> Optional[str]:
    """The nearest directory with a ``.git`` from ``directory`` up (each directory looked at once per run)."""
    if os.path.exists(os.path.join(directory, ".git")):
        return directory
    parent = os.path.dirname(directory)
    return None if parent == directory else _repository_root(parent)


def project_path(path: str) -> str:
    """The path inside its repository (or below the working directory): directories above it say nothing.
    Read here, by the command layer, and given to the check as ``Settings.project_path`` (the rules that
    guess what an image is for from its path read no directory)."""
    if path in ("-", ""):
        return path
    full = os.path.abspath(path)
    root = _repository_root(os.path.dirname(full))
    if root is not None:
        return os.path.relpath(full, root)
    rel = os.path.relpath(full, os.getcwd())
    return "/".join(p for p in re.split(r"[\\/]", rel) if p not in ("..", "."))


def _identity(path: str):
    """What tells two paths to the same file apart from two files (None: cannot tell; read it anyway)."""
    if path == "-":
        return "-"
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


# ---------------------------------------------------------------------------------------- build context

# Listing stops here (a context this large is listed partly: ``complete`` is False).
CONTEXT_MAX_ENTRIES = 20000
CONTEXT_MAX_DEPTH = 8
# Directories whose names matter but whose insides do not (listed as present, not entered).
OPAQUE_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", "target", ".tox",
                         ".nox", ".mypy_cache", ".pytest_cache", ".gradle", ".idea", "vendor", "bower_components",
                         ".next", ".nuxt", ".yarn", ".pnpm-store", "dist", "build"})
MANIFEST_BYTES = 256 * 1024  # a manifest's text is kept up to this size
COUNTED_BYTES = 1 << 20  # a requirements or lock file is counted up to this size
MAX_MANIFESTS = 64
MAX_COUNTED = 256
IGNORE_FILE_BYTES = 1 << 20


def _read_small(path: str, limit: int) -> Optional[str]:
    """The text of a regular file of at most ``limit`` bytes (None otherwise); never waits on a FIFO, never
    follows a link."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        data = b""
        while len(data) <= limit:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
        if len(data) > limit:
            return None
        return data.decode("utf-8", errors="surrogateescape")
    except OSError:
        return None
    finally:
        os.close(fd)


def list_context(root: str):
    """The names under ``root`` (breadth first, bounded) with the sizes of its regular files, its manifests
    and counted files (``_context_files``), as a ``dlint.build_context.BuildContext`` without an ignore file
    (``read_context`` adds it); None if ``root`` cannot be listed. Symbolic links are not followed."""
    from .build_context import BuildContext, is_notable

    try:
        top = os.scandir(root)
    except OSError:
        return None
    ctx = BuildContext(root=os.path.abspath(root))
    queue = [("", top, 0)]
    while queue:
        prefix, it, depth = queue.pop(0)
        with it:
            for entry in it:
                if len(ctx.entries) >= CONTEXT_MAX_ENTRIES:
                    ctx.complete = False
                    break
                rel = prefix + entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                    if not is_dir and entry.is_file(follow_symlinks=False):
                        ctx.sizes[rel] = entry.stat(follow_symlinks=False).st_size
                except OSError:
                    is_dir = False
                ctx.entries[rel] = is_dir
                if is_dir:
                    if entry.name in OPAQUE_DIRS or depth + 1 >= CONTEXT_MAX_DEPTH:
                        ctx.unlisted.add(rel)
                        continue
                    try:
                        queue.append((rel + "/", os.scandir(entry.path), depth + 1))
                    except OSError:
                        ctx.unlisted.add(rel)
        if len(ctx.entries) >= CONTEXT_MAX_ENTRIES:
            for _, rest, _ in queue:
                rest.close()
            break
    ctx.manifests, ctx.counts = _context_files(ctx)
    ctx.npmrc_tokens = _npmrc_tokens(ctx)
    ctx.notable = sorted(path for path in ctx.entries if is_notable(path))
    # the name of an ignore file made at the root; read_context names the one in use, when there is one
    ctx.ignore_name = _shown(os.path.join(root, ".dockerignore"))
    return ctx


def read_context(root: str, dockerfile: Optional[str] = None, listing=None):
    """The build context rooted at ``root`` for ``dockerfile`` (its path, for ``<Dockerfile>.dockerignore``):
    a ``dlint.build_context.BuildContext`` with its names, ignore file, manifests and counted files; None when
    ``root`` cannot be listed. ``listing``: ``list_context(root)`` done already (shared by the Dockerfiles of
    one context)."""
    import copy

    from .build_context import matcher_for

    base = listing if listing is not None else list_context(root)
    if base is None:
        return None
    ctx = copy.copy(base)
    candidates = []
    if dockerfile:
        candidates.append(dockerfile + ".dockerignore")
    candidates.append(os.path.join(root, ".dockerignore"))
    for candidate in candidates:
        if os.path.lexists(candidate):
            ctx.ignore_path = os.path.abspath(candidate)
            ctx.ignore_name = _shown(candidate)
            text = _read_small(candidate, IGNORE_FILE_BYTES)
            if text is None:
                ctx.ignore_error = f"{candidate} cannot be read"
            else:
                ctx.ignore_text = text
                ctx.matcher, ctx.ignore_error = matcher_for(text)
            break
    return ctx


def _shown(path: str) -> str:
    """``path`` as a user names it: relative to the current directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _npmrc_tokens(ctx):
    """The ``.npmrc`` files of a listed context that hold a credential written out (read for that alone)."""
    from .build_context import MANIFEST_DEPTH, npmrc_has_token

    found = set()
    for rel in ctx.sizes:
        if rel.rsplit("/", 1)[-1] == ".npmrc" and rel.count("/") <= MANIFEST_DEPTH:
            text = _read_small(os.path.join(ctx.root, rel), MANIFEST_BYTES)
            if text is not None and npmrc_has_token(text):
                found.add(rel)
    return found


def _context_files(ctx):
    """(manifests, counts) of a listed context: the text of the dependency manifests near its root, and the
    entries of the requirement and lock files the byte estimates count (no other file is opened)."""
    from .build_context import MANIFEST_DEPTH, count_entries, count_kind, is_manifest_name

    manifests = {}
    counts = {}
    for rel, is_dir in ctx.entries.items():
        if is_dir or rel not in ctx.sizes:
            continue
        name = rel.rsplit("/", 1)[-1]
        manifest = rel.count("/") <= MANIFEST_DEPTH and is_manifest_name(name) and len(manifests) < MAX_MANIFESTS
        kind = count_kind(rel) if len(counts) < MAX_COUNTED else None
        if not manifest and kind is None:
            continue
        text = _read_small(os.path.join(ctx.root, rel), COUNTED_BYTES if kind else MANIFEST_BYTES)
        if text is None:
            continue
        if manifest and ctx.sizes[rel] <= MANIFEST_BYTES:
            manifests[rel] = text
        if kind is not None:
            n = count_entries(text, kind)
            if n is not None:
                counts[rel] = n
    return manifests, counts
