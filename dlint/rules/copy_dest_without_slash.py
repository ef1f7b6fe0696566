"""D006: COPY with several sources into a destination that does not end with ``/``."""
from __future__ import annotations

import json

from ..diagnostics import Edit, Fix
from ..rule import SAFE, Rule

RULE = Rule(
    code="D006",
    name="copy-dest-without-slash",
    severity="error",
    summary="COPY with more than one source needs a destination ending with /",
    hadolint=("DL3021",),
    fix=SAFE,
)


def _dest_span(ins, dest):
    """File offsets of the destination word as written, or None."""
    if ins.json is not None:
        logical = ins.logical
        end = logical.rfind("]")
        quoted = json.dumps(dest, ensure_ascii=False)
        at = logical.rfind(quoted, 0, end)
        if at < 0 or logical.rfind('"', 0, end) != at + len(quoted) - 1:
            return None
        start, stop = ins.file_offset(at + 1), ins.file_end_offset(at + len(quoted) - 1)
        return (start, stop) if stop - start == len(dest) and "\\" not in quoted else None
    at = ins.args_offset + len(ins.args) - len(dest)
    if not ins.args.endswith(dest):
        return None
    start, stop = ins.file_offset(at), ins.file_end_offset(at + len(dest))
    return (start, stop) if stop - start == len(dest) else None


def check(ctx):
    for ins in ctx.doc.instructions:
        if ins.name != "COPY":
            continue
        words = ins.words()
        sources = words[:-1]
        if len(sources) < 2:
            continue
        dest = words[-1]
        bare = dest.strip("\"'")
        if bare.endswith(("/", "\\")) or "$" in bare:
            continue
        fix = None
        span = _dest_span(ins, dest)
        if span is not None and dest == bare:
            fix = Fix("Add / to the destination", SAFE, [Edit(span[1], span[1], "/")])
        yield ctx.at_instruction(ins, f"COPY with {len(sources)} sources into `{dest}`: with more than one source the "
                                      f"destination must be a directory and end with `/` (`{bare}/`)", fix)
