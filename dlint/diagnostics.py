"""Findings and the text edits that fix them."""
from __future__ import annotations

from ._dataclass import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Tuple

SEVERITIES = ("error", "warning", "info", "style")  # most to least severe


def severity_rank(severity: str) -> int:
    """Higher is more severe."""
    return len(SEVERITIES) - SEVERITIES.index(severity)


@dataclass(frozen=True)
class Edit:
    start: int  # file offsets (str index into the decoded text)
    end: int
    replacement: str

    def overlaps(self, other: "Edit") -> bool:
        """Whether the two edits touch the same text (an insertion touches the spans it borders)."""
        if self.start == self.end or other.start == other.end:
            return self.start <= other.end and other.start <= self.end
        return self.start < other.end and other.start < self.end


def apply_edits(text: str, edits: List[Edit]) -> str:
    """``text`` with ``edits`` (which must not overlap) applied."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


@dataclass
class Fix:
    title: str
    applicability: str  # an ``Applicability`` (dlint.rule): SAFE or UNSAFE
    edits: List[Edit]
    # Edits to files beside the Dockerfile (today only the build context's ignore file): absolute path ->
    # (the text the edits' offsets refer to, None when the file does not exist yet and is to be created;
    # the edits). The fixer applies them with the Dockerfile's own edits, ``dlint fix`` writes them.
    elsewhere: Dict[str, Tuple[Optional[str], List[Edit]]] = field(default_factory=dict)


@dataclass
class Diagnostic:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: str
    message: str
    fix: Optional[Fix] = None
    start: int = 0  # file offsets of the reported span
    end: int = 0
    # What the finding costs in image bytes (``dlint.estimates``): None when unknown or not about bytes.
    estimated_bytes: Optional[int] = None
    estimate_basis: Optional[str] = None  # what the number stands for, in a few words
    no_fix_reason: Optional[str] = None  # when ``fix`` is None: why dlint offers none (None: not said)
    # The hadolint code (DL3009) that reports what this finding reports, None when hadolint has none.
    hadolint: Optional[str] = None

    @property
    def rendered_message(self) -> str:
        """The message as every report shows it: with the reason there is no fix, when one is given."""
        if self.no_fix_reason is None:
            return self.message
        return f"{self.message} (no automatic fix: {self.no_fix_reason})"

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def to_json(self) -> dict:
        return {
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "code": self.code,
            "name": self.name,
            "hadolint": self.hadolint,
            "severity": self.severity,
            "message": self.rendered_message,
            "fixable": self.fix is not None,
            "fix_applicability": self.fix.applicability if self.fix else None,
            "fix": None if self.fix is None else {
                "title": self.fix.title,
                "edits": [{"start": e.start, "end": e.end, "replacement": e.replacement} for e in self.fix.edits],
                **({"other_files": [{"file": path, "creates": base is None,
                                     "edits": [{"start": e.start, "end": e.end, "replacement": e.replacement}
                                               for e in edits]}
                                    for path, (base, edits) in sorted(self.fix.elsewhere.items())]}
                   if self.fix.elsewhere else {}),
            },
            "estimated_bytes": self.estimated_bytes,
            "estimate_basis": self.estimate_basis,
        }


@dataclass
class InputProblem:
    """Something wrong with an input file: reported as an error, exit code 2.

    Most problems mean the file is no valid Dockerfile (or could not be read or written): it is never
    rewritten. Those with ``blocks_fix`` False are mistakes BuildKit builds anyway (bytes that are not
    UTF-8, an exec form that is not valid JSON, a continuation at the end of the file): the file is
    checked and fixed as usual, and the problem is still reported."""

    path: str
    line: Optional[int]
    message: str
    blocks_fix: bool = True
    level: str = "error"  # "warning": something dlint cannot follow or apply; it does not change the exit code

    def render(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.level}: {self.message}"


@dataclass
class FileResult:
    path: str
    diagnostics: List[Diagnostic] = field(default_factory=list)
    problems: List[InputProblem] = field(default_factory=list)
    source: Optional[str] = None
    fixed: Optional[str] = None  # new text when fixing changed something
    warnings: List[InputProblem] = field(default_factory=list)  # printed on stderr; exit code unchanged
    from_stdin: bool = False
    # Files beside the Dockerfile that fixing changes (``Fix.elsewhere``): absolute path -> (their text before,
    # None when the fix creates the file; their new text).
    other_files: Dict[str, Tuple[Optional[str], str]] = field(default_factory=dict)
