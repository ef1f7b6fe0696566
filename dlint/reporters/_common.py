"""Helpers shared by the machine-readable formats: paths, positions, levels, fingerprints, safe text."""
from __future__ import annotations

import hashlib
import os
import re

from ..diagnostics import Diagnostic, FileResult

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, Iterator, List, Tuple

# Undecodable bytes are read as lone surrogates (surrogateescape); they cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters XML 1.0 does not allow, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def clean_xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def report_path(path: str) -> str:
    """The path with forward slashes, relative to the working directory when it lies below it."""
    if path == "-":
        return path
    if os.path.isabs(path):
        rel = os.path.relpath(path, os.getcwd())
        if not rel.startswith(".."):
            path = rel
    path = path.replace(os.sep, "/")
    while path.startswith("./"):
        path = path[2:]
    return clean(path)


def findings(results: List[FileResult]) -> Iterator[Tuple[FileResult, Diagnostic]]:
    for r in results:
        for d in r.diagnostics:
            yield r, d


def current_text(result: FileResult):
    """The text the findings' positions refer to: the fixed text once fixes were applied."""
    return result.fixed if result.fixed is not None else result.source


def flagged_text(result: FileResult, d: Diagnostic) -> str:
    text = current_text(result)
    if text is not None and d.end > d.start:
        return " ".join(text[d.start:d.end].split())
    return re.sub(r"\d+", "N", d.rendered_message)  # line numbers in messages move with edits above


def fingerprints(result: FileResult) -> Dict[int, str]:
    """A fingerprint per finding of a file (by index): the path, the rule, and the flagged source text,
    plus how many identical ones came before. Line numbers are left out, so edits elsewhere in the file
    keep the fingerprint."""
    seen: Dict[Tuple[str, str], int] = {}
    out: Dict[int, str] = {}
    path = report_path(result.path)
    for i, d in enumerate(result.diagnostics):
        key = (d.code, flagged_text(result, d))
        n = seen.get(key, 0)
        seen[key] = n + 1
        data = "\0".join((path, d.code, key[1], str(n)))
        out[i] = hashlib.sha256(data.encode("utf-8", "surrogateescape")).hexdigest()
    return out
