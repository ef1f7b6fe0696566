"""C003: a COPY/ADD names a source that the .dockerignore leaves out of the build context."""
from __future__ import annotations

import posixpath

from ..rule import NO_FIX, Rule

RULE = Rule(
    code="C003",
    name="copy-ignored-file",
    severity="warning",
    summary="A COPY or ADD source is excluded by the .dockerignore, so the build does not have it",
    fix=NO_FIX,
)


def _sources(ins):
    if ins.name not in ("COPY", "ADD") or ins.flag("from") is not None:
        return []
    words = ins.words()[:-1]
    out = []
    for w in words:
        if w.startswith("<<") or "://" in w or w.startswith("git@") or "$" in w or any(c in w for c in "*?[\\"):
            continue
        if ins.json is None and (w[:1] in "\"'"):
            continue
        clean = posixpath.normpath(w.lstrip("/")) if w.strip("/") else "."
        if clean == "." or clean.startswith(".."):
            continue
        out.append((w, clean))
    return out


def check(ctx):
    bc = ctx.build_context
    if bc is None or bc.matcher is None:
        return
    for stage in ctx.stages:
        for ins in stage.instructions:
            for written, path in _sources(ins):
                # an exception (``!dir/file``) that lets in something beneath an excluded directory: the
                # build has the directory with what the exceptions keep (an allow-list ignore file)
                if bc.excluded(path) and not any(not bc.excluded(p) for p in bc.under(path)):
                    yield ctx.at_instruction(ins, f"`{written}` is excluded by {bc.ignore_name}: the build context does "
                                                  "not hold it, so this copy fails or copies less than it names")
