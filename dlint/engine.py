"""Runs rules over a parsed Dockerfile and applies inline suppressions."""
from __future__ import annotations

import bisect
import re

from ._records import dataclass, field
from .diagnostics import Diagnostic, Fix
from .packages import PackageCall, package_calls
from .shell import Script, script_of
from .stages import StageGraph, is_posix_shell, shell_before
from .syntax import Comment, Document, Instruction, Stage

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, Iterable, List, Optional, Set

# The code list is words separated by spaces, not a lazy run that includes the blanks after it: that one
# took time quadratic in the length of a comment full of blanks (and an empty list suppressed nothing).
_IGNORE_RE = re.compile(r"#\s*dlint:\s*(ignore|ignore-stage|ignore-file)\s*=\s*([A-Za-z0-9_,\-]+(?: +[A-Za-z0-9_,\-]+)*)\s*(?:#.*)?\Z")
_HADOLINT_RE = re.compile(r"#\s*hadolint\s+(ignore|global ignore)\s*=\s*([A-Za-z0-9_,\-]+(?: +[A-Za-z0-9_,\-]+)*)\s*(?:#.*)?\Z")


@dataclass
class Settings:
    """What a check run needs from config and command line."""

    enabled: Set[str] = field(default_factory=set)  # rule codes
    severity: Dict[str, str] = field(default_factory=dict)  # code -> severity override
    build_args: Dict[str, str] = field(default_factory=dict)
    target: Optional[str] = None
    allowed_bases: List[str] = field(default_factory=list)
    # A core is free for this file (it is checked alone, not on a pool): a very long file may share its
    # rules with a forked helper process (see ``run_rules``).
    spare_core: bool = False
    # The build context (names, ignore file, manifests; dlint.build_context), or None when none is readable.
    build_context: object = None
    cache_strategy: str = "clean"  # "clean": delete package caches; "mount": keep them in cache mounts


class Context:
    """Everything rules share about one file; shells are parsed once and cached here."""

    def __init__(self, path: str, doc: Document, settings: Settings):
        self.path = path
        self.doc = doc
        self.settings = settings
        self.graph = StageGraph(doc, settings.build_args, settings.target)
        self._scripts: Dict[int, Optional[Script]] = {}
        self._calls: Dict[int, List[PackageCall]] = {}
        self.rule = None  # the rule being run; set by run_rules

    @property
    def stages(self) -> List[Stage]:
        return self.doc.stages

    def script(self, ins: Instruction) -> Optional[Script]:
        key = id(ins)
        if key not in self._scripts:
            self._scripts[key] = script_of(ins) if (ins.inner or ins).name in ("RUN", "CMD", "ENTRYPOINT",
                                                                              "HEALTHCHECK") else None
        return self._scripts[key]

    def calls(self, ins: Instruction) -> List[PackageCall]:
        key = id(ins)
        if key not in self._calls:
            self._calls[key] = package_calls(self.script(ins)) if ins.name == "RUN" else []
        return self._calls[key]

    def runs(self, stage: Stage) -> List[Instruction]:
        return [i for i in stage.instructions if i.name == "RUN"]

    def is_shipping(self, stage: Stage) -> bool:
        return stage.index in self.graph.shipping

    def posix_shell(self, stage: Stage, ins: Instruction) -> bool:
        return is_posix_shell(shell_before(stage, ins))

    def shell(self, stage: Stage, ins: Instruction):
        """The SHELL in force for ``ins`` (None for the default /bin/sh -c)."""
        return shell_before(stage, ins)

    def merge_fix(self, stage: Stage, a: Instruction, b: Instruction, title: str, applicability: str = "safe"):
        """(Fix, "") merging RUN b into RUN a, or (None, reason)."""
        from .merge import merge_fix

        if not self.posix_shell(stage, a):
            return None, "the SHELL is not a POSIX shell"
        return merge_fix(self.doc, a, b, title, applicability, shell=self.shell(stage, a))

    def append_fix(self, stage: Stage, run: Instruction, command: str, title: str, applicability: str = "safe"):
        """(Fix, "") running ``command`` at the end of ``run``, or (None, reason)."""
        from .merge import append_fix

        if not self.posix_shell(stage, run):
            return None, "the SHELL is not a POSIX shell"
        return append_fix(self.doc, run, command, title, applicability, shell=self.shell(stage, run))

    def diagnostic(self, start: int, end: int, message: str, fix: Optional[Fix] = None) -> Diagnostic:
        rule = self.rule
        line, col = self.doc.line_col(start)
        # Report up to the end of the last non-blank character of the span.
        stop = end
        text = self.doc.text
        while stop > start and text[stop - 1] in "\r\n":
            stop -= 1
        end_line, end_col = self.doc.line_col(stop)
        return Diagnostic(
            path=self.path, line=line, column=col, end_line=end_line, end_column=end_col,
            code=rule.CODE, name=rule.NAME, severity=self.settings.severity.get(rule.CODE, rule.SEVERITY),
            message=message, fix=fix, start=start, end=end,
        )

    def at_instruction(self, ins: Instruction, message: str, fix: Optional[Fix] = None) -> Diagnostic:
        start = ins.start
        text = self.doc.text
        while start < ins.end and text[start] in " \t\ufeff":
            start += 1
        return self.diagnostic(start, ins.lines_end, message, fix)


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

    def suppressed(self, diag: Diagnostic, ins_start: Optional[int], stage: Optional[int]) -> bool:
        if diag.code in self.file or "*" in self.file:
            return True
        for codes in (self.by_stage.get(stage, ()) if stage is not None else (),
                      self.by_instruction.get(ins_start, ()) if ins_start is not None else ()):
            if diag.code in codes or "*" in codes:  # "*" comes from ``ignore=all``
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


