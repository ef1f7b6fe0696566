"""What COPY and ADD put where, and which paths shell commands name (shared by L006 and L007).

Paths are compared after the build would resolve them: relative to the WORKDIR in force, with the
variables ENV and ARG define. A WORKDIR that cannot be known (the base image's) is kept as an opaque
root, so that two relative paths under it still compare equal. Variables that neither ENV nor ARG
define are kept as ``${NAME}``: both COPY and the shell read them from the base image's environment.
"""
from __future__ import annotations

import bisect
import posixpath
import re
from fnmatch import fnmatchcase

from .._records import dataclass, field
from ..shell import command_words
from ..stages import MAX_VALUE
from ..syntax import GO_SPACE, Instruction, buildkit_words

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Tuple

# Variables the shell sets itself (or the build gives RUN but not COPY): their value is not what COPY sees.
_SHELL_ONLY = frozenset({"HOME", "PWD", "OLDPWD", "USER", "LOGNAME", "HOSTNAME", "SHELL", "UID", "EUID", "PPID",
                         "RANDOM", "IFS", "OPTIND", "LINENO", "SECONDS"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_GLOB_CHARS = "*?["
_GLOB_CHAR = re.compile(r"[*?[]")
_PLAIN_WORD = re.compile(r"[^'\"$`\\]*")
# Local archives ADD unpacks instead of copying (it checks the content; these names are the usual ones).
TAR_NAME = re.compile(r"\.(tar|tgz|tbz2?|txz|tlz|tar\.(gz|bz2|xz|zst|lz4|lzma|Z))\Z", re.I)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_HEREDOC_WORD = re.compile(r"[0-9]*<<-?(.+)\Z")
# A name with a short extension is a file; ``conf.d``-style names are directories.
_FILE_NAME = re.compile(r"[^.].*\.[A-Za-z0-9][A-Za-z0-9_-]{0,7}\Z")


# Names that are, in practice, directories: a COPY of one of them copies a tree.
_DIR_NAMES = frozenset("""
    dist build builds out output bin lib libs lib64 src source app apps public static assets config configs conf etc
    data scripts www html node_modules vendor target site docs doc templates resources plugins modules packages
    files rootfs root usr local opt var home certs ssl web server client frontend backend api pkg cmd internal
    tests test spec migrations locale locales i18n fonts images img css js venv .venv site-packages dist-packages
    jars libexec share include .next .nuxt .output storage tmp cache logs wheels wheelhouse deps release publish
""".split())


def looks_like_dir(name: str) -> bool:
    base = name.rstrip("/").rsplit("/", 1)[-1]
    return base.lower() in _DIR_NAMES


def looks_like_file(name: str) -> bool:
    base = name.rstrip("/").rsplit("/", 1)[-1]
    return bool(_FILE_NAME.match(base)) and not base.endswith(".d")


# Directories where every name is a program: a file, never a directory.
BIN_DIRS = frozenset({"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"})
# Directories every image with a shell has (a COPY --chown into them creates no directory).
STANDARD_DIRS = frozenset({"/", "/bin", "/sbin", "/etc", "/home", "/root", "/tmp", "/usr", "/usr/bin", "/usr/sbin",
                           "/usr/lib", "/usr/share", "/usr/local", "/usr/local/bin", "/usr/local/sbin", "/var"})
# Paths that are directories wherever they exist (the Filesystem Hierarchy Standard's): a COPY of one file
# to one of them puts the file inside.
FHS_DIRS = STANDARD_DIRS | frozenset({
    "/opt", "/srv", "/mnt", "/media", "/run", "/lib", "/lib64", "/usr/lib64", "/usr/include", "/usr/libexec",
    "/usr/local/lib", "/usr/local/share", "/usr/local/include", "/usr/local/etc", "/usr/local/libexec",
    "/usr/src", "/var/lib", "/var/log", "/var/cache", "/var/tmp", "/var/opt", "/var/run", "/var/spool",
    "/var/www", "/etc/default", "/etc/ssl", "/etc/ssl/certs", "/etc/cron.d", "/etc/profile.d",
    "/etc/apt", "/etc/apt/sources.list.d", "/etc/apt/apt.conf.d", "/etc/apt/preferences.d", "/etc/apt/keyrings",
    "/etc/sudoers.d", "/etc/security", "/etc/systemd", "/etc/init.d", "/usr/share/keyrings",
    "/usr/local/share/ca-certificates", "/etc/pki", "/etc/yum.repos.d", "/docker-entrypoint.d",
    "/docker-entrypoint-initdb.d", "/usr/share/nginx/html", "/etc/nginx", "/etc/nginx/conf.d",
})
# A destination named like this is a file: a letter after the dot (``python3.11`` is a directory), not a
# web or mail domain (``/var/www/example.com`` is a directory).
_FILE_DEST = re.compile(r"[^.].*\.[A-Za-z][A-Za-z0-9_-]{0,7}\Z")
_DOMAIN_ENDINGS = frozenset("com org net io dev edu gov info biz local internal lan localhost de uk fr eu app cloud".split())


# Files every system has under these names.
_SYSTEM_FILES = frozenset({"/etc/crontab", "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/hosts", "/etc/hostname",
                           "/etc/sudoers", "/etc/environment", "/etc/timezone", "/etc/localtime", "/etc/resolv.conf",
                           "/etc/fstab", "/etc/inittab", "/etc/shells", "/etc/motd", "/etc/issue", "/etc/profile",
                           "/etc/bashrc", "/etc/bash.bashrc", "/etc/inputrc", "/etc/locale.gen", "/etc/os-release"})


def named_like_directory(path: str) -> bool:
    """``/app``, ``/var/www/html``, ``/var/www/example.com``: a name directories have."""
    return looks_like_dir(path) or path.rsplit(".", 1)[-1].lower() in _DOMAIN_ENDINGS and "/" not in path.rsplit(".", 1)[-1]


def names_a_file(path: str, source: str = "") -> bool:
    """Whether a COPY destination written without a trailing slash is, in practice, never a directory
    that exists already: a program under a PATH directory, a system file, the source's own name, or a
    name with a file extension."""
    if posixpath.dirname(path) in BIN_DIRS or path in _SYSTEM_FILES:
        return True
    if source and source.rsplit("/", 1)[-1] == path.rsplit("/", 1)[-1] and not looks_like_dir(source):
        return True  # ``COPY crontab /etc/cron.d/crontab``: the name given twice is the file's
    base = path.rsplit("/", 1)[-1]
    return (bool(_FILE_DEST.match(base)) and not base.endswith(".d") and base.lower() not in _DIR_NAMES
            and base.rsplit(".", 1)[-1].lower() not in _DOMAIN_ENDINGS)


# ------------------------------------------------------------------------------------------- variables

def expand(text: str, env: Dict[str, str]) -> Optional[str]:
    """``$NAME``/``${NAME}`` replaced by ENV/ARG values; unknown names kept as ``${NAME}``; None for
    forms whose value cannot be told (``${X:-y}``, ``$(...)``, shell-set variables) and for values longer
    than ``MAX_VALUE`` (variables that refer to each other can double at each step)."""
    out: List[str] = []
    size = 0  # characters of values in ``out``
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            out.append(text[i:i + 2] if text[i + 1] != "$" else "$")
            i += 2
            continue
        if c != "$":
            out.append(c)
            i += 1
            continue
        if i + 1 < n and text[i + 1] == "{":
            close = text.find("}", i + 2)
            name = text[i + 2:close] if close > 0 else ""
            if not _NAME.fullmatch(name):
                return None
            i = close + 1
        else:
            m = _NAME.match(text, i + 1)
            if not m:
                return None
            name = m.group()
            i = m.end()
        if name in env:
            value = env[name]
            size += len(value)
            if size > MAX_VALUE:
                return None
            out.append(value)
        elif name in _SHELL_ONLY:
            return None
        else:
            out.append("${" + name + "}")
    return "".join(out)


def env_assignments(ins: Instruction, escape: str) -> List[Tuple[str, Optional[str]]]:
    """(name, raw value) pairs of an ENV or ARG instruction (ARG without a default: value None)."""
    if ins.name == "ARG":
        out = []
        for w in buildkit_words(ins.args, escape):
            name, eq, value = w.partition("=")
            out.append((name, _unquote(value) if eq else None))
        return out
    words = buildkit_words(ins.args, escape)
    if words and "=" not in words[0]:
        m = re.match(f"[^{GO_SPACE}]+[{GO_SPACE}]+", ins.args)
        return [(words[0], ins.args[m.end():] if m else "")]
    return [(name, _unquote(value)) for name, _, value in (w.partition("=") for w in words)]


def _unquote(value: str) -> str:
    if "\\" not in value and "'" not in value and '"' not in value:
        return value
    out = []
    quote = None
    i = 0
    while i < len(value):
        c = value[i]
        if quote is None and c in "\"'":
            quote = c
        elif c == quote:
            quote = None
        elif c == "\\" and quote != "'" and i + 1 < len(value) and value[i + 1] != "$":
            i += 1
            out.append(value[i])
        else:
            out.append(c)
        i += 1
    return "".join(out)


# ------------------------------------------------------------------------------------------- paths

@dataclass
class PathRef:
    """A path as the build would see it: absolute, normalised; ``glob`` when it holds unquoted wildcards."""

    path: str
    glob: bool = False
    trailing_slash: bool = False


def resolve(text: str, workdir: str, env: Dict[str, str], glob: bool = False) -> Optional[PathRef]:
    value = expand(text, env) if "$" in text else text
    if value is None or not value or "\\" in value:
        return None
    slash = value.endswith("/") or value in (".", "..") or value.endswith(("/.", "/.."))
    if not value.startswith("/"):
        value = posixpath.join(workdir, value)
    value = posixpath.normpath(value)
    if value.startswith("//"):
        value = value[1:]
    return PathRef(value, glob, slash)


def shell_word(text: str) -> Optional[Tuple[str, bool]]:
    """The text of a shell word with quotes removed and variables kept as ``$NAME``; and whether it is a
    glob. None for words whose value the shell computes (command substitution, ``~``, arithmetic...)."""
    if text.startswith("~"):
        return None
    if _PLAIN_WORD.fullmatch(text):  # the common case, without the loop below
        return text, _GLOB_CHAR.search(text) is not None
    out: List[str] = []
    glob = False
    quote = None
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if quote == "'":
            if c == "'":
                quote = None
            elif c in "$\\":
                return None  # would read as a variable later; rare enough to give up on
            else:
                out.append(c)
        elif c == "$":
            if text.startswith("${", i):
                close = text.find("}", i)
                if close < 0 or not _NAME.fullmatch(text[i + 2:close]):
                    return None
                out.append(text[i:close + 1])
                i = close + 1
                continue
            m = _NAME.match(text, i + 1)
            if not m:
                return None
            out.append("$" + m.group())
            i = m.end()
            continue
        elif c == "`":
            return None
        elif c == "\\":
            if i + 1 < n:
                i += 1
                if text[i] in "$\\":
                    return None
                out.append(text[i])
        elif c == '"':
            quote = None if quote == '"' else '"'
        elif c == "'" and quote is None:
            quote = "'"
        else:
            if quote is None and c in _GLOB_CHARS:
                glob = True
            elif quote is not None and c in _GLOB_CHARS:
                return None  # a quoted wildcard next to unquoted ones cannot be told apart later
            out.append(c)
        i += 1
    return "".join(out), glob


def is_ancestor(a: str, b: str) -> bool:
    """``a`` is a directory strictly above ``b``."""
    return b != a and b.startswith(a.rstrip("/") + "/")


def glob_matches(pattern: str, path: str, prefix: bool = False) -> bool:
    """Whether the shell glob ``pattern`` names ``path`` (``prefix``: or one of its parent directories).
    Wildcards do not cross ``/`` and do not match a leading dot."""
    pp = pattern.strip("/").split("/")
    parts = path.strip("/").split("/")
    if len(pp) > len(parts) or (len(pp) < len(parts) and not prefix):
        return False
    for pat, part in zip(pp, parts):
        if part.startswith(".") and not pat.startswith("."):
            return False
        if not fnmatchcase(part, pat):
            return False
    return True


# ------------------------------------------------------------------------------------------- copies

@dataclass
class Entry:
    """Something a COPY/ADD puts in place.

    kind ``file``: one file at ``path`` (``certain``: it cannot be a directory); ``tree``: a directory
    whose contents the COPY writes; ``glob``: files matching ``pattern`` written into ``path``.
    ``into_unknown``: ``path`` is a destination written without a trailing slash that may be a directory
    already there (from the base image, say), in which case the file went inside it, not to ``path``.
    """

    kind: str
    path: str
    source: str
    certain: bool = False
    pattern: str = ""
    into_unknown: bool = False


@dataclass
class Copy:
    ins: Instruction
    sources: List[str]  # as written (heredoc sources as their ``<<NAME`` word)
    dest: str
    entries: List[Entry] = field(default_factory=list)
    remote: bool = False  # ADD of a URL or git repository

    @property
    def from_stage(self) -> Optional[str]:
        f = self.ins.flag("from")
        return f.value if f is not None else None


def copy_at(ctx, ins: Instruction, place) -> Optional[Copy]:
    """``parse_copy`` at the instruction's place, parsed once per file for every rule that asks."""
    cache = ctx.memo("parsed_copies")
    key = id(ins)
    if key not in cache:
        index = ctx.graph.stage_index(ins)
        if index is not None:
            _walk(ctx, index)  # parses every COPY/ADD of the stage, knowing the directories made before it
        if key not in cache:
            cache[key] = parse_copy(ins, place.workdir, place.env)
    return cache[key]


def known_directory(ctx, ins: Instruction, path: str) -> bool:
    """Whether ``path`` exists as a directory before ``ins`` runs: a standard one, a WORKDIR, one an
    earlier COPY/ADD wrote into, or one an earlier RUN makes with ``mkdir``/``install -d`` (in this stage
    or a stage it builds on)."""
    if path in STANDARD_DIRS:
        return True
    index = ctx.graph.stage_index(ins)
    if index is None:
        return False
    made, positions = _walk(ctx, index)
    return made.get(path, len(positions) + 1) < positions.get(id(ins), -1)


def _walk(ctx, index: int):
    """The directories known to exist in a stage (path -> position of the instruction after which they
    exist; -1: from the stage it builds on), and the position of each instruction; each COPY/ADD parsed
    on the way with what was known before it."""
    cache = ctx.memo("copies_walk")
    if index in cache:
        return cache[index]
    made: Dict[str, int] = {}
    positions: Dict[int, int] = {}
    cache[index] = (made, positions)  # guards a cycle of stage names
    parent = ctx.graph.bases[index].parent_stage
    if parent is not None and parent != index:
        made.update(dict.fromkeys(_walk(ctx, parent)[0], -1))
    stage = ctx.stages[index]
    places = stage_places(ctx, stage)
    parsed = ctx.memo("parsed_copies")  # shared with copy_at

    def add(path: str, k: int) -> None:
        while path not in made:
            made[path] = k
            if path == "/" or "/" not in path:
                break
            path = posixpath.dirname(path)

    for k, ins in enumerate(stage.instructions):
        positions[id(ins)] = k
        place = places[id(ins)]
        add(place.workdir, k - 1)  # the WORKDIR in force exists
        if ins.name in ("COPY", "ADD"):
            copy = parse_copy(ins, place.workdir, place.env, lambda p, k=k: made.get(p, k) < k)
            parsed[id(ins)] = copy
            for e in copy.entries if copy is not None else ():
                if e.kind != "file":
                    add(e.path, k)
                elif not e.into_unknown:
                    add(posixpath.dirname(e.path), k)
        elif ins.name == "RUN" and ("mkdir" in ins.logical or "install" in ins.logical):
            for path in _made_directories(ctx, ins, place):
                add(path, k)
    return made, positions


def _made_directories(ctx, run: Instruction, place) -> List[str]:
    """The directories a RUN makes with ``mkdir`` or ``install -d`` (paths it cannot resolve left out)."""
    script = ctx.script(run)
    if script is None or script.has_error:
        return []
    out: List[str] = []
    moved = False
    for cmd in script.commands:
        words = command_words(cmd)
        name = words[0].value if words else None
        if name in ("cd", "pushd"):
            moved = True
            continue
        if name == "mkdir":
            with_value = ("-m", "--mode", "-Z", "--context")
        elif name == "install" and any(w.value in ("-d", "--directory") for w in words[1:]):
            with_value = ("-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S")
        else:
            continue
        skip = False
        for w in words[1:]:
            v = w.value
            if skip:
                skip = False
                continue
            if v is not None and v.startswith("-") and len(v) > 1:
                skip = v in with_value
                continue
            parsed = shell_word(w.text)
            if parsed is None or parsed[1] or (moved and not parsed[0].startswith(("/", "$"))):
                continue
            text = parsed[0]
            if "{" in text:  # brace expansion: the directory above the first brace is made too
                text = posixpath.dirname(text.split("{", 1)[0] + "x")
                if not text:
                    continue
            ref = resolve(text, place.workdir, place.env)
            if ref is not None:
                out.append(ref.path)
    return out


def destination(ins: Instruction, workdir: str, env: Dict[str, str], words=None) -> Optional[PathRef]:
    """Where a COPY/ADD writes (every entry of ``parse_copy`` is at or below it); None when unknown."""
    if words is None:
        words = ins.words()
    if len(words) < 2:
        return None
    dest = words[-1]
    if _HEREDOC_WORD.match(dest):
        return None
    if ins.json is None:
        parsed = shell_word(dest)
        if parsed is None or parsed[1]:
            return None
        dest = parsed[0]
    return resolve(dest, workdir, env)


def parse_copy(ins: Instruction, workdir: str, env: Dict[str, str], is_dir=None) -> Optional[Copy]:
    """The sources, destination and entries of a COPY/ADD; None when they cannot be told.

    ``is_dir(path)``: whether the path is known to be a directory where it exists before the COPY (a
    WORKDIR, a directory made earlier): a single file copied to it without a trailing slash goes inside."""
    if ins.flag("parents") is not None:
        return None  # keeps source directories: paths are not source basenames
    words = ins.words()
    target = destination(ins, workdir, env, words)
    if target is None:
        return None
    heredocs = {h.name for h in ins.heredocs}
    sources, dest = words[:-1], words[-1]
    into_dir = (target.trailing_slash or len(sources) > 1 or target.path in FHS_DIRS
                or (is_dir is not None and is_dir(target.path)))
    # where a single name without a trailing slash lands when no directory is known to be there
    unknown = not into_dir and not names_a_file(target.path, sources[0].strip("\"'").rstrip("/") if sources else "")
    in_bin = (target.path if into_dir else posixpath.dirname(target.path)) in BIN_DIRS
    copy = Copy(ins, sources, dest)
    for src in sources:
        m = _HEREDOC_WORD.match(src) if ins.json is None else None
        if m and ins.heredocs:
            name = m.group(1).strip("\"'")
            if name not in heredocs:
                return None
            path = posixpath.join(target.path, name) if into_dir else target.path
            copy.entries.append(Entry("file", path, src, certain=True, into_unknown=unknown))
            continue
        parsed = shell_word(src) if ins.json is None else (src, any(c in src for c in _GLOB_CHARS))
        if parsed is None:
            return None
        value, glob = parsed
        value = expand(value, env) if "$" in value else value
        if value is None:
            return None
        if ins.name == "ADD" and "${" in value:
            return None  # may be a URL or an archive: what it puts in place is unknown
        if _URL.match(value) or value.startswith("git@"):
            copy.remote = True
            if ins.name != "ADD" or value.endswith(".git") or value.startswith("git@"):
                return None  # a repository: a tree of unknown files
            base = value.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            if into_dir and not base:
                return None
            copy.entries.append(Entry("file", posixpath.join(target.path, base) if into_dir else target.path,
                                      src, certain=True, into_unknown=unknown))
            continue
        base = value.rstrip("/").rsplit("/", 1)[-1]
        if ins.name == "ADD" and TAR_NAME.search(value) and copy.from_stage is None:
            copy.entries.append(Entry("tree", target.path, src))  # unpacked into the destination
        elif glob:
            if into_dir:
                copy.entries.append(Entry("glob", target.path, src, pattern=base))
            else:
                copy.entries.append(Entry("tree", target.path, src))
        elif value.endswith("/") or base in ("", ".", "..") or (looks_like_dir(base) and not in_bin):
            # (a name copied into a PATH directory is a program, whatever it is called)
            copy.entries.append(Entry("tree", target.path, src))
        elif into_dir:
            # A directory source would put its contents into the destination, not a ``base`` entry:
            # a path ``dest/base`` copied from it is the file itself.
            copy.entries.append(Entry("file", posixpath.join(target.path, base), src, certain=True))
            if not looks_like_file(base):
                copy.entries.append(Entry("tree", target.path, src))
        else:
            certain = looks_like_file(base)
            copy.entries.append(Entry("file", target.path, src, certain=certain, into_unknown=unknown))
            if not certain:
                copy.entries.append(Entry("tree", target.path, src))
    return copy


# ------------------------------------------------------------------------------------------- stage walk

class Place:
    """The WORKDIR and the ENV/ARG values in force at an instruction."""

    __slots__ = ("workdir", "env")

    def __init__(self, workdir: str, env: "EnvAt"):
        self.workdir = workdir
        self.env = env


_UNSET = object()


class _History:
    """Every value each variable takes during a stage walk, by step: one record per assignment, so a long
    stage costs memory linear in its ENV/ARG lines (a copy of the variables per instruction is quadratic)."""

    __slots__ = ("steps", "values")

    def __init__(self):
        self.steps: Dict[str, List[int]] = {}
        self.values: Dict[str, list] = {}

    def record(self, step: int, name: str, value) -> None:
        steps = self.steps.get(name)
        if steps is None:
            self.steps[name] = [step]
            self.values[name] = [value]
        elif steps[-1] == step:
            self.values[name][-1] = value
        else:
            steps.append(step)
            self.values[name].append(value)


class EnvAt:
    """The variables as they were at one step of a stage walk (read-only, like a dict)."""

    __slots__ = ("_history", "_step")

    def __init__(self, history: _History, step: int):
        self._history = history
        self._step = step

    def get(self, name: str, default=None):
        steps = self._history.steps.get(name)
        if steps is None:
            return default
        i = bisect.bisect_right(steps, self._step) - 1
        if i < 0:
            return default
        value = self._history.values[name][i]
        return default if value is _UNSET else value

    def __contains__(self, name: str) -> bool:
        return self.get(name, _UNSET) is not _UNSET

    def __getitem__(self, name: str) -> str:
        value = self.get(name, _UNSET)
        if value is _UNSET:
            raise KeyError(name)
        return value


def stage_places(ctx, stage) -> Dict[int, Place]:
    """For each instruction of ``stage`` (by id), the WORKDIR and variables in force before it runs."""
    cache = getattr(ctx, "_copies_places", None)
    if cache is None:
        cache = ctx._copies_places = {}
    if stage.index in cache:
        return cache[stage.index][0]
    cache[stage.index] = ({}, f"/\x00workdir{stage.index}", {})  # guards a cycle of stage names
    parent = ctx.graph.bases[stage.index].parent_stage
    if parent is not None and parent != stage.index:
        stage_places(ctx, ctx.stages[parent])
        _, workdir, env = cache[parent]
        env = dict(env)
        for name, value in list(env.items()):
            if name.startswith("\x00arg:"):
                del env[name]  # ARGs end with their stage
                env.pop(name[5:], None)
    else:
        workdir, env = f"/\x00workdir{stage.index}", {}
    history = _History()
    for name, value in env.items():
        history.record(-1, name, value)

    def assign(step: int, name: str, value) -> None:
        if value is _UNSET:
            if env.pop(name, _UNSET) is not _UNSET:
                history.record(step, name, _UNSET)
        else:
            env[name] = value
            history.record(step, name, value)

    places: Dict[int, Place] = {}
    escape = ctx.doc.escape
    step = 0  # counts the ENV/ARG instructions walked: the variables change only there
    place = Place(workdir, EnvAt(history, step))
    for ins in stage.instructions:
        if place.workdir != workdir or place.env._step != step:
            place = Place(workdir, EnvAt(history, step))
        places[id(ins)] = place  # shared by the instructions between two changes
        if ins.name == "WORKDIR":
            value = expand(ins.args.strip().strip("\"'"), env) if "$" in ins.args else ins.args.strip().strip("\"'")
            if value is None:
                workdir = f"/\x00workdir{stage.index}:{ins.line}"
            elif value:
                workdir = posixpath.normpath(posixpath.join(workdir, value))
        elif ins.name in ("ENV", "ARG"):
            step += 1  # changes made here are recorded at the next step: not in force before it runs
            for name, raw in env_assignments(ins, escape):
                if not _NAME.fullmatch(name):
                    continue
                value = None if raw is None else (expand(raw, env) if "$" in raw else raw)
                if ins.name == "ARG" and raw is None:
                    raw = ctx.graph.args.get(name)  # the default declared before the first FROM
                    if raw is None:
                        assign(step, name, _UNSET)  # set by --build-arg or not at all: kept as ${NAME}
                        env["\x00arg:" + name] = ""
                        continue
                    value = raw
                assign(step, name, _UNSET if value is None or "${" in value else value)
                if ins.name == "ARG":
                    env["\x00arg:" + name] = ""
                else:
                    env.pop("\x00arg:" + name, None)
    cache[stage.index] = (places, workdir, env)
    return places


def display(path: str) -> str:
    """A path for messages: one under a WORKDIR that is not known is shown relative to it."""
    if path.startswith("/\x00workdir"):
        rest = path.split("/", 2)[2:]
        return rest[0] if rest else "."
    return path


# --- what RUNs delete and unpack (shared by the rules about copied files) ---

def removals(ctx, run, place) -> List[Tuple[PathRef, bool]]:
    """What a RUN deletes with ``rm`` (following ``cd``): (path, recursive) in the order of the script."""
    return [(ref, recursive) for ref, recursive, kind in path_uses(ctx, run, place) if kind == "rm"]


def extractions(ctx, run, place) -> List[PathRef]:
    """The paths a RUN hands to ``tar -x`` or ``unzip`` (the archives it unpacks, and where)."""
    return [ref for ref, _, kind in path_uses(ctx, run, place) if kind == "unpack"]


def _unpacks(values) -> bool:
    name = values[0].rsplit("/", 1)[-1]
    if name == "unzip":
        return not any(v in ("-l", "-t", "-v", "-Z") for v in values[1:])
    first = values[1] if len(values) > 1 else None
    return any(v == "--extract" or v == "--get" or (not v.startswith("--") and v.startswith("-") and "x" in v)
               for v in values[1:] if v) or bool(first and not first.startswith("-") and "x" in first
                                                  and first.isalpha())


def path_uses(ctx, run, place) -> List[Tuple[PathRef, bool, str]]:
    """(path, recursive, kind) for what a RUN deletes with ``rm`` (kind ``rm``) and the words it gives
    ``tar -x``/``unzip`` (kind ``unpack``), following ``cd``, in the order of the script."""
    cache = ctx.memo("path_uses")
    if id(run) not in cache:
        cache[id(run)] = _find_path_uses(ctx, run, place)
    return cache[id(run)]


def _find_path_uses(ctx, run, place) -> List[Tuple[PathRef, bool, str]]:
    script = ctx.script(run)
    if script is None or script.has_error or not ("rm" in script.text or "tar" in script.text
                                                  or "unzip" in script.text):
        return []
    cwd: Optional[str] = place.workdir
    cwd_until: Optional[int] = None  # the end of the scope the last cd ran in (None: the whole script)
    out: List[Tuple[PathRef, bool, str]] = []
    for cmd in script.commands:
        words = command_words(cmd)
        if not words:
            continue
        name = words[0].value
        if name not in ("cd", "pushd", "popd", "rm", "tar", "bsdtar", "unzip"):
            continue
        here = cwd if cwd_until is None or cmd.start < cwd_until else None
        if name in ("cd", "pushd", "popd"):
            args = [w for w in words[1:] if not (w.value or "").startswith("-")]
            new = None
            if name == "cd" and args:
                parsed = shell_word(args[0].text)
                if parsed is not None and not parsed[1] and (here is not None or parsed[0].startswith("/")):
                    ref = resolve(parsed[0], here or "/", place.env)
                    new = ref.path if ref is not None else None
            cwd, cwd_until = new, cmd.scope_end
            continue
        if cmd.background:
            continue
        if name != "rm":
            if not _unpacks([w.value or "" for w in words]):
                continue
            for w in words[1:]:
                if (w.value or "-").startswith("-"):
                    continue
                parsed = shell_word(w.text)
                if parsed is None or parsed[1] or (not parsed[0].startswith(("/", "$")) and here is None):
                    continue
                ref = resolve(parsed[0], here or "/", place.env)
                if ref is not None:
                    out.append((ref, False, "unpack"))
            continue
        recursive = False
        targets = []
        options_done = False
        for w in words[1:]:
            v = w.value
            if not options_done and v is not None and v.startswith("-") and len(v) > 1:
                if v == "--":
                    options_done = True
                elif v == "--recursive" or (not v.startswith("--") and ("r" in v or "R" in v)):
                    recursive = True
                continue
            targets.append(w)
        for w in targets:
            parsed = shell_word(w.text)
            if parsed is None:
                continue
            text, glob = parsed
            if not text.startswith(("/", "$")) and here is None:
                continue
            ref = resolve(text, here or "/", place.env, glob=glob)
            if ref is not None:
                out.append((ref, recursive, "rm"))
    return out
