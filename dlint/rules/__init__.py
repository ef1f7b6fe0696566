"""The rule registry: every public module of this package is a rule (see ``dlint.rule``), found here by
itself, so that adding a rule takes no list to edit. Modules whose name starts with ``_`` are helpers.

Rules are listed by family (``FAMILIES``: layer rules, base-image rules, then build cache and context
rules; a new family comes after them), then by code."""
from __future__ import annotations

import re

from ..rule import Rule

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Callable, Dict, Iterable, List

# Code prefix -> what the family covers, in the order rules are listed.
FAMILIES = {"L": "layer waste", "B": "base images", "C": "build cache and context", "D": "Dockerfile instructions",
            "R": "RUN commands", "P": "version pinning", "S": "security", "M": "labels", "SC": "ShellCheck on RUN bodies"}


class RegistryError(Exception):
    """A module under dlint/rules/ that does not follow the rule contract."""


def rule_module_names() -> List[str]:
    """The names of the rule modules in this package (every module not starting with ``_``). Read from the
    directory itself: ``pkgutil`` would import ``inspect`` and ``typing`` on every run."""
    import os

    names = set()
    for directory in __path__:
        for entry in os.listdir(directory):
            stem, dot, ext = entry.partition(".")
            if dot and ext in ("py", "pyc") and stem.isidentifier() and not stem.startswith("_"):
                names.add(stem)
    return sorted(names)


def _load(name: str) -> Rule:
    import importlib

    module = importlib.import_module(f"{__name__}.{name}")
    rule = getattr(module, "RULE", None)
    check = getattr(module, "check", None)
    if not isinstance(rule, Rule) or not callable(check):
        raise RegistryError(f"dlint/rules/{name}.py: a rule module declares RULE = Rule(...) and def check(ctx)")
    rule.check = check
    rule.module = module.__name__
    return rule


def _order(rule: Rule):
    family = re.match(r"[A-Z]*", rule.code).group(0)
    known = list(FAMILIES)
    return (known.index(family) if family in known else len(known), family, rule.code)


ALL_RULES: List[Rule] = sorted((_load(n) for n in rule_module_names()), key=_order)

BY_CODE: Dict[str, Rule] = {}
BY_NAME: Dict[str, Rule] = {}
for _rule in ALL_RULES:
    if _rule.code in BY_CODE or _rule.name in BY_NAME:
        raise RegistryError(f"{_rule.module}: code {_rule.code} or name {_rule.name} is already taken")
    BY_CODE[_rule.code] = BY_NAME[_rule.name] = _rule
del _rule

# The rules that report findings under codes of their own (``Rule(subcodes=...)``).
SUBCODE_RULES: List[Rule] = [r for r in ALL_RULES if r.subcodes is not None]


def owner(code: str):
    """The rule that reports findings with ``code`` (a rule code, or a code one rule reports its findings
    under, such as ``SC2086``), or None."""
    rule = BY_CODE.get(code)
    if rule is None:
        rule = next((r for r in SUBCODE_RULES if r.owns(code.upper())), None)
    return rule


def subcode(code: str) -> bool:
    """Whether ``code`` is a finding code of a rule with ``subcodes`` rather than a rule code."""
    return code not in BY_CODE and any(r.owns(code) for r in SUBCODE_RULES)


# Rule code -> the estimator of the bytes its findings waste (``Rule(estimate=...)``), for the rules that have one.
ESTIMATORS: Dict[str, Callable] = {r.code: r.estimate for r in ALL_RULES if r.estimate is not None}


class UnknownRule(ValueError):
    pass


def hadolint_rules(code: str) -> List[Rule]:
    """The rules whose metadata lists the hadolint code ``code`` (DL3008, any case), in listing order."""
    key = code.strip().upper()
    return [r for r in ALL_RULES if key in r.hadolint]


def _unknown(code_or_name: str) -> UnknownRule:
    key = code_or_name.strip()
    if re.fullmatch(r"(?i)(DL|SC)[0-9]{4}", key):
        return UnknownRule(f"unknown rule {code_or_name!r}: no dlint rule reports what hadolint's {key.upper()} "
                           "reports (see `dlint rules`)")
    return UnknownRule(f"unknown rule {code_or_name!r} (see `dlint rules`)")


