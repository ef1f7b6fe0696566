"""What the RUNs of a stage leave that is big (package lists and caches, downloaded archives, git clones,
unpacked trees), followed instruction by instruction, and which later RUN deletes it.

A deletion in a later layer saves nothing: the bytes stay in the layer that made them. Deleting what is not
followed here (a config file, a pid file, a directory WORKDIR made, files of the base image) is not taken
as waste: it is usually the point of the deletion, and it saves nothing either way.
"""
from __future__ import annotations

import posixpath
import re
from fnmatch import fnmatchcase

from .._dataclass import dataclass, field
from .._regex import lazy_compile
from ..cleanups import covers, cache_mounts, cleanup_of, emptied_paths, normalize, rough_size
from ..packages import catalogue
from ._facts import avoids_cache, makes_cache, words_before

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Tuple

    from ..shell import Command
    from ..syntax import Instruction

# Names of downloaded archives and packages (a suffix test: a pattern starting with ``.*`` searched over a
# long word takes time quadratic in its length).
_ARCHIVE_SUFFIXES = tuple("." + s for s in (
    "tar", "tgz", "tbz", "tbz2", "txz", "tzst", "zip", "deb", "rpm", "jar", "war", "ear", "whl", "gz", "xz", "bz2",
    "zst", "7z", "run", "bin", "appimage", "iso", "msi", "apk", "dmg", "nupkg", "gem"))


