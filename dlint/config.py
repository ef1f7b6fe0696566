"""Configuration from ``[tool.dlint]`` in pyproject.toml or from .dlint.toml, or else from hadolint's
.hadolint.yaml (read by ``dlint.hadolint_config`` into the same table)."""
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
    "target", "build-args", "context", "disable-ignore-pragma", "cache-strategy",
}
# Each core key: its default as written in TOML, and what it does (the README's table is made from these).
CORE_KEY_DOCS = {
    "select": ("the rules on by default", "only these rules: codes, names, prefixes (`L`), hadolint codes "
               "(`DL3008`) or `ALL`"),
    "extend-select": ("[]", "these rules too (opt-in rules such as `L008`)"),
    "ignore": ("[]", "not these rules; a hadolint code of a rule that reports several (`DL3042`) drops only "
               "the findings with that code"),
    "per-file-ignores": ("{}", "glob (relative to the config file, or a file name) = rules not checked there"),
    "severity": ("{}", "rule code, name or hadolint code = `error`, `warning`, `info` or `style`"),
    "failure-threshold": ('"style"', "lowest severity that makes the exit code 1 (`--failure-threshold`)"),
    "target": ("the last stage", "the stage that ships (`--target`)"),
    "build-args": ("{}", "`NAME = \"value\"` for ARGs used in `FROM` (`--build-arg`)"),
    "context": ("the Dockerfile's directory", "the build context, relative to the config file (`--context`)"),
    "disable-ignore-pragma": ("false", "`true`: ignore comments in Dockerfiles (`# dlint: ignore=`, "
                              "`# hadolint ignore=`) are not honoured"),
    "cache-strategy": ('"clean"', "how fixes keep package caches out of layers: `\"clean\"` deletes them in the RUN, "
                       "`\"mount\"` gives the RUN a cache mount (`--cache-strategy`)"),
}
# What the options hadolint's settings map to mean, for the rules that read them.
SHARED_OPTION_DOCS = {
    "trusted-registries": "the registries base images may come from (hadolint's `trustedRegistries`); empty: "
                          "any registry",
    "label-schema": "label name = its type: `text`, `url`, `hash`, `rfc3339`, `semver`, `spdx` or `email` "
                    "(hadolint's `label-schema`)",
    "strict-labels": "`true`: a label the schema does not name is reported (hadolint's `strict-labels`)",
}
# How the fixes keep package caches out of the layers: "clean" deletes them (or asks the tool not to keep
# them) in the RUN; "mount" gives the RUN a BuildKit cache mount on them, so the next build reuses them.
CACHE_STRATEGIES = ("clean", "mount")


def option_defaults() -> dict:
    """Every rule option the config accepts, with its default (declared by the rules that read them)."""
    from . import rules

    return rules.option_defaults()


def known_keys() -> set:
    return CORE_KEYS | set(option_defaults())


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
    disable_ignore_pragma: bool = False  # ignore comments in Dockerfiles are not honoured
    cache_strategy: str = "clean"  # one of CACHE_STRATEGIES

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
    """A rule option's value, checked against the type of its default (and, for a table, the values its rules
    accept)."""
    from . import rules

    if isinstance(default, list):
        return _str_list(path, name, value)
    if isinstance(default, dict):
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise ConfigError(f"{path}: `{name}` must be a table of name = \"value\"")
        choices = rules.option_choices().get(name)
        bad = sorted({v for v in value.values() if choices and v not in choices})
        if bad:
            raise ConfigError(f"{path}: `{name}` values must be one of {', '.join(choices)}, not {', '.join(map(repr, bad))}")
        return dict(value)
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
        cfg.ignore = rules.expand(_str_list(path, "ignore", table.get("ignore", [])), partial=True)
        pfi = table.get("per-file-ignores", {})
        if not isinstance(pfi, dict):
            raise ConfigError(f"{path}: `per-file-ignores` must be a table of glob = [codes]")
        cfg.per_file_ignores = {k: rules.expand(_str_list(path, f"per-file-ignores.{k}", v), partial=True)
                                for k, v in pfi.items()}
        sev = table.get("severity", {})
        if not isinstance(sev, dict):
            raise ConfigError(f"{path}: `severity` must be a table of code = severity")
        for k, v in sev.items():
            if v not in SEVERITIES:
                raise ConfigError(f"{path}: severity for {k} must be one of {', '.join(SEVERITIES)}, not {v!r}")
            for code in rules.expand([k], partial=True):
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
    pragma = table.get("disable-ignore-pragma", False)
    if not isinstance(pragma, bool):
        raise ConfigError(f"{path}: `disable-ignore-pragma` must be true or false")
    cfg.disable_ignore_pragma = pragma
    for name, default in option_defaults().items():
        if name in table:
            cfg.options[name] = _option(path, name, table[name], default)
    strategy = table.get("cache-strategy", "clean")
    if strategy not in CACHE_STRATEGIES:
        raise ConfigError(f"{path}: `cache-strategy` must be one of {', '.join(map(repr, CACHE_STRATEGIES))}, "
                          f"not {strategy!r}")
    cfg.cache_strategy = strategy
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
    if is_hadolint_file(path):
        return load_hadolint(path)
    data = _load_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        table = data.get("tool", {}).get("dlint", {})
    else:
        table = data
    return from_table(table, path)


def is_hadolint_file(path: str) -> bool:
    """Whether ``path`` names a hadolint config (YAML: .hadolint.yaml, hadolint.yml, ...)."""
    return path.lower().endswith((".yaml", ".yml"))


def load_hadolint(path: str) -> Config:
    """A hadolint config file, as the ``[tool.dlint]`` table that means the same."""
    from .hadolint_config import HadolintConfigError, read_table

    try:
        table = read_table(path).table
    except HadolintConfigError as exc:
        raise ConfigError(str(exc)) from None
    return from_table(table, path)


HADOLINT_NAMES = (".hadolint.yaml", ".hadolint.yml")


class ConfigFinder:
    """Finds the nearest config upward from a file's directory; caches per directory.

    dlint's own config (.dlint.toml, or pyproject.toml with ``[tool.dlint]``) wins: only when there is
    none in the file's directory or above it is hadolint's (.hadolint.yaml, .hadolint.yml) looked for,
    the nearest one upward."""

    def __init__(self, explicit: Optional[str] = None):
        self.explicit = load_file(explicit) if explicit else None
        self._cache: Dict[str, Config] = {}
        self._hadolint: Dict[str, Optional[Config]] = {}

    def for_path(self, path: str) -> Config:
        if self.explicit is not None:
            return self.explicit
        path = os.path.abspath(path)
        # a directory named on the command line is searched from itself, a file from its directory
        directory = path if os.path.isdir(path) else os.path.dirname(path)
        cfg = self._find(directory)
        if cfg.path is None:
            cfg = self._find_hadolint(directory) or cfg
        return cfg

    def _find_hadolint(self, directory: str) -> Optional[Config]:
        if directory in self._hadolint:
            return self._hadolint[directory]
        cfg = None
        for name in HADOLINT_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                cfg = load_hadolint(candidate)
                break
        else:
            parent = os.path.dirname(directory)
            cfg = None if parent == directory else self._find_hadolint(parent)
        self._hadolint[directory] = cfg
        return cfg

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
