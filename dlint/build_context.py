"""The build context of a Dockerfile, as plain data: what the build would send, by name.

The context is the Dockerfile's directory unless ``--context DIR`` (or ``context`` in the config) names
another. ``dlint.inputs.read_context`` lists it (names, kinds and file sizes, never following a symbolic
link out of it) and reads its ignore file (``<Dockerfile>.dockerignore`` beside the Dockerfile before
``.dockerignore`` at the context root, as BuildKit chooses), the dependency manifests near its root and
the requirement and lock files whose entries the byte estimates count. Nothing here does I/O: rules read a
``BuildContext`` through ``ctx.build_context``, the byte estimates (``dlint.estimates``) through
``stat`` and ``count``; without one (standard input, a context that cannot be listed) the rules that need
it are silent and the sizes of copied files are unknown.
"""
from __future__ import annotations

import os
import posixpath
import re

from ._dataclass import dataclass, field
from .dockerignore import IgnoreError, Matcher

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Set, Tuple

# Manifests whose text rules may read (dependency declarations), by name.
MANIFEST_NAMES = frozenset({"package.json", "pyproject.toml", "go.mod", "Gemfile", "composer.json", "pom.xml",
                            "Cargo.toml", "Pipfile", "setup.cfg"})
MANIFEST_DEPTH = 2  # manifests are read this many directories deep at most


def is_manifest_name(name: str) -> bool:
    return name in MANIFEST_NAMES or (name.startswith("requirements") and name.endswith((".txt", ".in")))


def count_kind(path: str) -> Optional[str]:
    """What the byte estimates count in the file at ``path`` (``/``-separated): "npm-lock" for an npm lock
    file, "yarn-lock" for a yarn lock file, "requirements" for a pip requirements file (a text file named or placed as one, or near the
    root), else None."""
    name = path.rsplit("/", 1)[-1]
    if name == "package-lock.json":
        return "npm-lock"
    if name == "yarn.lock":
        return "yarn-lock"
    if name.endswith((".txt", ".in")) and ("requirement" in path or "constraint" in name
                                           or path.count("/") <= MANIFEST_DEPTH):
        return "requirements"
    return None


def count_entries(text: str, kind: str) -> Optional[int]:
    """Packages in an npm or yarn lock file (``kind`` "npm-lock", "yarn-lock"), requirements in a pip requirements file."""
    if kind == "npm-lock":
        return text.count('"node_modules/') or None
    if kind == "yarn-lock":
        return _yarn_lock_entries(text)
    lines = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
    return sum(1 for ln in lines if ln and not ln.startswith("-"))


_NPMRC_CREDENTIAL = re.compile(r"^[ \t]*(?:[^#;=\s]*:)?_(?:authToken|auth|password)[ \t]*=[ \t]*(\S+)", re.M)


def npmrc_has_token(text: str) -> bool:
    """Whether an ``.npmrc`` holds a registry credential written out (not ``${NPM_TOKEN}`` read from the
    environment, which npm expands when it runs)."""
    return any(not m.group(1).strip("\"'").startswith("${") for m in _NPMRC_CREDENTIAL.finditer(text))


def _yarn_lock_entries(text: str) -> Optional[int]:
    """Packages in a yarn lock file, classic (``  version "1.3.8"``) or Yarn 2+ (``  version: 1.3.8``): the
    entries with a version, not Yarn 2+'s ``__metadata`` nor the project's own workspaces."""
    n = 0
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [ln for ln in block.split("\n") if ln and not ln.startswith("#")]
        if not lines or lines[0].startswith("__metadata") or "@workspace:" in block:
            continue
        if any(ln.startswith(("  version ", "  version:")) for ln in lines[1:]):
            n += 1
    return n or None


PRIVATE_KEY_NAMES = frozenset({"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"})
# Names that mark what a build rarely means to send: version-control history, dependency folders and
# virtualenvs, bytecode, build output, npm settings, SSH private keys; and (by pattern) environment files
# (``.env*``) and PEM files (``*.pem``). Rule C002 looks closer at these entries alone.
_NOTABLE_NAMES = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", "target", ".npmrc"}) | PRIVATE_KEY_NAMES
_NOTABLE_ENDINGS = tuple(_NOTABLE_NAMES) + (".pem",)


