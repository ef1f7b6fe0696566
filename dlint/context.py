"""The context rules check one file through: the parsed file, its settings, and facts computed once."""
from __future__ import annotations

from .diagnostics import Diagnostic, Fix
from .packages import PackageCall, package_calls
from .shell import Script, script_of
from .stages import StageGraph, is_posix_shell
from .syntax import Document, Instruction, Stage

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional

    from .settings import Settings


# In a file with fewer RUNs than this, each RUN's script keeps its parsed tree once its commands are collected:
# the merges (L008, L002, the fixes that append to a RUN) read it rather than parse the script again. A longer
# file lets the trees go (40,000 RUNs would hold 40,000 trees).
KEEP_TREES_MAX_RUNS = 1000


class Context:
    """Everything rules share about one file; shells are parsed once and cached here."""

    def __init__(self, path: str, doc: Document, settings: Settings):
        self.path = path
        self.doc = doc
        self.settings = settings
        self.graph = StageGraph(doc, settings.build_args, settings.target)
        self._scripts: Dict[int, Optional[Script]] = {}
        self._calls: Dict[int, List[PackageCall]] = {}
        self._memos: Dict[str, dict] = {}
        self._keep_trees = sum(1 for ins in doc.instructions if ins.name == "RUN") < KEEP_TREES_MAX_RUNS
        self.rule = None  # the rule being run; set by check_rules

    def memo(self, name: str) -> dict:
        """A dictionary kept for this file under ``name``: where shared facts (``dlint.rules._facts``) keep
        what they computed, so that every rule that asks gets the same answer, computed once."""
        found = self._memos.get(name)
        if found is None:
            found = self._memos[name] = {}
        return found

    def enabled(self, code: str) -> bool:
        """Whether the rule ``code`` runs too: asked by a rule that leaves a case to it (only for the codes
        its metadata lists in ``defers_to``)."""
        if code not in self.rule.defers_to:
            raise ValueError(f"{self.rule.code} asks about {code}, which its RULE does not list in defers_to")
        return code in self.settings.enabled

    def option(self, name: str):
        """The value of the running rule's option ``name`` (from ``[tool.dlint]``, else its default)."""
        default = self.rule.options[name]
        return self.settings.options.get(name, default)

    @property
    def build_context(self):
        """The build context (``dlint.build_context.BuildContext``, plain data: names, kinds, the ignore file's
        matcher, manifests), or None when there is none (standard input, a directory that cannot be listed)."""
        return self.settings.context

    @property
    def project_path(self) -> str:
        """The file's path inside its repository, as the command layer worked it out (or the path as given,
        ``.`` and ``..`` dropped): what ``dlint.dockerfile_path`` reads the image's purpose from."""
        if self.settings.project_path is not None:
            return self.settings.project_path
        from .dockerfile_path import path_in_project

        return path_in_project(self.path)

    @property
    def stages(self) -> List[Stage]:
        return self.doc.stages

    def script(self, ins: Instruction) -> Optional[Script]:
        key = id(ins)
        if key not in self._scripts:
            script = script_of(ins) if (ins.inner or ins).name in ("RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK") else None
            if script is not None and ins.name == "RUN":
                script.keep_tree = self._keep_trees
            self._scripts[key] = script
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
        return is_posix_shell(self.graph.shell_before(stage, ins))

    def shell(self, stage: Stage, ins: Instruction):
        """The SHELL in force for ``ins`` (None for the default /bin/sh -c)."""
        return self.graph.shell_before(stage, ins)

    def _env_errexit(self, ins: Instruction) -> bool:
        """Whether ENV/ARG values in force for ``ins`` may turn on errexit (SHELLOPTS, BASH_ENV)."""
        index = self.graph.stage_index(ins)
        return index is not None and self.graph.env_may_set_errexit(self.graph.stages[index], ins)

    def merge_fix(self, stage: Stage, a: Instruction, b: Instruction, title: str, applicability: str = "safe"):
        """(Fix, "") merging RUN b into RUN a, or (None, reason)."""
        from .merge import merge_fix

        if not self.posix_shell(stage, a):
            return None, "the SHELL is not a POSIX shell"
        return merge_fix(self.doc, a, b, title, applicability, shell=self.shell(stage, a),
                         env_errexit=self._env_errexit(a), memo=self.memo("merge"), scripts=self.script)

    def append_fix(self, stage: Stage, run: Instruction, command: str, title: str, applicability: str = "safe"):
        """(Fix, "") running ``command`` at the end of ``run``, or (None, reason)."""
        from .merge import append_fix

        if not self.posix_shell(stage, run):
            return None, "the SHELL is not a POSIX shell"
        return append_fix(self.doc, run, command, title, applicability, shell=self.shell(stage, run),
                          env_errexit=self._env_errexit(run), memo=self.memo("merge"), scripts=self.script)

    def diagnostic(self, start: int, end: int, message: str, fix: Optional[Fix] = None,
                   no_fix_reason: Optional[str] = None, hadolint: Optional[str] = None,
                   code: Optional[str] = None, severity: Optional[str] = None) -> Diagnostic:
        """A finding of the running rule on ``start``-``end``; ``no_fix_reason``: why there is no fix (kept
        only when ``fix`` is None; reporters show it after the message). ``hadolint``: the hadolint code of
        this finding, one of those the rule declares; by default the rule's own when it declares exactly one
        (a rule that declares several names the one each finding corresponds to, or None); ""
        (``rule.NO_HADOLINT``): none, whatever the rule declares. ``code`` and ``severity``: for a rule that
        reports findings under codes of their own (``Rule.subcodes``), this finding's (its hadolint code is
        then that code: hadolint reports ShellCheck's codes as they are)."""
        rule = self.rule
        if code is None:
            code = rule.code
        elif not rule.owns(code):
            raise ValueError(f"{rule.code} reports a finding as {code}, which its RULE's subcodes do not match")
        if hadolint == "":  # rule.NO_HADOLINT: hadolint has no rule for this finding
            hadolint = None
        elif hadolint is None:
            if code != rule.code:
                hadolint = code if rule.hadolint else None
            elif len(rule.hadolint) == 1:
                hadolint = rule.hadolint[0]
        elif hadolint not in rule.hadolint:
            raise ValueError(f"{rule.code} reports hadolint's {hadolint}, which its RULE does not list")
        line, col = self.doc.line_col(start)
        # Report up to the end of the last non-blank character of the span.
        stop = end
        text = self.doc.text
        while stop > start and text[stop - 1] in "\r\n":
            stop -= 1
        end_line, end_col = self.doc.line_col(stop)
        return Diagnostic(
            path=self.path, line=line, column=col, end_line=end_line, end_column=end_col,
            code=code, name=rule.name, severity=self._severity(rule, code, hadolint, severity),
            message=message, fix=fix, start=start, end=end,
            no_fix_reason=no_fix_reason if fix is None else None, hadolint=hadolint,
        )

    def _severity(self, rule, code: str, hadolint: Optional[str], own: Optional[str]) -> str:
        """The severity of a finding: as the config sets it for its own code (``SC2086``), else for its
        hadolint code (a rule that reports several), else for the rule; else the finding's own (``own``, a
        rule's finding under a code of its own), else the rule's."""
        chosen = self.settings.severity
        for key in (code, hadolint, rule.code):
            if key is not None and key in chosen:
                return chosen[key]
        return own or rule.severity

    def at_command(self, ins: Instruction, start: int, end: int, message: str, fix: Optional[Fix] = None,
                   no_fix_reason: Optional[str] = None, hadolint: Optional[str] = None) -> Diagnostic:
        """A finding about a command at ``start``-``end`` inside ``ins`` (a RUN), reported on the instruction
        (its first line, as hadolint and the other RUN rules report) with the command's place in the message
        when the instruction spans several lines: after a leading `` `command` ``, else at the end."""
        line, col = self.doc.line_col(start)
        first, _ = self.doc.line_col(ins.start)
        if line != first:
            where = f"(line {line}, column {col})"
            close = message.find("`", 1) if message.startswith("`") else -1
            message = (f"{message[:close + 1]} {where}{message[close + 1:]}" if close > 0
                       else f"{message} {where}")
        return self.at_instruction(ins, message, fix, no_fix_reason, hadolint)

    def at_instruction(self, ins: Instruction, message: str, fix: Optional[Fix] = None,
                       no_fix_reason: Optional[str] = None, hadolint: Optional[str] = None) -> Diagnostic:
        start = ins.start
        text = self.doc.text
        while start < ins.end and text[start] in " \t\ufeff":
            start += 1
        return self.diagnostic(start, ins.lines_end, message, fix, no_fix_reason, hadolint)
