"""Human-readable output: ``path:line:col: CODE [severity] message`` and the source line with a marker."""
from __future__ import annotations

from typing import List

_COLORS = {"error": "31", "warning": "33", "info": "36", "style": "35"}


def _c(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def render(results, *, color: bool = False, show_fixes: bool = False, quiet: bool = False) -> str:
    out: List[str] = []
    for r in results:
        lines = r.source.splitlines() if r.source is not None else []
        for d in r.diagnostics:
            head = f"{_c(d.path, '1', color)}:{d.line}:{d.column}: {_c(d.code, '1;' + _COLORS.get(d.severity, '0'), color)} [{d.severity}] {d.message}"
            out.append(head)
            if quiet:
                continue
            if 0 < d.line <= len(lines):
                src = lines[d.line - 1].replace("\ufeff", "").expandtabs(1).encode("utf-8", "replace").decode("utf-8")
                width = max(1, (d.end_column - d.column) if d.end_line == d.line else len(src) - d.column + 1)
                out.append(f"  {d.line:>4} | {src}")
                out.append(f"       | {' ' * (d.column - 1)}{_c('^' * width, _COLORS.get(d.severity, '0'), color)}")
            if d.fix is not None:
                tag = "fix available" if d.fix.applicability == "safe" else "unsafe fix available (--unsafe-fixes)"
                out.append(f"       = {tag}: {d.fix.title}")
                if show_fixes:
                    for e in d.fix.edits:
                        out.append(f"         replace offsets {e.start}-{e.end} with {e.replacement!r}")
    return "\n".join(out) + ("\n" if out else "")
