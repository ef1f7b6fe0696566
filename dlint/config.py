"""Configuration from ``[tool.dlint]`` in pyproject.toml or from .dlint.toml."""
from __future__ import annotations

import fnmatch
import os
import sys

from ._dataclass import dataclass, field
from .diagnostics import SEVERITIES

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional

# Keys of dlint itself; each rule adds its own options (``Rule.options``), e.g. ``allowed-bases``.
CORE_KEYS = {
    "select", "extend-select", "ignore", "per-file-ignores", "severity", "failure-threshold",
    "target", "build-args", "context",
}


def known_keys() -> set:
    from . import rules

    return CORE_KEYS | set(rules.option_defaults())


class ConfigError(ValueError):
    pass


@dataclass
class Config:
    path: Optional[str] = None  # the file it came from
    root: Optional[str] = None  # its directory, for per-file-ignores
    select: Optional[List[str]] = None
    extend_select: List[str] = field(default_factory=list)
    ignore: List[str] = field(default_factory=list)
    per_file_ignores: Dict[str, List[str]] = field(default_factory=dict)
    severity: Dict[str, str] = field(default_factory=dict)
    failure_threshold: str = "style"
    target: Optional[str] = None
    build_args: Dict[str, str] = field(default_factory=dict)
    options: Dict[str, object] = field(default_factory=dict)  # rule options set in the file
    context: Optional[str] = None  # the build context directory (absolute), if the config names one

    def ignores_for(self, path: str) -> List[str]:
        out: List[str] = []
        if not self.per_file_ignores:
            return out
        rel = os.path.relpath(os.path.abspath(path), self.root or os.getcwd()).replace(os.sep, "/")
        base = os.path.basename(path)
        for pattern, codes in self.per_file_ignores.items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(base, pattern):
                out.extend(codes)
        return out


def _load_toml(path: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on older Pythons only
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None


def _str_list(path: str, key: str, value) -> List[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{path}: `{key}` must be a list of strings")
    return list(value)


def _option(path: str, name: str, value, default):
    """A rule option's value, checked against the type of its default."""
    if isinstance(default, list):
        return _str_list(path, name, value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{path}: `{name}` must be true or false")
        return value
    if isinstance(default, (int, float, str)) and not isinstance(value, type(default)):
        raise ConfigError(f"{path}: `{name}` must be a {type(default).__name__}")
    return value


def from_table(table: dict, path: str) -> Config:
    from . import rules

    known = known_keys()
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown config key(s): {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    cfg = Config(path=path, root=os.path.dirname(os.path.abspath(path)))
    try:
        if "select" in table:
            cfg.select = rules.expand(_str_list(path, "select", table["select"]))
            if not cfg.select:
                raise ConfigError(f"{path}: `select` names no rule ({table['select']!r}): give rule codes, names "
                                  "or prefixes, or leave `select` out for the defaults")
        cfg.extend_select = rules.expand(_str_list(path, "extend-select", table.get("extend-select", [])))
        cfg.ignore = rules.expand(_str_list(path, "ignore", table.get("ignore", [])))
        pfi = table.get("per-file-ignores", {})
        if not isinstance(pfi, dict):
            raise ConfigError(f"{path}: `per-file-ignores` must be a table of glob = [codes]")
        cfg.per_file_ignores = {k: rules.expand(_str_list(path, f"per-file-ignores.{k}", v)) for k, v in pfi.items()}
        sev = table.get("severity", {})
        if not isinstance(sev, dict):
            raise ConfigError(f"{path}: `severity` must be a table of code = severity")
        for k, v in sev.items():
            if v not in SEVERITIES:
                raise ConfigError(f"{path}: severity for {k} must be one of {', '.join(SEVERITIES)}, not {v!r}")
            for code in rules.expand([k]):
                cfg.severity[code] = v
    except rules.UnknownRule as exc:
        raise ConfigError(f"{path}: {exc}") from None
    threshold = table.get("failure-threshold", "style")
    if threshold not in SEVERITIES:
        raise ConfigError(f"{path}: failure-threshold must be one of {', '.join(SEVERITIES)}, not {threshold!r}")
    cfg.failure_threshold = threshold
    target = table.get("target")
    if target is not None and not isinstance(target, str):
        raise ConfigError(f"{path}: `target` must be a string")
    cfg.target = target
    ba = table.get("build-args", {})
    if not isinstance(ba, dict) or not all(isinstance(v, str) for v in ba.values()):
        raise ConfigError(f"{path}: `build-args` must be a table of NAME = \"value\"")
    cfg.build_args = dict(ba)
    for name, default in rules.option_defaults().items():
        if name in table:
            cfg.options[name] = _option(path, name, table[name], default)
    context = table.get("context")
    if context is not None:
        if not isinstance(context, str) or not context:
            raise ConfigError(f"{path}: `context` must be a directory (relative to the config file)")
        cfg.context = os.path.join(cfg.root, context)
    return cfg


def load_file(path: str) -> Config:
    if not os.path.isfile(path):
        import stat

        try:
            mode = os.stat(path).st_mode
        except OSError:
            raise ConfigError(f"{path}: config file not found") from None
        kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file" + (
            " (a character device)" if stat.S_ISCHR(mode) else " (a FIFO)" if stat.S_ISFIFO(mode) else "")
        raise ConfigError(f"{path}: config file is {kind}: give a .dlint.toml or pyproject.toml file")
    data = _load_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        table = data.get("tool", {}).get("dlint", {})
    else:
        table = data
    return from_table(table, path)


class ConfigFinder:
    """Finds the nearest config upward from a file's directory; caches per directory."""

    def __init__(self, explicit: Optional[str] = None):
        self.explicit = load_file(explicit) if explicit else None
        self._cache: Dict[str, Config] = {}

    def for_path(self, path: str) -> Config:
        if self.explicit is not None:
            return self.explicit
        path = os.path.abspath(path)
        # a directory named on the command line is searched from itself, a file from its directory
        directory = path if os.path.isdir(path) else os.path.dirname(path)
        return self._find(directory)

    def _find(self, directory: str) -> Config:
        if directory in self._cache:
            return self._cache[directory]
        cfg = None
        candidate = os.path.join(directory, ".dlint.toml")
        if os.path.isfile(candidate):
            cfg = load_file(candidate)
        else:
            candidate = os.path.join(directory, "pyproject.toml")
            if os.path.isfile(candidate):
                data = _load_toml(candidate)
                if "dlint" in data.get("tool", {}):
                    cfg = from_table(data["tool"]["dlint"], candidate)
        if cfg is None:
            parent = os.path.dirname(directory)
            cfg = Config() if parent == directory else self._find(parent)
        self._cache[directory] = cfg
        return cfg
