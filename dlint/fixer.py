"""Applies fixes: edits until nothing changes, re-parsed each round; atomic, mode-keeping writes."""
from __future__ import annotations

import difflib
import os
import sys
import tempfile

from .diagnostics import Diagnostic, Edit, FileResult, InputProblem
from .engine import Settings, run_rules
from .syntax import DockerfileSyntaxError, decode, encode, parse

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List, Optional

MAX_ROUNDS = 100


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:
        return a.start <= b.end and b.start <= a.end
    return a.start < b.end and b.start < a.end


def apply_edits(text: str, edits: List[Edit]) -> str:
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def choose_fixes(diags: List[Diagnostic], unsafe: bool) -> List[Edit]:
    """Edits of the fixes that apply, skipping any fix that touches an edit already chosen."""
    chosen: List[Edit] = []
    for d in sorted(diags, key=lambda d: (d.start, d.code)):
        fix = d.fix
        if fix is None or (fix.applicability != "safe" and not unsafe):
            continue
        if any(_overlaps(e, c) for e in fix.edits for c in chosen):
            continue  # applied in a later round, recomputed on the new text
        chosen.extend(fix.edits)
    return chosen


def fix_text(path: str, text: str, settings: Settings, unsafe: bool):
    """(new text, remaining diagnostics, problem or None)."""
    from .rules import ALL_RULES

    original = text
    doc = parse(text)
    for _ in range(MAX_ROUNDS):
        diags = run_rules(path, doc, settings, ALL_RULES)
        edits = choose_fixes(diags, unsafe)
        if not edits:
            return text, diags, None
        new_text = apply_edits(text, edits)
        try:
            new_doc = parse(new_text)
        except DockerfileSyntaxError as exc:
            return original, run_rules(path, parse(original), settings, ALL_RULES), InputProblem(
                path, exc.line, f"a fix produced text that does not parse ({exc.message}); file left unchanged")
        if len(new_doc.stages) != len(doc.stages):
            return original, run_rules(path, parse(original), settings, ALL_RULES), InputProblem(
                path, None, "a fix changed the stages; file left unchanged")
        text, doc = new_text, new_doc
    return original, run_rules(path, parse(original), settings, ALL_RULES), InputProblem(
        path, None, f"fixes did not settle after {MAX_ROUNDS} rounds; file left unchanged")


def fix_source(path: str, data: bytes, settings: Settings, unsafe: bool = False) -> FileResult:
    from .runner import validate

    text = decode(data)
    result = FileResult(path, source=text)
    doc, problems = validate(path, data, text)
    result.problems = problems
    if doc is None or not doc.instructions:
        return result
    blocking = [p for p in problems if not p.message.startswith("invalid UTF-8")]
    if blocking:
        # still report what we can, but never rewrite a file that is not a valid Dockerfile
        from .rules import ALL_RULES

        result.diagnostics = run_rules(path, doc, settings, ALL_RULES)
        return result
    new_text, diags, problem = fix_text(path, text, settings, unsafe)
    result.diagnostics = diags
    if problem is not None:
        result.problems.append(problem)
    if new_text != text:
        result.fixed = new_text
    return result


class WriteError(Exception):
    pass


def atomic_write(path: str, data: bytes, expected: Optional[bytes] = None) -> None:
    """Write via a temporary file in the same directory and rename; keeps mode bits; writes through symlinks
    to their target. If ``expected`` is given and the file no longer holds it, nothing is written."""
    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    st = os.stat(target)
    if expected is not None:
        with open(target, "rb") as fh:
            if fh.read() != expected:
                raise WriteError("file changed on disk since it was read; skipped")
    fd, tmp = tempfile.mkstemp(prefix=".dlint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, st.st_mode & 0o7777)
        try:
            os.chown(tmp, st.st_uid, st.st_gid)
        except OSError:
            pass
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_results(results: List[FileResult], *, diff: bool, stdin: bool, quiet: bool, color: bool) -> int:
    import click

    from .reporters.text import render

    changed = False
    for r in results:
        for p in r.problems:
            click.echo(p.render(), err=True)
        if r.from_stdin and not diff:
            if r.source is not None:
                sys.stdout.buffer.write(encode(r.fixed if r.fixed is not None else r.source))
            continue
        if r.fixed is None:
            continue
        changed = True
        if diff:
            a = r.source.splitlines(True)
            b = r.fixed.splitlines(True)
            out = "".join(difflib.unified_diff(a, b, f"a/{r.path}", f"b/{r.path}"))
            sys.stdout.buffer.write(encode(out if out.endswith("\n") else out + "\n"))
            continue
        try:
            atomic_write(r.path, encode(r.fixed), expected=encode(r.source))
        except (OSError, WriteError) as exc:
            msg = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            r.problems.append(InputProblem(r.path, None, f"not written: {msg}"))
            click.echo(r.problems[-1].render(), err=True)
            continue
        if not quiet:
            click.echo(f"fixed {r.path}", err=True)
    if not quiet:
        remaining = render(results, color=color)
        if diff or any(r.from_stdin for r in results):
            sys.stderr.write(remaining)
        else:
            sys.stdout.write(remaining)
    if any(r.problems for r in results):
        return 2
    if diff and changed:
        return 1
    if any(r.diagnostics for r in results):
        return 1
    return 0
