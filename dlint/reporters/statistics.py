"""``dlint check --statistics``: how many findings each rule has, and how many of them can be fixed."""
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
    for r in results:
        for d in r.diagnostics:
            total[d.code] += 1
            names[d.code] = d.name
            if d.fix is not None:
                (safe if d.fix.applicability == "safe" else unsafe)[d.code] += 1
    return [{"code": code, "name": names[code], "count": n, "fixable": safe[code], "unsafe_fixable": unsafe[code]}
            for code, n in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))]


def render(results: List[FileResult], fmt: str = "text") -> str:
    rows = counts(results)
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    if not rows:
        return ""
    count_w = max(len(str(r["count"])) for r in rows)
    name_w = max(len(r["name"]) for r in rows)
    out = []
    for r in rows:
        notes = []
        if r["fixable"]:
            notes.append(f"{r['fixable']} fixable")
        if r["unsafe_fixable"]:
            notes.append(f"{r['unsafe_fixable']} fixable with --unsafe-fixes")
        out.append(f"{r['count']:>{count_w}}  {r['code']:<5} {r['name']:<{name_w}}  {', '.join(notes)}".rstrip())
    return "\n".join(out) + "\n"
