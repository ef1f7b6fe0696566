"""Checking one file: its bytes in, its findings and problems out (no reading, no printing)."""
from __future__ import annotations

from .diagnostics import FileResult, InputProblem
from .engine import check_rules
from .stages import unknown_target
from .validation import internal_error, validate, warnings_for
from .syntax import decode

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from .settings import Settings


def check_source(path: str, data: bytes, settings: Settings) -> FileResult:
    try:
        return _check_source(path, data, settings)
    except Exception as exc:  # a bug in dlint: reported for this file, the others are still checked
        return FileResult(path, problems=[internal_error(path, exc)])


def _check_source(path: str, data: bytes, settings: Settings) -> FileResult:
    from .rules import ALL_RULES

    text = decode(data)
    result = FileResult(path, source=text)
    doc, problems = validate(path, data, text)
    result.problems = problems
    if doc is not None and doc.instructions:
        result.warnings = warnings_for(path, doc)
        result.diagnostics = check_rules(path, doc, settings, ALL_RULES)
        missing = unknown_target(doc, settings.target)
        if missing:
            result.problems.append(InputProblem(path, None, missing))
    return result