# Files with at least this many instructions share their rules with a helper process when a core is free:
# below it, forking (and the copies the helper makes of the pages it touches) costs more than it saves.
SPLIT_MIN_INSTRUCTIONS = 3000
# The rules the helper runs: together about half of the rule time on long files, and they share work
# (the WORKDIR/ENV walk and the parsed COPYs) that the other rules do not need.
_HELPER_RULES = ("L003", "L006", "L007")


def _run_one(ctx: Context, rule) -> List[Diagnostic]:
    ctx.rule = rule
    return list(rule.check(ctx))


def _run_split(ctx: Context, chosen: list) -> Optional[Dict[str, List[Diagnostic]]]:
    """The findings of each rule, with some rules run by a forked copy of this process while this one runs
    the others; None when that is not possible here. Same findings as running them in turn."""
    import os

    theirs = [r for r in chosen if r.CODE in _HELPER_RULES]
    mine = [r for r in chosen if r.CODE not in _HELPER_RULES]
    if not theirs or not mine or not hasattr(os, "fork"):
        return None
    import pickle
    import signal

    # Both halves need every RUN's shell commands and package calls: made once, before the fork.
    for stage in ctx.stages:
        for run in ctx.runs(stage):
            ctx.calls(run)
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # the helper: its findings go through the pipe, then it leaves without any cleanup
        status = 1
        try:
            os.close(read_fd)
            signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C is reported by the parent alone
            data = pickle.dumps({r.CODE: _run_one(ctx, r) for r in theirs}, pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(write_fd, view):]
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    try:
        found = {r.CODE: _run_one(ctx, r) for r in mine}
        chunks = []
        while True:
            chunk = os.read(read_fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        _, status = os.waitpid(pid, 0)
    if status == 0 and chunks:
        found.update(pickle.loads(b"".join(chunks)))
    else:  # the helper failed: run its rules here, so that an error shows as it would have
        found.update({r.CODE: _run_one(ctx, r) for r in theirs})
    return found


def run_rules(path: str, doc: Document, settings: Settings, rules: Iterable) -> List[Diagnostic]:
    from . import rules as registry

    ctx = Context(path, doc, settings)
    chosen = [rule for rule in rules if rule.CODE in settings.enabled]
    found = None
    if settings.spare_core and len(doc.instructions) >= SPLIT_MIN_INSTRUCTIONS:
        found = _run_split(ctx, chosen)
    if found is None:
        found = {rule.CODE: _run_one(ctx, rule) for rule in chosen}
    diags: List[Diagnostic] = [d for rule in chosen for d in found[rule.CODE]]
    if not diags:
        return diags
    sup = Suppressions(doc, registry.resolve_for_suppression)  # no warnings needed here
    starts = [ins.start for ins in doc.instructions]  # in file order, not overlapping
    out = []
    for d in diags:
        owner = None
        stage = None
        i = bisect.bisect_right(starts, d.start) - 1
        if i >= 0 and d.start < doc.instructions[i].end:
            owner, stage = starts[i], ctx.graph.stage_index(doc.instructions[i])
        if not sup.suppressed(d, owner, stage):
            out.append(d)
    if sup.comment_spans:
        _drop_fixes_moving_pragmas(out, sup)
    out.sort(key=lambda d: (d.line, d.column, d.code))
    return out


def _drop_fixes_moving_pragmas(diags: List[Diagnostic], sup: "Suppressions") -> None:
    """A fix that would delete or move an ignore comment, or pull the instruction it applies to into
    another one, would change what the comment means: such a finding is reported without a fix."""
    spans = list(sup.comment_spans) + [(start, start + 1) for start in sup.targets]
    for d in diags:
        if d.fix is None:
            continue
        if any((start <= e.start <= end) if e.start == e.end else (e.start < end and start < e.end)
               for e in d.fix.edits for start, end in spans):  # as the fixer's overlap test counts it
            d.fix = None
            d.message += " (no automatic fix: it would move an ignore comment or what the comment applies to)"
