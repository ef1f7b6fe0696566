"""Where package managers leave caches, and which commands, mounts and settings clean or avoid them: the
knowledge of cleanups (``cleanup_of``, ``cleans``, ``emptied_paths``, ``mount_covers``).

Paths and commands come from ``data/package_managers.json``; this module only matches commands against them.
"""
from __future__ import annotations

import posixpath
from functools import lru_cache

from ._dataclass import dataclass
from .packages import PackageCall, catalogue, classify
from .shell import Command
from .syntax import Instruction

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

HOME = "/root"
TEMP_DIRS = ("/tmp", "/var/tmp")


def normalize(path: str) -> str:
    """Absolute form of a removal target: ``~``/``$HOME`` as /root, trailing ``/*`` and ``/`` dropped."""
    for prefix in ("~/", "$HOME/", "${HOME}/"):
        if path.startswith(prefix):
            path = HOME + "/" + path[len(prefix):]
    if path in ("~", "$HOME", "${HOME}"):
        path = HOME
    while path.endswith("/*") or path.endswith("/.*") or (path.endswith("/") and len(path) > 1):
        path = path[:-2] if path.endswith("/*") else path[:-3] if path.endswith("/.*") else path[:-1]
    return posixpath.normpath(path) if path.startswith("/") else path


def covers(outer: str, inner: str) -> bool:
    return inner == outer or inner.startswith(outer.rstrip("/") + "/")


@lru_cache(maxsize=1)
def _cache_dirs() -> Tuple[Tuple[str, str], ...]:
    """(manager, absolute cache path) for every manager's cache paths."""
    return tuple((m.name, c) for m in catalogue().values() for c in map(normalize, m.cache_paths)
                 if c.startswith("/"))


@lru_cache(maxsize=4096)
def managers_of_path(path: str) -> FrozenSet[str]:
    """Managers whose caches a removal of ``path`` deletes (a cache dir inside it or it inside one)."""
    p = normalize(path)
    return frozenset(name for name, c in _cache_dirs() if covers(p, c) or covers(c, p))


@dataclass
class Cleanup:
    """A command that only removes files: what it removes, and which managers' caches."""

    command: Command
    paths: List[str]  # normalized removal targets ([] for a manager's own clean command)
    managers: Set[str]
    temp: bool = False  # removes files under /tmp or /var/tmp


def cleanup_of(cmd: Command) -> Optional[Cleanup]:
    """The cleanup a command performs, or None if it is not a pure cleanup command."""
    return cmd.cached(_cleanup_of)


def _cleanup_of(cmd: Command) -> Optional[Cleanup]:
    values = cmd.values()
    if not values or values[0] is None:
        return None
    name = values[0].rsplit("/", 1)[-1]
    if name == "rm":
        paths = [v for v in values[1:] if v is not None and not v.startswith("-")]
        if any(v is None for v in values[1:]) or not paths:
            # `rm -rf $DIR/*`: a path we cannot read
            words = [w.text for w in cmd.words[1:] if not w.text.startswith("-")]
            paths = [w for w in words]
            if not paths:
                return None
        managers: Set[str] = set()
        temp = False
        for p in paths:
            managers |= managers_of_path(p)
            n = normalize(p)
            if any(covers(t, n) for t in TEMP_DIRS):
                temp = True
        return Cleanup(cmd, [normalize(p) for p in paths], managers, temp)
    call = classify(cmd)
    if call is not None and _is_clean_call(call):
        return Cleanup(cmd, [], {call.manager})
    return None


def _is_clean_call(call: PackageCall) -> bool:
    sub = call.subcommand
    if call.kind == "clean":
        if call.manager == "pip":
            return sub == "cache" and bool(call.packages) and call.packages[0] in ("purge", "remove")
        if call.manager in ("npm", "yarn", "pnpm"):
            return bool(call.packages) and call.packages[0] in ("clean", "prune", "rm")
        if call.manager == "apk":
            return bool(call.packages) and call.packages[0] in ("clean", "purge")
        return True
    return False