def _is_archive_name(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(_ARCHIVE_SUFFIXES):
        return True
    stem, dot, ext = lower.rpartition(".")
    return bool(dot) and stem.endswith(".tar") and ext.isascii() and ext.isalnum()  # name.tar.<compression>
_STEM = lazy_compile(r"\.(tar\.[A-Za-z0-9]+|tgz|tbz2?|txz|tzst|zip)\Z", re.I)
# Directories an archive is commonly unpacked into whole: deleting something under them later is not taken as
# deleting the unpacked tree (it may be a config file of the system).
_SHALLOW = {"/", "/usr", "/usr/local", "/opt", "/etc", "/var", "/srv", "/home", "/root", "/tmp", "/var/tmp",
            "/bin", "/sbin", "/lib", "/lib64", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/share", "/usr/local/bin",
            "/usr/local/lib", "/usr/local/share", "/usr/src", "/app", "/src", "/workspace", "/data"}
_GLOB = set("*?[")
_SKIP_CONTEXT = frozenset({"condition", "negated", "function", "argument", "substitution", "background"})
_WGET_VALUE = {"-o", "-a", "-e", "-t", "-T", "-U", "-i", "-B", "--header", "--user", "--password", "--tries",
               "--timeout", "--user-agent", "--output-file", "--append-output", "--execute", "--input-file"}
_GIT_VALUE = {"-b", "--branch", "--depth", "-o", "--origin", "-c", "--config", "--reference", "--separate-git-dir",
              "-j", "--jobs", "--filter", "--shallow-since", "--shallow-exclude", "-u", "--upload-pack",
              "--template", "--recurse-submodules-default"}


@dataclass
class Made:
    """Something big a layer made: what it is, where it is, and the instructions that wrote it."""

    kind: str  # a manager name (its cache or lists), "download", "clone" or "tree"
    paths: Tuple[str, ...]  # where it is (a removal of any of them deletes it); relative to an unknown
    # directory when they start with "?"
    label: str
    creators: List[Instruction] = field(default_factory=list)
    command: Optional[Command] = None  # the command of the last creator that made it

    @property
    def is_cache(self) -> bool:
        return self.kind not in ("download", "clone", "tree")

    def describe(self) -> str:
        size = rough_size(self.kind)
        if not size:
            return self.label
        return f"{self.label[:-1]}, {size})" if self.label.endswith(")") else f"{self.label} ({size})"


@dataclass
class Deletion:
    run: Instruction
    command: Command
    made: Made
    whole: bool  # deletes all of it (not only a part of a tree)


class StageMade:
    """``deletions[id(run)]``: what each RUN of the stage deletes that an earlier instruction of the stage
    made big; ``left[id(run)]``: what each RUN made that it did not delete itself."""

    def __init__(self, ctx, stage):
        self.deletions: Dict[int, List[Deletion]] = {}
        self.left: Dict[int, List[Made]] = {}
        live: Dict[Tuple[str, Tuple[str, ...]], Made] = {}
        unknown = [0]

        def fresh() -> str:
            unknown[0] += 1
            return f"?{unknown[0]}"

        cwd = fresh()
        for ins in stage.instructions:
            if ins.name == "WORKDIR":
                target = ins.args.strip()
                cwd = _join(cwd, target) if target and "$" not in target else fresh()
                continue
            if ins.name != "RUN":
                continue
            script = ctx.script(ins)
            if script is None or not script.commands:
                continue
            calls = {id(c.command): c for c in ctx.calls(ins)}
            mounts = cache_mounts(ins)
            env = None
            here = cwd
            scoped: List[Tuple[int, str]] = []
            made_here: List[Made] = []
            for cmd in script.commands:
                while scoped and cmd.start >= scoped[-1][0]:
                    here = scoped.pop()[1]
                if cmd.name == "cd":
                    vals = cmd.values()
                    new = _join(here, vals[1]) if len(vals) == 2 and vals[1] and "$" not in vals[1] else fresh()
                    if cmd.scope_end is None:
                        here = new
                    else:
                        scoped.append((cmd.scope_end, here))
                        here = new
                    continue
                if not _SKIP_CONTEXT.isdisjoint(cmd.context):
                    continue
                cl = cleanup_of(cmd)
                if cl is not None:
                    self._remove(ins, cmd, cl, here, live, made_here)
                    continue
                call = calls.get(id(cmd))
                new_made: List[Made] = []
                if call is not None:
                    if env is None:
                        env = words_before(ctx, stage, ins)
                    m = _cache_made(call, env, mounts, makes_cache, avoids_cache)
                    if m is not None:
                        new_made.append(m)
                else:
                    new_made.extend(_files_made(cmd, here))
                for m in new_made:
                    key = (m.kind, m.paths)
                    old = live.get(key)
                    if old is not None:
                        m.creators = [c for c in old.creators if c is not ins]
                    m.creators.append(ins)
                    m.command = cmd
                    live[key] = m
                    if m not in made_here:
                        made_here.append(m)
            self.left[id(ins)] = [m for m in made_here if live.get((m.kind, m.paths)) is m]

    def _remove(self, run, cmd, cl, here: str, live, made_here) -> None:
        targets = emptied_paths(cl)
        resolved = []
        for t in targets:
            if "$" in t or "`" in t:
                continue
            resolved.append(_join(here, t))
        for key, m in list(live.items()):
            whole = part = False
            for r in resolved:
                glob = bool(_GLOB & set(r))
                for p in m.paths:
                    if (glob and fnmatchcase(p, r)) or (not glob and covers(r, p)):
                        whole = True
                    elif not glob and m.kind == "clone" and covers(p, r):
                        part = True
            if not (whole or part):
                continue
            if m.creators and m.creators[-1] is run:
                if whole:
                    del live[key]
                continue
            self.deletions.setdefault(id(run), []).append(Deletion(run, cmd, m, whole))
            if whole:
                del live[key]


def _join(cwd: str, path: str) -> str:
    path = normalize(path)
    if path.startswith("/"):
        return path
    return posixpath.normpath(cwd + "/" + path)


def _cache_made(call, env, mounts, makes_cache, avoids_cache) -> Optional[Made]:
    kind = call.kind
    if kind not in ("install", "update", "upgrade"):
        return None
    spec = catalogue()[call.manager]
    if call.manager == "apt":
        # apt-get install leaves its downloads in /var/cache/apt/archives only where no docker-clean hook
        # empties them (Debian's and Ubuntu's official images have one): only the lists are taken as left.
        if kind != "update":
            return None
        paths = tuple(normalize(p) for p in spec.list_paths)
        label = "the apt package lists (/var/lib/apt/lists)"
    else:
        if not makes_cache(call) or avoids_cache(call, env):
            return None
        paths = tuple(dict.fromkeys(p for p in map(normalize, spec.cache_paths) if p.startswith("/")))
        if not paths:
            return None
        label = f"the {call.tool} cache ({paths[0]})"
    if any(covers(m, p) for m in mounts for p in paths):
        return None
    return Made(call.manager, paths, label)


def _files_made(cmd, here: str) -> List[Made]:
    name = (cmd.name or "").rsplit("/", 1)[-1]
    vals = cmd.values()
    if name == "wget":
        return _wget(vals, here)
    if name == "curl":
        return _curl(vals, here)
    if name == "git" and len(vals) > 2 and vals[1] == "clone":
        return _clone(vals[2:], here)
    if name == "tar":
        return _tar(vals, here)
    if name == "unzip":
        return _unzip(vals, here)
    return []


def _download(path: str) -> List[Made]:
    if not _is_archive_name(posixpath.basename(path)):
        return []
    return [Made("download", (path,), f"the downloaded {posixpath.basename(path)}")]


def _url_name(url: str) -> str:
    return url.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def _wget(vals, here: str) -> List[Made]:
    out_file = prefix = None
    urls = []
    i = 1
    while i < len(vals):
        w = vals[i]
        if w is None:
            i += 1
            continue
        if w in ("-O", "--output-document"):
            out_file = vals[i + 1] if i + 1 < len(vals) else None
            i += 2
            continue
        if w.startswith("--output-document="):
            out_file = w.split("=", 1)[1]
        elif w in ("-P", "--directory-prefix"):
            prefix = vals[i + 1] if i + 1 < len(vals) else None
            i += 2
            continue
        elif w.startswith("--directory-prefix="):
            prefix = w.split("=", 1)[1]
        elif w.startswith("-") and not w.startswith("--") and "O" in w:
            rest = w[w.index("O") + 1:]
            out_file = rest if rest else (vals[i + 1] if i + 1 < len(vals) else None)
            i += 1 if rest else 2
            continue
        elif w in _WGET_VALUE:
            i += 2
            continue
        elif "://" in w:
            urls.append(w)
        i += 1
    if out_file is not None:
        if out_file in ("-", "/dev/null") or "$" in out_file:
            return []
        return _download(_join(here, out_file))
    base = _join(here, prefix) if prefix and "$" not in prefix else here
    return [m for u in urls for m in _download(_join(base, _url_name(u))) if _url_name(u)]


def _curl(vals, here: str) -> List[Made]:
    outs: List[Optional[str]] = []
    remote = 0
    out_dir = None
    urls = []
    i = 1
    while i < len(vals):
        w = vals[i]
        if w is None:
            i += 1
            continue
        nxt = vals[i + 1] if i + 1 < len(vals) else None
        if w in ("-o", "--output"):
            outs.append(nxt)
            i += 2
            continue
        if w in ("-O", "--remote-name", "--remote-name-all"):
            remote += 1
        elif w == "--output-dir":
            out_dir = nxt
            i += 2
            continue
        elif w.startswith("-") and not w.startswith("--") and len(w) > 2:
            if "o" in w:
                rest = w[w.index("o") + 1:]
                outs.append(rest if rest else nxt)
                i += 1 if rest else 2
                continue
            if "O" in w:
                remote += 1
        elif "://" in w:
            urls.append(w)
        i += 1
    base = _join(here, out_dir) if out_dir and "$" not in out_dir else here
    found: List[Made] = []
    for o in outs:
        if o is None or o in ("-", "/dev/null") or "$" in o:
            continue
        found.extend(_download(_join(base, o)))
    if remote:
        for u in urls[:remote] if not outs else []:
            if _url_name(u):
                found.extend(_download(_join(base, _url_name(u))))
    return found


def _clone(args, here: str) -> List[Made]:
    pos = []
    i = 0
    while i < len(args):
        w = args[i]
        if w is None:
            return []
        if w in _GIT_VALUE:
            i += 2
            continue
        if not w.startswith("-"):
            pos.append(w)
        i += 1
    if not pos:
        return []
    target = pos[1] if len(pos) > 1 else re.sub(r"\.git\Z", "", _url_name(pos[0]))
    if not target or "$" in target:
        return []
    path = _join(here, target)
    if path in _SHALLOW:
        return []
    return [Made("clone", (path,), f"the git clone {target}")]


def _tree(path: str, what: str) -> List[Made]:
    if path in _SHALLOW or path.startswith("?") and path.count("/") == 0:
        return []
    return [Made("tree", (path,), what)]


def _tar(vals, here: str) -> List[Made]:
    words = [v for v in vals[1:]]
    if any(w is None for w in words) or not words:
        return []
    extract = False
    archive = directory = None
    i = 0
    while i < len(words):
        w = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else None
        if w in ("--extract", "--get"):
            extract = True
        elif w in ("-C", "--directory"):
            directory = nxt
            i += 2
            continue
        elif w.startswith("--directory="):
            directory = w.split("=", 1)[1]
        elif w in ("-f", "--file"):
            archive = nxt
            i += 2
            continue
        elif w.startswith("--file="):
            archive = w.split("=", 1)[1]
        elif (i == 0 and not w.startswith("-")) or (w.startswith("-") and not w.startswith("--")):
            letters = w.lstrip("-")
            if i == 0 and not w.startswith("-") and not re.fullmatch(r"[A-Za-z]+", letters):
                i += 1
                continue
            if "x" in letters:
                extract = True
            if "f" in letters:
                archive = nxt
                i += 2
                continue
            if "C" in letters:
                directory = nxt
                i += 2
                continue
        i += 1
    if not extract:
        return []
    if directory is not None:
        return _tree(_join(here, directory), f"the tree unpacked into {directory}")
    if archive and _STEM.search(archive) and "$" not in archive:
        stem = _STEM.sub("", posixpath.basename(archive))
        return _tree(_join(here, stem), f"the tree unpacked from {posixpath.basename(archive)}")
    return []


def _unzip(vals, here: str) -> List[Made]:
    words = vals[1:]
    if any(w is None for w in words):
        return []
    archive = directory = None
    i = 0
    while i < len(words):
        w = words[i]
        if w == "-d":
            directory = words[i + 1] if i + 1 < len(words) else None
            i += 2
            continue
        if not w.startswith("-") and archive is None:
            archive = w
        i += 1
    if directory is not None:
        return _tree(_join(here, directory), f"the tree unzipped into {directory}")
    if archive and archive.lower().endswith(".zip"):
        stem = posixpath.basename(archive)[:-4]
        return _tree(_join(here, stem), f"the tree unzipped from {posixpath.basename(archive)}")
    return []


def stage_made(ctx, stage) -> StageMade:
    """One walk per stage, shared by the rules that ask."""
    cache = ctx.memo("stage_made")
    if stage.index not in cache:
        cache[stage.index] = StageMade(ctx, stage)
    return cache[stage.index]
