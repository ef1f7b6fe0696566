"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""
from __future__ import annotations

from ..diagnostics import FileResult
from ._common import clean, report_path

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List

COMMANDS = {"error": "error", "warning": "warning", "info": "notice", "style": "notice"}


def escape_data(text: str) -> str:
    return clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props) -> str:
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{kind} {fields}::{escape_data(message)}" if fields else f"::{kind}::{escape_data(message)}"


def render(results: List[FileResult]) -> str:
    out = []
    for r in results:
        for p in r.problems:
            title = "dlint: cannot check" if p.blocks_fix else "dlint: input problem"  # the latter: checked anyway
            out.append(command("error", p.message, file=report_path(p.path), line=p.line, title=title))
        for d in r.diagnostics:
            out.append(command(COMMANDS.get(d.severity, "warning"), d.rendered_message, file=report_path(d.path), line=d.line,
                               col=d.column, endLine=d.end_line, endColumn=d.end_column,
                               title=f"{d.code} {d.name}"))
    return "".join(line + "\n" for line in out)
