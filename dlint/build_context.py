"""The build context of a Dockerfile, as plain data for the rules.

The context is the Dockerfile's directory unless ``--context DIR`` (or ``context`` in the config) names
another. ``read_context`` lists it (names and kinds only, never following a symbolic link out of it),
reads its ignore file (``<Dockerfile>.dockerignore`` beside the Dockerfile before ``.dockerignore`` at
the context root, as BuildKit chooses) and the dependency manifests near its root. No other file's
content is read, and nothing outside the context is touched. Rules get a ``BuildContext`` and do no I/O:
without one (standard input, a context that cannot be listed) the context rules are silent.
"""
from __future__ import annotations

import os
import stat

from ._records import dataclass, field
from .dockerignore import IgnoreError, Matcher

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional

# Listing stops here (a context this large is listed partly: ``complete`` is False).
MAX_ENTRIES = 20000
MAX_DEPTH = 8
# Directories whose names matter but whose insides do not (listed as present, not entered).
OPAQUE_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", "target", ".tox",
                         ".nox", ".mypy_cache", ".pytest_cache", ".gradle", ".idea", "vendor", "bower_components",
                         ".next", ".nuxt", ".yarn", ".pnpm-store", "dist", "build"})
# Manifests whose text rules may read (dependency declarations; at most MANIFEST_BYTES each, near the root).
MANIFEST_NAMES = frozenset({"package.json", "pyproject.toml", "go.mod", "Gemfile", "composer.json", "pom.xml",
                            "Cargo.toml", "Pipfile", "setup.cfg"})
MANIFEST_BYTES = 256 * 1024
MANIFEST_DEPTH = 2
MAX_MANIFESTS = 64


def is_manifest_name(name: str) -> bool:
    return name in MANIFEST_NAMES or (name.startswith("requirements") and name.endswith((".txt", ".in")))


@dataclass
class BuildContext:
    """What the build would send, by name. Paths are relative to the context root, ``/``-separated."""

    root: str  # absolute path of the context directory (where a new .dockerignore is written)
    entries: Dict[str, bool] = field(default_factory=dict)  # path -> is a directory
    complete: bool = True  # every entry was listed (False: a very large context, listed in part)
    ignore_path: Optional[str] = None  # the ignore file in use (absolute), or None when there is none
    ignore_name: str = ".dockerignore"  # its name as a user writes it (relative to the current directory)
    ignore_text: Optional[str] = None
    matcher: Optional[Matcher] = None
    ignore_error: Optional[str] = None  # the build refuses the ignore file: rules stay silent
    manifests: Dict[str, str] = field(default_factory=dict)  # path -> text

    def has(self, path: str) -> bool:
        return path in self.entries

    def is_dir(self, path: str) -> bool:
        return self.entries.get(path, False)

    def excluded(self, path: str) -> bool:
        return self.matcher is not None and self.matcher.excluded(path)

    def sent(self, path: str) -> bool:
        """Whether the build sends ``path`` (present and not excluded)."""
        return path in self.entries and not self.excluded(path)

    def under(self, directory: str) -> List[str]:
        """Entries inside ``directory`` ("." for the root), at any depth listed."""
        if directory in (".", ""):
            return list(self.entries)
        prefix = directory.rstrip("/") + "/"
        return [p for p in self.entries if p.startswith(prefix)]

    def with_ignore_text(self, text: str) -> "BuildContext":
        """The same context with another ignore file text (what a fix writes)."""
        import copy

        new = copy.copy(self)
        new.ignore_text = text
        new.matcher, new.ignore_error = _matcher(text)
        if new.ignore_path is None:
            new.ignore_path = os.path.join(self.root, ".dockerignore")
        return new


def _matcher(text: Optional[str]):
    if text is None:
        return None, None
    try:
        return Matcher.from_text(text), None
    except IgnoreError as exc:
        return None, str(exc)


def _read_small(path: str, limit: int) -> Optional[str]:
    """The text of a regular file of at most ``limit`` bytes (None otherwise); never waits on a FIFO."""
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


def list_context(root: str) -> Optional[BuildContext]:
    """Names under ``root`` (breadth first, bounded), or None if ``root`` cannot be listed."""
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
                if len(ctx.entries) >= MAX_ENTRIES:
                    ctx.complete = False
                    break
                rel = prefix + entry.name
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                ctx.entries[rel] = is_dir
                if is_dir and entry.name not in OPAQUE_DIRS:
                    if depth + 1 >= MAX_DEPTH:
                        ctx.complete = False
                        continue
                    try:
                        queue.append((rel + "/", os.scandir(entry.path), depth + 1))
                    except OSError:
                        ctx.complete = False
        if len(ctx.entries) >= MAX_ENTRIES:
            for _, rest, _ in queue:
                rest.close()
            break
    return ctx


def read_context(root: str, dockerfile: Optional[str] = None, listing: Optional[BuildContext] = None
                 ) -> Optional[BuildContext]:
    """The context rooted at ``root`` for ``dockerfile`` (its path, for ``<Dockerfile>.dockerignore``).

    ``listing``: the names of ``root`` listed already (shared by the Dockerfiles of one context)."""
    import copy

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
            text = _read_small(candidate, 1 << 20)
            if text is None:
                ctx.ignore_error = f"{candidate} cannot be read"
            else:
                ctx.ignore_text = text
                ctx.matcher, ctx.ignore_error = _matcher(text)
            break
    else:
        ctx.ignore_name = _shown(os.path.join(root, ".dockerignore"))
    if listing is None or not base.manifests:
        ctx.manifests = _manifests(base)
        if listing is not None:
            listing.manifests = ctx.manifests
    return ctx


def _shown(path: str) -> str:
    """``path`` as a user names it: relative to the current directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _manifests(ctx: BuildContext) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for rel, is_dir in ctx.entries.items():
        if is_dir or rel.count("/") > MANIFEST_DEPTH:
            continue
        name = rel.rsplit("/", 1)[-1]
        if is_manifest_name(name):
            text = _read_small(os.path.join(ctx.root, rel), MANIFEST_BYTES)
            if text is not None:
                out[rel] = text
            if len(out) >= MAX_MANIFESTS:
                break
    return out
