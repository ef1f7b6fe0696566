"""Human-readable output: ``path:line:col: CODE [severity] message`` and the source line with a marker."""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List


_COLORS = {"error": "31", "warning": "33", "info": "36", "style": "35"}


def _c(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def fix_preview(source: str, fix, color: bool = False) -> List[str]:
    """The lines a fix changes, as removed (-) and added (+) lines (then those of the other files it edits)."""
    from ..diagnostics import apply_edits

    out: List[str] = []
    _preview_lines(out, source, apply_edits(source, fix.edits), color)
    for path, (base, edits) in sorted(getattr(fix, "elsewhere", {}).items()):  # the build context's ignore file
        import os

        rel = os.path.relpath(path)
        out.append(f"         in {path if rel.startswith('..') else rel}" + (" (created)" if base is None else "") + ":")
        _preview_lines(out, base or "", apply_edits(base or "", edits), color)
    return out


def _preview_lines(out: List[str], source: str, new: str, color: bool) -> None:
    import difflib  # only when fixes are shown: not worth its import on every check

    first = len(out)
    for line in difflib.unified_diff(source.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if len(out) > first:
                out.append("         ...")
            continue
        text = line[1:].replace("\ufeff", "").expandtabs(1).encode("utf-8", "replace").decode("utf-8")
        out.append("         " + _c(f"{line[0]} {text}", "31" if line[0] == "-" else "32", color))


def render(results, *, color: bool = False, show_fixes: bool = False, quiet: bool = False) -> str:
    out: List[str] = []
    for r in results:
        # after fixing, the findings that remain are positions in the fixed text
        source = r.fixed if r.fixed is not None else r.source
        lines = source.splitlines() if source is not None else []
        for d in r.diagnostics:
            head = f"{_c(d.path, '1', color)}:{d.line}:{d.column}: {_c(d.code, '1;' + _COLORS.get(d.severity, '0'), color)} [{d.severity}] {d.rendered_message}"
            out.append(head)
            if quiet and not show_fixes:
                continue
            if not quiet and 0 < d.line <= len(lines):
                src = lines[d.line - 1].replace("\ufeff", "").expandtabs(1).encode("utf-8", "replace").decode("utf-8")
                width = max(1, (d.end_column - d.column) if d.end_line == d.line else len(src) - d.column + 1)
                out.append(f"  {d.line:>4} | {src}")
                out.append(f"       | {' ' * (d.column - 1)}{_c('^' * width, _COLORS.get(d.severity, '0'), color)}")
            if d.estimated_bytes:  # what the finding costs; nothing said when unknown or nothing
                from ..estimates import format_bytes

                out.append(f"       = {format_bytes(d.estimated_bytes)}: {d.estimate_basis}")
            if d.fix is not None:
                tag = "fix available" if d.fix.applicability == "safe" else "unsafe fix available (--unsafe-fixes)"
                out.append(f"       = {tag}: {d.fix.title}")
                if show_fixes and source is not None:
                    out.extend(fix_preview(source, d.fix, color))
    if not quiet:
        line = summary(results)
        if line:
            out.append(line)
    return "\n".join(out) + ("\n" if out else "")


def summary(results) -> str:
    """``Found 5 findings in 2 files: 3 fixable with `dlint fix`, 1 with --unsafe-fixes.``"""
    diags = [d for r in results for d in r.diagnostics]
    if not diags:
        return ""
    files = len({r.path for r in results if r.diagnostics})
    safe = sum(1 for d in diags if d.fix is not None and d.fix.applicability == "safe")
    unsafe = sum(1 for d in diags if d.fix is not None and d.fix.applicability != "safe")
    text = f"Found {len(diags)} finding{'s' * (len(diags) != 1)} in {files} file{'s' * (files != 1)}"
    fixes = []
    if safe:
        fixes.append(f"{safe} fixable with `dlint fix`")
    if unsafe:
        fixes.append(f"{unsafe} fixable with `dlint fix --unsafe-fixes`")
    return text + (": " + ", ".join(fixes) if fixes else "") + "."
