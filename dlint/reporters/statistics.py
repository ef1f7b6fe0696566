"""``dlint check --statistics``: how many findings each rule has, how many of them can be fixed, and the
image bytes they waste together (the sum of the findings' estimates; unknown ones left out)."""
from __future__ import annotations

import json
from collections import Counter

from ..diagnostics import FileResult

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List


def counts(results: List[FileResult]) -> List[dict]:
    total = Counter()
    names = {}
    safe = Counter()
    unsafe = Counter()
    wasted = {}  # code -> sum of the known estimates
    for r in results:
        for d in r.diagnostics:
            total[d.code] += 1
            names[d.code] = d.name
            if d.fix is not None:
                (safe if d.fix.applicability == "safe" else unsafe)[d.code] += 1
            if d.estimated_bytes is not None:
                wasted[d.code] = wasted.get(d.code, 0) + d.estimated_bytes
    return [{"code": code, "name": names[code], "count": n, "fixable": safe[code], "unsafe_fixable": unsafe[code],
             "estimated_bytes": wasted.get(code)}
            for code, n in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))]


def render(results: List[FileResult], fmt: str = "text") -> str:
    rows = counts(results)
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if not rows:
        return ""
    from ..estimates import format_bytes

    count_w = max(len(str(r["count"])) for r in rows)
    name_w = max(len(r["name"]) for r in rows)
    sizes = {r["code"]: format_bytes(r["estimated_bytes"]) if r["estimated_bytes"] else "-" for r in rows}
    size_w = max(len(v) for v in sizes.values())
    out = []
    for r in rows:
        notes = []
        if r["fixable"]:
            notes.append(f"{r['fixable']} fixable")
        if r["unsafe_fixable"]:
            notes.append(f"{r['unsafe_fixable']} fixable with --unsafe-fixes")
        out.append(f"{r['count']:>{count_w}}  {r['code']:<5} {r['name']:<{name_w}}  {sizes[r['code']]:>{size_w}}  "
                   f"{', '.join(notes)}".rstrip())
    return "\n".join(out) + "\n"
