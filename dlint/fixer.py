"""Applies fixes to text: edits until nothing changes, re-parsed each round. Text in, text and findings out:
no reading, writing or printing here (files are written by ``dlint.writing``, results shown by
``dlint.commands``)."""
from __future__ import annotations

import bisect

from .diagnostics import Diagnostic, Edit, FileResult, InputProblem, apply_edits
from .engine import check_rules
from .syntax import DockerfileSyntaxError, decode, encode, parse
from .validation import internal_error, validate, warnings_for

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List

    from .settings import Settings

MAX_ROUNDS = 100



def choose_fixes(diags: List[Diagnostic], unsafe: bool) -> List[Edit]:
    """Edits of the fixes that apply, skipping any fix that touches an edit already chosen. (A fix that would
    move an ignore comment never gets here: the engine reports that finding without a fix.)"""
    chosen: List[Edit] = []  # sorted by start; they do not overlap one another
    starts: List[int] = []
    for d in sorted(diags, key=lambda d: (d.start, d.code)):
        fix = d.fix
        if fix is None or (fix.applicability != "safe" and not unsafe):
            continue
        if any(_touches_chosen(e, chosen, starts) for e in fix.edits):
            continue  # applied in a later round, recomputed on the new text
        for e in fix.edits:
            i = bisect.bisect_right(starts, e.start)
            starts.insert(i, e.start)
            chosen.insert(i, e)
    return chosen


def _touches_chosen(e: Edit, chosen: List[Edit], starts: List[int]) -> bool:
    """Whether ``e`` overlaps a chosen edit: only the neighbours around its place in start order can."""
    i = bisect.bisect_left(starts, e.start)
    j = i - 1
    while j >= 0 and chosen[j].end >= e.start:  # chosen edits end in start order: earlier ones end sooner
        if e.overlaps(chosen[j]):
            return True
        j -= 1
    while i < len(chosen) and chosen[i].start <= e.end:
        if e.overlaps(chosen[i]):
            return True
        i += 1
    return False


def fix_text(path: str, text: str, settings: Settings, unsafe: bool, doc=None):
    """(new text, remaining diagnostics, problem or None); ``doc``: ``text`` already parsed.

    Every round's result must parse and keep the stages; otherwise, or if fixes do not settle, the text is
    left as it was (with the findings on it) and the problem says why."""
    from .rules import ALL_RULES

    original = text
    if doc is None:
        doc = parse(text)
    first = None  # the findings on the original text

    def unchanged(line, message):
        return original, first, InputProblem(path, line, f"{message}; file left unchanged")

    # A round may merge only one pair of a run of instructions, so long files may need as many rounds
    # as they have instructions; fixes that undo each other are caught by seeing a text again.
    limit = MAX_ROUNDS + len(doc.instructions)
    seen = {hash(text)}
    for _ in range(limit):
        diags = check_rules(path, doc, settings, ALL_RULES)
        if first is None:
            first = diags
        edits = choose_fixes(diags, unsafe)
        if not edits:
            try:
                encode(text)
            except UnicodeError:
                return unchanged(None, "a fix produced text that cannot be written back as the file's bytes")
            return text, diags, None
        new_text = apply_edits(text, edits)
        if hash(new_text) in seen:
            codes = ", ".join(sorted({d.code for d in diags if d.fix is not None}))
            return unchanged(None, f"fixes undo each other ({codes})")
        seen.add(hash(new_text))
        try:
            new_doc = parse(new_text)
        except DockerfileSyntaxError as exc:
            return unchanged(exc.line, f"a fix produced text that does not parse ({exc.message})")
        if len(new_doc.stages) != len(doc.stages):
            return unchanged(None, "a fix changed the stages")
        text, doc = new_text, new_doc
    return unchanged(None, f"fixes did not settle after {limit} rounds")


def fix_source(path: str, data: bytes, settings: Settings, unsafe: bool = False) -> FileResult:
    try:
        return _fix_source(path, data, settings, unsafe)
    except Exception as exc:  # a bug in dlint: reported for this file, the others are still fixed
        return FileResult(path, problems=[internal_error(path, exc)], source=decode(data))


def _fix_source(path: str, data: bytes, settings: Settings, unsafe: bool) -> FileResult:
    text = decode(data)
    result = FileResult(path, source=text)
    doc, problems = validate(path, data, text)
    result.problems = problems
    if doc is None or not doc.instructions:
        return result
    result.warnings = warnings_for(path, doc)
    if any(p.blocks_fix for p in problems):
        # still report what we can, but never rewrite a file that is not a valid Dockerfile
        from .rules import ALL_RULES

        result.diagnostics = check_rules(path, doc, settings, ALL_RULES)
        return result
    new_text, diags, problem = fix_text(path, text, settings, unsafe, doc)
    result.diagnostics = diags
    if problem is not None:
        result.problems.append(problem)
    if new_text != text:
        result.fixed = new_text
    return result
