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



def choose_fixes(diags: List[Diagnostic], unsafe: bool, others=None) -> List[Edit]:
    """Edits of the fixes that apply, skipping any fix that touches an edit already chosen. (A fix that would
    move an ignore comment never gets here: the engine reports that finding without a fix.)

    ``others``: {path: current text (None: absent)} of the files beside the Dockerfile that fixes may edit;
    a fix with edits elsewhere applies only when that file is one of them and its edits refer to its current
    text, and its edits there are added to ``others_chosen`` (path -> edits) when given as ``others``'s
    companion (see ``fix_text``). Without ``others``, fixes with edits elsewhere are skipped."""
    chosen: List[Edit] = []  # sorted by start; they do not overlap one another
    starts: List[int] = []
    side = {} if others is None else others.setdefault(_CHOSEN, {})
    for d in sorted(diags, key=lambda d: (d.start, d.code)):
        fix = d.fix
        if fix is None or (fix.applicability != "safe" and not unsafe):
            continue
        if fix.elsewhere:
            if others is None or any(path not in others or others[path] != base
                                     for path, (base, _) in fix.elsewhere.items()):
                continue  # a file this run may not write, or edits made on an older text of it
            if any(e.overlaps(c) for path, (_, edits) in fix.elsewhere.items() for e in edits
                   for c in side.get(path, ())):
                continue
        if any(_touches_chosen(e, chosen, starts) for e in fix.edits):
            continue  # applied in a later round, recomputed on the new text
        for e in fix.edits:
            i = bisect.bisect_right(starts, e.start)
            starts.insert(i, e.start)
            chosen.insert(i, e)
        for path, (_, edits) in fix.elsewhere.items():
            side.setdefault(path, []).extend(edits)
    return chosen


_CHOSEN = object()  # key of ``others`` under which ``choose_fixes`` leaves the edits chosen elsewhere


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
    """(new text, remaining diagnostics, problem or None); ``doc``: ``text`` already parsed."""
    new_text, diags, problem, _ = fix_files(path, text, settings, unsafe, doc)
    return new_text, diags, problem


def _editable_files(settings: Settings) -> dict:
    """{absolute path: text (None: absent)} of the files beside the Dockerfile that fixes may edit: the build
    context's ignore file (the one in use, or a new ``.dockerignore`` at the context root when there is none),
    only when the command may write it (``settings.context_fixes``) and the build accepts the one there."""
    bc = settings.context
    if bc is None or not settings.context_fixes or getattr(bc, "ignore_error", "x") is not None:
        return {}
    return {bc.ignore_target(): bc.ignore_text}


def fix_files(path: str, text: str, settings: Settings, unsafe: bool, doc=None):
    """(new text, remaining diagnostics, problem or None, other files); ``doc``: ``text`` already parsed.
    Other files: {absolute path: (text before or None when absent, new text)} of the files beside the
    Dockerfile that fixes changed (``Fix.elsewhere``); the build context the rules see follows them from
    round to round.

    Every round's result must parse and keep the stages; otherwise, or if fixes do not settle, the text is
    left as it was (with the findings on it, and no other file changed) and the problem says why."""
    import copy

    from .rules import ALL_RULES

    original = text
    if doc is None:
        doc = parse(text)
    first = None  # the findings on the original text
    editable = _editable_files(settings)
    before = dict(editable)
    current = dict(editable)

    def unchanged(line, message):
        return original, first, InputProblem(path, line, f"{message}; file left unchanged"), {}

    # A round may merge only one pair of a run of instructions, so long files may need as many rounds
    # as they have instructions; fixes that undo each other are caught by seeing a text again.
    limit = MAX_ROUNDS + len(doc.instructions)
    seen = {hash((text, tuple(sorted(current.items(), key=lambda kv: kv[0]))))}
    for _ in range(limit):
        diags = check_rules(path, doc, settings, ALL_RULES)
        if first is None:
            first = diags
        others = dict(current) if current else None
        edits = choose_fixes(diags, unsafe, others)
        side = others.pop(_CHOSEN, {}) if others is not None else {}
        if not edits and not side:
            try:
                encode(text)
            except UnicodeError:
                return unchanged(None, "a fix produced text that cannot be written back as the file's bytes")
            changed = {p: (before[p], t) for p, t in current.items() if t != before[p]}
            return text, diags, None, changed
        new_text = apply_edits(text, edits) if edits else text
        for other, other_edits in side.items():
            current[other] = apply_edits(current[other] or "", other_edits)
        key = hash((new_text, tuple(sorted(current.items(), key=lambda kv: kv[0]))))
        if key in seen:
            codes = ", ".join(sorted({d.code for d in diags if d.fix is not None}))
            return unchanged(None, f"fixes undo each other ({codes})")
        seen.add(key)
        if side:  # the rules of the next round see the build context as the new ignore file makes it
            settings = copy.copy(settings)
            bc = settings.context
            for other in side:
                bc = bc.with_ignore_text(other, current[other])
            settings.context = bc
        if edits:
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
    new_text, diags, problem, others = fix_files(path, text, settings, unsafe, doc)
    result.diagnostics = diags
    if problem is not None:
        result.problems.append(problem)
    if new_text != text:
        result.fixed = new_text
    result.other_files = others
    return result
