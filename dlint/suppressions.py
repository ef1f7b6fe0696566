"""Ignore comments (``# dlint: ignore=...``, ``# hadolint ignore=...``): what each applies to, and warnings
for those that cannot apply."""
from __future__ import annotations

import re

from .syntax import Comment, Document, Instruction

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Set

    from .diagnostics import Diagnostic

# The code list is words separated by spaces, not a lazy run that includes the blanks after it: that one
# took time quadratic in the length of a comment full of blanks (and an empty list suppressed nothing).
_IGNORE_RE = re.compile(r"#\s*dlint:\s*(ignore|ignore-stage|ignore-file)\s*=\s*([A-Za-z0-9_,\-]+(?: +[A-Za-z0-9_,\-]+)*)\s*(?:#.*)?\Z")
_HADOLINT_RE = re.compile(r"#\s*hadolint\s+(ignore|global ignore)\s*=\s*([A-Za-z0-9_,\-]+(?: +[A-Za-z0-9_,\-]+)*)\s*(?:#.*)?\Z")


def inline_ignore(text: str) -> Optional[str]:
    """The form of an ignore comment that applies to one instruction or stage (``# hadolint ignore=``,
    ``# dlint: ignore=``, ``# dlint: ignore-stage=``), as written before its ``=``; None for any other
    comment, file-wide ones included."""
    stripped = text.strip()
    m = _IGNORE_RE.match(stripped)
    if m:
        return None if m.group(1) == "ignore-file" else f"# dlint: {m.group(1)}="
    m = _HADOLINT_RE.match(stripped)
    if m and m.group(1) == "ignore":
        return "# hadolint ignore="
    return None


def _codes(spec: str) -> List[str]:
    return spec.replace(",", " ").split()  # commas, blanks or both between codes


# A comment meant as a dlint pragma that does not have its form (``# dlint ignore=L001``,
# ``# dlint: disable=L001``): warned about, since it suppresses nothing.
_PRAGMA_LIKE = re.compile(r"#\s*dlint\s*:|#\s*dlint\s+(?:ignore|disable|noqa|skip)", re.I)
PRAGMA_FORM = "`# dlint: ignore=CODE[,CODE...]` (or ignore-stage=, ignore-file=)"