def lookup(code_or_name: str) -> Rule:
    """The rule of a code, a name, or a hadolint code (DL3008) that one rule covers."""
    key = code_or_name.strip()
    rule = BY_CODE.get(key.upper()) or BY_NAME.get(key.lower()) or next(
        (r for r in SUBCODE_RULES if r.owns(key.upper())), None)
    if rule is None:
        mapped = hadolint_rules(key)
        if len(mapped) == 1:
            return mapped[0]
        if mapped:
            raise UnknownRule(f"hadolint's {key.upper()} is reported by several rules "
                              f"({', '.join(r.code for r in mapped)}): name one of them")
        raise _unknown(code_or_name)
    return rule


def expand(selectors: Iterable[str], partial: bool = False) -> List[str]:
    """Codes for selectors: a code, a name, a code prefix such as ``L``, ``ALL``, or a hadolint code
    (``DL3008``: the rules whose metadata lists it).

    ``partial`` (for what ignores or re-grades findings): a hadolint code stays as it is, so that only the
    findings with that code are meant: one case of a rule that reports several (``DL3042``, L004's pip
    case), or of a rule whose other findings have none (``DL3009``: L001's apt case, not its apk one)."""
    out: List[str] = []
    for sel in selectors:
        s = sel.strip()
        if not s:
            continue
        if s.upper() == "ALL":
            out.extend(BY_CODE)
            continue
        # A prefix selects codes of its own family: ``S`` is the security rules, not ``SC`` too.
        letters = re.match(r"[A-Za-z]*", s).group(0).upper()
        prefix = [c for c in BY_CODE if c.startswith(s.upper()) and re.match(r"[A-Z]*", c).group(0) == letters] \
            if re.fullmatch(r"[A-Za-z]+[0-9]*", s) else []
        if s.upper() not in BY_CODE and subcode(s.upper()):
            out.append(s.upper())  # one code of a rule that reports several (``SC2086``)
        elif s.upper() in BY_CODE or s.lower() in BY_NAME:
            out.append(lookup(s).code)
        elif hadolint_rules(s):
            if partial:
                out.append(s.upper())
            else:
                out.extend(r.code for r in hadolint_rules(s))
        elif prefix:
            out.extend(prefix)
        else:
            raise _unknown(sel)
    return out


def default_codes() -> List[str]:
    return [r.code for r in ALL_RULES if r.default_enabled]


def option_defaults() -> Dict[str, object]:
    """Every rule option (as named in ``[tool.dlint]``) with its default value. Several rules may read one
    option (the label rules share ``label-schema``); they must declare the same default."""
    out: Dict[str, object] = {}
    for r in ALL_RULES:
        for name, default in r.options.items():
            if name in out and out[name] != default:
                raise RegistryError(f"{r.module}: option {name!r} has another default in another rule")
            out[name] = default
    return out


def option_choices() -> Dict[str, tuple]:
    """For a table option whose values are words from a fixed set (``label-schema``: label name -> type),
    the words allowed, as a rule module declares them in ``OPTION_CHOICES``."""
    import sys

    out: Dict[str, tuple] = {}
    for r in ALL_RULES:
        out.update(getattr(sys.modules[r.module], "OPTION_CHOICES", {}))
    return out


def resolve_for_suppression(codes: Iterable[str], hadolint: bool = False) -> List[str]:
    """Our codes for the codes in an ignore comment; unknown ones are ignored there (they may be another tool's).
    In a hadolint comment, a hadolint code is kept: it silences only the findings with that code (L004's pip
    case for DL3042, L001's apt case for DL3009)."""
    out: List[str] = []
    for c in codes:
        c = c.strip()
        if c.lower() == "all":
            out.append("*")
            continue
        if subcode(c.upper()):
            out.append(c.upper())
            continue
        if hadolint:  # a hadolint code stands for the findings with that code
            if hadolint_rules(c):
                out.append(c.upper())
            continue
        try:
            out.append(lookup(c).code)
        except UnknownRule:
            pass
    return out
