"""SARIF 2.1.0, as read by GitHub code scanning and other static analysis viewers."""
from __future__ import annotations

import json
import os
from urllib.parse import quote

from .. import __version__, docs
from ..diagnostics import FileResult
from ..syntax import text_position
from ._common import clean, current_text, fingerprints, report_path

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note", "style": "note"}


def _uri(path: str) -> str:
    """A URI reference: relative to the working directory (where CI checks out), else a file URI."""
    path = report_path(path)
    if os.path.isabs(path):
        return "file://" + quote(path if path.startswith("/") else "/" + path, safe="/:")
    return quote(path, safe="/")


def _rule(rule) -> dict:
    page = docs.page(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": docs.description(rule)},
        "help": {"text": page, "markdown": page},
        "helpUri": docs.rule_url(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity],
                                 "enabled": bool(rule.default_enabled)},
        "properties": {
            "tags": ["dockerfile"],
            "fix": rule.fix,
            "hadolint": list(rule.hadolint),
        },
    }


def _region(text: str, start: int, end: int) -> dict:
    sl, sc = text_position(text, start)
    el, ec = text_position(text, end)
    return {"startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec}


def _fix(r: FileResult, d) -> dict:
    changes = []
    if d.fix.edits:
        changes.append(_change(r.path, current_text(r), d.fix.edits))
    for path, (base, edits) in sorted(d.fix.elsewhere.items()):  # the build context's ignore file
        changes.append(_change(path, base or "", edits))
    return {
        "description": {"text": clean(d.fix.title)},
        "artifactChanges": changes,
        "properties": {"applicability": d.fix.applicability},
    }


def _change(path: str, text: str, edits) -> dict:
    return {
        "artifactLocation": {"uri": _uri(path)},
        "replacements": [
            {"deletedRegion": _region(text, e.start, e.end), "insertedContent": {"text": clean(e.replacement)}}
            for e in sorted(edits, key=lambda e: (e.start, e.end))
        ],
    }


def _result(r: FileResult, d, index: dict, fingerprint: str) -> dict:
    out = {
        "ruleId": d.code,
        "level": LEVELS.get(d.severity, "warning"),
        "message": {"text": clean(d.rendered_message)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(r.path)},
                "region": {"startLine": d.line, "startColumn": d.column,
                           "endLine": d.end_line, "endColumn": d.end_column},
            },
        }],
        "partialFingerprints": {"dlintFinding/v1": fingerprint},
        # what the finding costs in image bytes (null when unknown or not about bytes)
        # the hadolint code of the finding (null when hadolint has none)
        "properties": {"estimated_bytes": d.estimated_bytes,
                       "estimate_basis": None if d.estimate_basis is None else clean(d.estimate_basis),
                       "hadolint": d.hadolint},
    }
    if d.code in index:
        out["ruleIndex"] = index[d.code]
    else:  # a finding reported under a code of its own (``SC2086``): its rule's entry
        from ..rules import owner

        rule = owner(d.code)
        if rule is not None and rule.code in index:
            out["ruleIndex"] = index[rule.code]
    if d.fix is not None and current_text(r) is not None:
        out["fixes"] = [_fix(r, d)]
    return out


def _notification(p) -> dict:
    loc = {"physicalLocation": {"artifactLocation": {"uri": _uri(p.path)}}}
    if p.line:
        loc["physicalLocation"]["region"] = {"startLine": p.line}
    return {"level": "error", "message": {"text": clean(p.message)}, "locations": [loc]}


def report(results: List[FileResult]) -> dict:
    from ..rules import ALL_RULES

    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    out_results = []
    for r in results:
        prints = fingerprints(r)
        for i, d in enumerate(r.diagnostics):
            out_results.append(_result(r, d, index, prints[i]))
    problems = [p for r in results for p in r.problems]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dlint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": docs.PROJECT_URL,
                "rules": [_rule(rule) for rule in ALL_RULES],
            }},
            # dlint counts columns in characters (code points), not UTF-16 units
            "columnKind": "unicodeCodePoints",
            "results": out_results,
            "invocations": [{
                "executionSuccessful": not problems,
                "toolExecutionNotifications": [_notification(p) for p in problems],
            }],
        }],
    }


def render(results: List[FileResult]) -> str:
    return json.dumps(report(results), indent=2, ensure_ascii=False) + "\n"
