"""GitLab Code Quality report (the ``codequality`` artifact of a job): a JSON array of issues."""
from __future__ import annotations

import hashlib
import json

from ..diagnostics import FileResult
from ._common import clean, fingerprints, report_path

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List

SEVERITIES = {"error": "critical", "warning": "major", "info": "minor", "style": "info"}


def render(results: List[FileResult]) -> str:
    issues = []
    for r in results:
        path = report_path(r.path)
        for p in r.problems:
            # a file that is no valid Dockerfile blocks everything else about it; a mistake BuildKit builds
            # anyway (the file is still checked) is as severe as an error finding
            digest = hashlib.sha256("\0".join((path, "input", p.message)).encode("utf-8", "surrogateescape"))
            issues.append({
                "type": "issue",
                "description": clean(p.message),
                "check_name": "dlint-input",
                "fingerprint": digest.hexdigest(),
                "severity": "blocker" if p.blocks_fix else SEVERITIES["error"],
                "location": {"path": path, "lines": {"begin": p.line or 1}},
            })
        prints = fingerprints(r)
        for i, d in enumerate(r.diagnostics):
            issues.append({
                "type": "issue",
                "description": clean(f"{d.code} {d.rendered_message}"),
                "check_name": f"{d.code} {d.name}",
                "fingerprint": prints[i],
                "severity": SEVERITIES.get(d.severity, "major"),
                "categories": ["Performance"],
                "location": {"path": path, "lines": {"begin": d.line, "end": d.end_line}},
            })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
