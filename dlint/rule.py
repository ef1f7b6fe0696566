"""The rule contract: what a rule declares about itself, once, and the applicability of its fixes.

A rule is a module under ``dlint/rules/`` with two names:

- ``RULE``: a :class:`Rule` with its metadata (code, name, severity, summary, hadolint equivalents, the
  applicability of the fixes it may produce, its options and their defaults);
- ``check(ctx)``: yields findings (``ctx.at_instruction(...)`` / ``ctx.diagnostic(...)``) for one file.

The registry (``dlint.rules``) finds every such module by itself and binds ``check`` to ``RULE``.
"""
from __future__ import annotations

from enum import Enum

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Callable, Dict, Iterable, Optional, Tuple


class Applicability(str, Enum):
    """How far a fix may be trusted. ``SAFE`` fixes are applied by ``dlint fix``; ``UNSAFE`` ones only
    with ``--unsafe-fixes``; ``NONE`` (in rule metadata) means the rule never offers a fix.

    The values are the words shown to users and written in reports ("safe", "unsafe", "no")."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    NONE = "no"

    __str__ = str.__str__
    __format__ = str.__format__


SAFE = Applicability.SAFE
UNSAFE = Applicability.UNSAFE
NO_FIX = Applicability.NONE

# ``hadolint=`` of a finding that hadolint has no rule for, from a rule that declares one hadolint code (whose
# findings carry it by default).
NO_HADOLINT = ""


class Rule:
    """A rule's metadata, declared once in its module as ``RULE = Rule(...)``.

    ``fix``: the applicability of the fixes the rule produces, as ``dlint rules`` shows it (``NO_FIX``: it
    never offers one); ``extra_fixes``: other applicabilities some of its fixes have (e.g. a SAFE rule
    whose fix is UNSAFE in a case it cannot prove).
    ``options``: option name (as written in ``[tool.dlint]``) -> default value; read with ``ctx.option``.
    ``default_enabled``: False for opt-in rules (``--extend-select``).
    ``defers_to``: codes of rules that report the same waste more precisely: when one of them is enabled,
    this rule leaves that case to it (ask ``ctx.enabled(code)``; only the codes declared here may be asked).
    ``heavy``: the rule walks the whole stage graph on long files; a very long file runs the heavy rules in
    a helper process beside the others (``dlint.engine``).
    ``estimate``: for a rule whose findings are about bytes in the image, the function of
    ``dlint.estimates`` that works out how many one finding wastes (None: no estimate).
    ``subcodes``: for a rule that reports findings under codes of their own (the ShellCheck rule ``SC``
    reports ``SC2086``, ``SC2164``...), their shape: a prefix, then a ``#`` for each digit (``"SC####"``).
    Each such code can be selected, ignored and named in ignore comments like a rule code; the rule's code
    stands for all of them.
    """

    __slots__ = ("code", "name", "severity", "summary", "hadolint", "fix", "extra_fixes", "options", "default_enabled",
                 "defers_to", "heavy", "estimate", "subcodes", "check", "module")

    def __init__(self, *, code: str, name: str, severity: str, summary: str, hadolint: Iterable[str] = (),
                 fix: Applicability = NO_FIX, extra_fixes: Iterable[Applicability] = (), options: Optional[Dict[str, object]] = None,
                 default_enabled: bool = True, defers_to: Iterable[str] = (), heavy: bool = False,
                 estimate: Optional[Callable] = None, subcodes: Optional[str] = None):
        self.code = code
        self.name = name
        self.severity = severity
        self.summary = summary
        self.hadolint: Tuple[str, ...] = tuple(hadolint)
        self.fix = Applicability(fix)
        self.extra_fixes: Tuple[Applicability, ...] = tuple(Applicability(a) for a in extra_fixes)
        self.options: Dict[str, object] = dict(options or {})
        self.default_enabled = default_enabled
        self.defers_to: Tuple[str, ...] = tuple(defers_to)
        self.heavy = heavy
        self.estimate = estimate
        self.subcodes = subcodes
        self.check: Optional[Callable] = None  # bound by the registry to the module's ``check``
        self.module: Optional[str] = None

    def owns(self, code: str) -> bool:
        """Whether ``code`` is one of this rule's own finding codes (``subcodes``)."""
        shape = self.subcodes
        if shape is None or len(code) != len(shape):
            return False
        prefix = shape.rstrip("#")
        digits = code[len(prefix):]
        return code.startswith(prefix) and digits.isascii() and digits.isdigit()

    def allows(self, applicability) -> bool:
        """Whether a fix of this applicability is one the rule declares."""
        return self.fix is not NO_FIX and (applicability == self.fix or applicability in self.extra_fixes)

    def __repr__(self) -> str:
        return f"<Rule {self.code} {self.name}>"