class Suppressions:
    """The ignore comments of a file, and ``warnings`` ((line, message)) for those that cannot apply.

    ``# dlint: ignore=...`` applies to the next instruction (comment lines may stand between, a blank line
    may not); ``ignore-stage=`` to the stage whose FROM follows it, or else to the stage it is written in;
    ``ignore-file=`` to the whole file, wherever it is. ``comment_spans`` are where the ignore comments
    are and ``targets`` the start of each instruction one applies to: a fix must not move either."""

    def __init__(self, doc: Document, resolve, prefixes=None):
        self.file: Set[str] = set()
        self.by_instruction: Dict[int, Set[str]] = {}
        self.by_stage: Dict[int, Set[str]] = {}
        self.resolve = resolve  # maps a code, name or hadolint code to our codes
        self.prefixes = prefixes  # whether a word is a prefix of rule codes (for its warning)
        self.warnings: List[tuple] = []
        self.comment_spans: List[tuple] = []
        self.targets: List[int] = []
        self._doc = doc
        pending: Set[str] = set()
        pending_line = None
        pending_stage: Set[str] = set()
        stage_line = None
        stage = -1
        for node in doc.nodes:
            if isinstance(node, Comment):
                for kind, codes in self._parse(node.text, node.start):
                    self.comment_spans.append((node.start, node.end))
                    if kind == "ignore-file":
                        self.file |= codes
                    elif kind == "ignore-stage":
                        pending_stage |= codes
                        stage_line = stage_line or self._line(node.start)
                    else:
                        pending |= codes
                        pending_line = pending_line or self._line(node.start)
                continue
            if isinstance(node, Instruction):
                for c in node.comments:
                    for kind, codes in self._parse(c.text, c.start):
                        if kind == "ignore-file":
                            self.file |= codes
                        else:
                            self._warn(c.start, f"`{kind}` inside an instruction (on a continuation line) "
                                                "applies to nothing: put it on a line of its own above the "
                                                "instruction")
                if node.name == "FROM":
                    stage += 1
                if pending_stage:
                    if stage >= 0:
                        self.by_stage.setdefault(stage, set()).update(pending_stage)
                    else:
                        self.warnings.append((stage_line, "`ignore-stage` before the first FROM, with no FROM "
                                                          "right after it, applies to no stage"))
                if pending:
                    self.by_instruction[node.start] = pending
                if pending or pending_stage:
                    self.targets.append(node.start)
                pending, pending_stage, pending_line, stage_line = set(), set(), None, None
            # blank lines end a run of ignore comments only for instructions (hadolint behaves alike)
            elif pending:
                self.warnings.append((pending_line, "this ignore comment applies to no instruction: a blank "
                                                    "line separates it from the next one"))
                pending, pending_line = set(), None
        if pending:
            self.warnings.append((pending_line, "this ignore comment applies to no instruction: none follows it"))
        if pending_stage and stage >= 0:
            self.by_stage.setdefault(stage, set()).update(pending_stage)
        self._doc = None

    def _line(self, offset: int) -> int:
        return self._doc.line_col(offset)[0]

    def _warn(self, offset: int, message: str) -> None:
        self.warnings.append((self._line(offset), message))

    def _parse(self, text: str, offset: int):
        stripped = text.strip()
        m = _IGNORE_RE.match(stripped)
        if m:
            codes: Set[str] = set()
            unknown: List[str] = []
            for c in _codes(m.group(2)):
                ours = self.resolve([c])
                if ours:
                    codes.update(ours)
                elif self.prefixes is not None and self.prefixes(c):
                    self._warn(offset, f"{c!r} is a prefix: ignore comments take whole rule codes or names "
                                       "(or all), so it suppresses nothing")
                else:
                    unknown.append(c)
            if len(unknown) == 1:
                self._warn(offset, f"unknown rule {unknown[0]!r} in an ignore comment (see `dlint rules`): it "
                                   "suppresses nothing")
            elif unknown:
                self._warn(offset, f"unknown rules {', '.join(map(repr, unknown[:4]))}"
                                   f"{' ...' if len(unknown) > 4 else ''} in an ignore comment (see `dlint rules`):"
                                   " they suppress nothing; write a reason after a `#`: "
                                   "`# dlint: ignore=L001  # why`")
            yield m.group(1), codes
            return
        m = _HADOLINT_RE.match(stripped)
        if m:
            kind = "ignore-file" if m.group(1) == "global ignore" else "ignore"
            yield kind, set(self.resolve(_codes(m.group(2)), hadolint=True))
            return
        if _PRAGMA_LIKE.match(stripped):
            self._warn(offset, f"not an ignore comment dlint reads ({stripped[:40]!r}): the form is {PRAGMA_FORM}")

    def suppressed(self, diag: Diagnostic, ins_start: Optional[int], stage: Optional[int],
                   rule_code: Optional[str] = None) -> bool:
        """``rule_code``: the code of the rule that reported ``diag`` under a code of its own (``SC2086``
        by ``SC``): a comment naming either suppresses it; a hadolint code (``DL3042``) among the codes
        silences the findings with that code."""
        keys = [diag.code, "*"]
        if rule_code is not None and rule_code != diag.code:
            keys.append(rule_code)
        if diag.hadolint is not None and diag.hadolint != diag.code:
            keys.append(diag.hadolint)
        for codes in (self.file, self.by_stage.get(stage, ()) if stage is not None else (),
                      self.by_instruction.get(ins_start, ()) if ins_start is not None else ()):
            if any(k in codes for k in keys):  # "*" comes from ``ignore=all``
                return True
        return False


def _is_prefix(code: str) -> bool:
    from .rules import BY_CODE

    return bool(re.fullmatch(r"[A-Za-z]+[0-9]*", code)) and any(c.startswith(code.upper()) for c in BY_CODE)


def suppressions(doc: Document) -> Suppressions:
    from . import rules as registry

    return Suppressions(doc, registry.resolve_for_suppression, _is_prefix)


def pragma_warnings(path: str, doc: Document) -> list:
    """Ignore comments that cannot apply, as warnings (the exit code is unchanged)."""
    from .diagnostics import InputProblem

    return [InputProblem(path, line, message, blocks_fix=False, level="warning")
            for line, message in suppressions(doc).warnings]
