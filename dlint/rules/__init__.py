"""The rule registry: every rule is a small module listed here explicitly."""
from __future__ import annotations

import re

from . import cache_left_in_layer, cleanup_in_later_layer, consecutive_installs, consecutive_runs
from . import apt_no_install_recommends, copied_then_deleted, copy_then_chmod
from . import (non_distroless_base, shell_form_without_shell, toolchain_in_production, unpinned_base_image,
               update_without_install)
from . import copy_ignored_file, sources_before_install

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, Iterable, List

ALL_RULES = [
    update_without_install,
    consecutive_installs,
    cleanup_in_later_layer,
    cache_left_in_layer,
    apt_no_install_recommends,
    copy_then_chmod,
    copied_then_deleted,
    consecutive_runs,
    non_distroless_base,
    shell_form_without_shell,
    toolchain_in_production,
    unpinned_base_image,
    sources_before_install,
    copy_ignored_file,
]

BY_CODE: Dict[str, object] = {r.CODE: r for r in ALL_RULES}
BY_NAME: Dict[str, object] = {r.NAME: r for r in ALL_RULES}


class UnknownRule(ValueError):
    pass


def lookup(code_or_name: str):
    key = code_or_name.strip()
    rule = BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())
    if rule is None:
        raise UnknownRule(f"unknown rule {code_or_name!r} (see `dlint rules`)")
    return rule


def expand(selectors: Iterable[str]) -> List[str]:
    """Codes for selectors: a code, a name, a code prefix such as ``L``, or ``ALL``."""
    out: List[str] = []
    for sel in selectors:
        s = sel.strip()
        if not s:
            continue
        if s.upper() == "ALL":
            out.extend(BY_CODE)
            continue
        prefix = [c for c in BY_CODE if c.startswith(s.upper())] if re.fullmatch(r"[A-Za-z]+[0-9]*", s) else []
        if s.upper() in BY_CODE or s.lower() in BY_NAME:
            out.append(lookup(s).CODE)
        elif prefix:
            out.extend(prefix)
        else:
            raise UnknownRule(f"unknown rule {sel!r} (see `dlint rules`)")
    return out


def default_codes() -> List[str]:
    return [r.CODE for r in ALL_RULES if getattr(r, "DEFAULT_ENABLED", True)]


def resolve_for_suppression(codes: Iterable[str], hadolint: bool = False) -> List[str]:
    """Our codes for the codes in an ignore comment; unknown ones are ignored there (they may be another tool's)."""
    out: List[str] = []
    for c in codes:
        c = c.strip()
        if c.lower() == "all":
            out.append("*")
            continue
        if hadolint:
            out.extend(r.CODE for r in ALL_RULES if c.upper() in getattr(r, "HADOLINT", ()))
            continue
        try:
            out.append(lookup(c).CODE)
        except UnknownRule:
            pass
    return out