def cache_mounts(ins: Instruction) -> List[str]:
    """Targets of ``--mount=type=cache`` and ``type=tmpfs`` on a RUN (their contents never reach the layer)."""
    out = []
    for f in ins.flags:
        if f.name != "mount" or not f.value:
            continue
        fields: Dict[str, str] = {}
        for part in f.value.split(","):
            k, _, v = part.partition("=")
            fields[k.strip().lower()] = v.strip()
        if fields.get("type") in ("cache", "tmpfs"):
            target = fields.get("target") or fields.get("dst") or fields.get("destination")
            if target:
                out.append(normalize(target))
    return out


def mount_covers(ins: Instruction, paths: Iterable[str]) -> bool:
    mounts = cache_mounts(ins)
    return any(covers(m, normalize(p)) for m in mounts for p in paths)


@lru_cache(maxsize=1)
def _waste_data() -> dict:
    from .data import load_json

    return load_json("layer_waste.json")


def emptied_paths(c: Cleanup) -> List[str]:
    """Absolute paths a cleanup empties: its ``rm`` targets, or what a manager's own clean command empties
    (``apt-get clean`` empties /var/cache/apt, not the lists in /var/lib/apt/lists)."""
    if c.paths:
        return c.paths
    call = classify(c.command)
    table = _waste_data()["clean_commands"]
    out: List[str] = []
    for m in sorted(c.managers):
        listed = table.get(m, {})
        sub = call.subcommand if call is not None else None
        if isinstance(listed, dict) and sub in listed:
            out.extend(normalize(p) for p in listed[sub])
        else:
            out.extend(p for p in map(normalize, catalogue()[m].cache_paths) if p.startswith("/"))
    return out


def cleans(c: Cleanup, paths: Iterable[str]) -> bool:
    """Whether the cleanup empties every one of ``paths`` (or a directory above it)."""
    emptied = emptied_paths(c)
    return all(any(covers(e, normalize(p)) for e in emptied) for p in paths)


def rough_size(kind: str) -> str:
    """How big a kind of leftover roughly is (a manager name, ``download``, ``clone``, ``tree``)."""
    return _waste_data()["sizes"].get(kind, "")


# ------------------------------------------------------------------------------ cache mounts (strategy "mount")

@lru_cache(maxsize=1)
def _mount_data() -> dict:
    from .data import load_json

    return load_json("package_managers.json")["cache_mounts"]["managers"]


class MountUnknown(Exception):
    """Where the cache is cannot be told (a variable moving it is not known, the HOME of the user is not)."""


def mount_targets(manager: str, tool: str, home: Optional[str], root: bool, env) -> Optional[List[Tuple[str, Optional[str]]]]:
    """(target, sharing mode or None) of the cache mounts that keep ``manager``'s cache (called as ``tool``) out
    of a RUN's layer, as ``data/package_managers.json`` (``cache_mounts``) places it: ``~`` is ``home`` (the
    HOME of the user in force; None: not known), ``root`` whether that user is root, ``env(name)`` the value
    of an environment variable in force (None: not set; ``MountUnknown`` raised: set to something not known).
    None when the data has no location for the manager; ``MountUnknown`` when the location cannot be told."""
    spec = _mount_data().get(manager)
    if spec is None:
        return None
    targets = list(spec.get("tools", {}).get(tool) or (spec["targets"] if root or "targets_not_root" not in spec
                                                       else spec["targets_not_root"]))
    out = []
    for t in targets:
        moved = spec.get("env_each", {}).get(t, spec.get("env", []) if len(targets) == 1 else [])
        path = None
        for name, suffix in moved:
            value = env(name)
            if value is not None:
                if not value.startswith("/"):
                    raise MountUnknown(f"{name} is not an absolute path")
                path = posixpath.normpath(value.rstrip("/") + suffix) if value.strip("/") else suffix or "/"
                break
        if path is None:
            if t.startswith("~"):
                if home is None:
                    raise MountUnknown("the HOME of the user in force is not known")
                path = posixpath.normpath(home.rstrip("/") + t[1:])
            else:
                path = t
        if any(c in path for c in ",$\"' \t\n\\"):
            raise MountUnknown(f"the cache path {path} cannot be written in a mount option")
        out.append((path, spec.get("sharing")))
    return out
