"""Classification of package-manager calls in shell commands.

What each manager is called, how it installs and where it keeps caches lives in
``data/package_managers.json`` (dated), not here.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ._dataclass import dataclass
from .data import load_json
from .shell import Command, Script, unwrapped_index

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional

_PY_PIP = re.compile(r"(?:.*/)?(python|python[23](?:\.\d+)?|pypy3?)\Z")
_PIP = re.compile(r"(?:.*/)?pip(?:[23](?:\.\d+)?)?\Z")


@dataclass
class Manager:
    name: str
    tools: List[str]
    install: List[str]
    update: List[str]
    upgrade: List[str]
    remove: List[str]
    clean: List[str]
    options_with_value: List[str]
    cache_paths: List[str]
    list_paths: List[str]
    no_cache_flags: List[str]
    env_switches: List[str]


@lru_cache(maxsize=1)
def catalogue() -> Dict[str, Manager]:
    raw = load_json("package_managers.json")
    return {name: Manager(name=name, **spec) for name, spec in raw["managers"].items()}


@lru_cache(maxsize=1)
def _tool_index() -> Dict[str, str]:
    return {tool: m.name for m in catalogue().values() for tool in m.tools}


@dataclass
class PackageCall:
    manager: str  # family: apt, apk, dnf, zypper, pip, uv, npm, yarn, pnpm, gem, conda, go, cargo
    tool: str  # as called: apt-get, yum, pip3, ...
    subcommand: Optional[str]
    packages: List[str]
    options: List[str]
    command: Command
    global_install: bool = False  # npm -g, yarn global

    @property
    def kind(self) -> str:
        """install, update, upgrade, remove, clean or other."""
        return _kind_of(self.manager, self.subcommand)

    def has_option(self, *names: str) -> bool:
        for opt in self.options:
            base = opt.split("=", 1)[0]
            if base in names:
                return True
        return False


@lru_cache(maxsize=None)
def _options_with_value(manager: str) -> frozenset:
    return frozenset(catalogue()[manager].options_with_value)


@lru_cache(maxsize=1024)
def _kind_of(manager: str, subcommand: Optional[str]) -> str:
    m = catalogue()[manager]
    for kind in ("install", "update", "upgrade", "remove", "clean"):
        if subcommand in getattr(m, kind):
            return kind
    return "other"


def classify(cmd: Command) -> Optional[PackageCall]:
    """The package-manager call a command makes, or None."""
    return cmd.cached(_classify)


def _classify(cmd: Command) -> Optional[PackageCall]:
    values = cmd.values()
    start = unwrapped_index(values)
    values = values[start:] if start is not None else []
    if not values or values[0] is None:
        return None
    tool = values[0]
    base = tool.rsplit("/", 1)[-1]
    rest = values[1:]
    if _PY_PIP.match(tool) and len(rest) >= 2 and rest[0] == "-m" and rest[1] in ("pip", "pip3"):
        manager, tool, rest = "pip", f"{base} -m pip", rest[2:]
    elif _PIP.match(tool):
        manager = "pip"
    elif base == "uv" and rest[:1] == ["pip"]:
        manager, tool, rest = "uv", "uv pip", rest[1:]
    else:
        manager = _tool_index().get(base)
        if manager is None or manager == "pip":
            return None
    with_value = _options_with_value(manager)
    options: List[str] = []
    positional: List[str] = []
    global_install = False
    i = 0
    while i < len(rest):
        v = rest[i]
        if v is None:
            positional.append("")
            i += 1
            continue
        if v.startswith("-") and len(v) > 1:
            options.append(v)
            if v in with_value and i + 1 < len(rest):
                options.append(rest[i + 1] or "")
                i += 1
            if v in ("-g", "--global") or v.startswith("--location=global"):
                global_install = True
        else:
            positional.append(v)
        i += 1
    subcommand = positional[0] if positional else None
    packages = positional[1:]
    if manager == "yarn" and not positional and not {"--version", "-v", "--help", "-h"} & set(options):
        subcommand = "install"  # a bare ``yarn`` installs the project's dependencies
    if manager == "yarn" and subcommand == "global":
        global_install = True
        subcommand = packages[0] if packages else None
        packages = packages[1:]
    if manager == "go" and subcommand not in ("install", "get", "build", "mod", "clean"):
        return None
    if manager == "cargo" and subcommand not in ("install", "build", "uninstall"):
        return None
    return PackageCall(manager, tool, subcommand, [p for p in packages if p], options, cmd, global_install)


def package_calls(script: Optional[Script]) -> List[PackageCall]:
    if script is None:
        return []
    out = []
    for cmd in script.commands:
        call = classify(cmd)
        if call is not None:
            out.append(call)
    return out