def is_notable(path: str) -> bool:
    """Whether the entry at ``path`` has one of the notable names (``_NOTABLE_NAMES``, ``.env*``, ``*.pem``)."""
    if not path.endswith(_NOTABLE_ENDINGS) and ".env" not in path:  # most paths, told apart without a split
        return False
    name = path.rsplit("/", 1)[-1]
    return name in _NOTABLE_NAMES or name.endswith(".pem") or name.startswith(".env")


def matcher_for(text: Optional[str]):
    """(Matcher, None) for an ignore file's text, (None, why) when the build refuses it, (None, None) for none."""
    if text is None:
        return None, None
    try:
        return Matcher.from_text(text), None
    except IgnoreError as exc:
        return None, str(exc)


@dataclass
class BuildContext:
    """What the build would send, by name. Paths are relative to the context root, ``/``-separated."""

    root: str  # absolute path of the context directory
    entries: Dict[str, bool] = field(default_factory=dict)  # path -> is a directory
    sizes: Dict[str, int] = field(default_factory=dict)  # path of a regular file -> its bytes
    unlisted: Set[str] = field(default_factory=set)  # directories present whose insides were not listed
    complete: bool = True  # every entry was listed (False: a very large context, listed in part)
    ignore_path: Optional[str] = None  # the ignore file in use (absolute), or None when there is none
    ignore_name: str = ".dockerignore"  # its name as a user writes it (relative to the current directory)
    ignore_text: Optional[str] = None
    matcher: Optional[Matcher] = None
    ignore_error: Optional[str] = None  # the build refuses the ignore file: rules stay silent
    manifests: Dict[str, str] = field(default_factory=dict)  # path -> text
    counts: Dict[str, int] = field(default_factory=dict)  # path -> entries counted (see ``count_kind``)
    # ``.npmrc`` files that hold a registry credential written out (``_authToken``, ``_auth``, ``_password``
    # with a value that is not a ``${VARIABLE}``): the one file read for what it holds rather than its name.
    npmrc_tokens: Set[str] = field(default_factory=set)
    # The entries with a notable name (``is_notable``), sorted: found once when the context is listed, rather
    # than by a look at every entry for each Dockerfile of a large context.
    notable: List[str] = field(default_factory=list)

    def ignore_target(self) -> str:
        """The ignore file a fix edits: the one in use, else a new ``.dockerignore`` at the context root."""
        return self.ignore_path or os.path.join(self.root, ".dockerignore")

    def with_ignore_text(self, path: str, text: str) -> "BuildContext":
        """This context as it is once the ignore file at ``path`` (``ignore_target()``) holds ``text``."""
        import copy

        if path != self.ignore_target():
            raise ValueError(f"{path} is not the ignore file of the build context {self.root}")
        new = copy.copy(self)
        new.ignore_path = path
        new.ignore_text = text
        new.matcher, new.ignore_error = matcher_for(text)
        return new

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

    # -- for the byte estimates: a COPY source as written (relative to the context root)

    @staticmethod
    def _clean(rel: str) -> Optional[str]:
        if not rel or any(c in rel for c in "*?[$\\"):
            return None
        clean = posixpath.normpath(rel.lstrip("/")) if rel.strip("/") else "."
        if clean == ".." or clean.startswith("../"):
            return None
        return clean

    def stat(self, rel: str) -> Optional[Tuple[int, int, int]]:
        """(content bytes, files, directories) of what the build sends for the COPY source ``rel``: a file,
        or a directory tree without what the ignore file excludes. None when unknown: not in the context,
        excluded, a pattern, or a tree not listed in full."""
        clean = self._clean(rel)
        if clean is None or self.ignore_error is not None:
            return None
        if clean != ".":
            if clean not in self.entries:
                return None
            if self.excluded(clean):
                return None
            if not self.entries[clean]:
                return self.sizes.get(clean, 0), 1, 0
        if not self.complete:
            return None
        content, files, dirs = 0, 0, 1
        for path in (self.entries if clean == "." else self.under(clean)):
            if self.excluded(path):
                continue
            if path in self.unlisted:
                return None  # a directory whose insides are not known
            if self.entries[path]:
                dirs += 1
            else:
                files += 1
                content += self.sizes.get(path, 0)
        return content, files, dirs

    def count(self, rel: str, kind: str) -> Optional[int]:
        """Requirements in a pip requirements file (``kind`` "requirements"), packages in an npm or yarn lock
        file ("npm-lock", "yarn-lock"); None when not read."""
        clean = self._clean(rel)
        if clean is None or count_kind(clean) != kind:
            return None
        return self.counts.get(clean)
