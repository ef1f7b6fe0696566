"""D019: an ENV refers to a variable that the same ENV sets."""
from __future__ import annotations

import re

from ..rule import NO_FIX, Rule
from ..syntax import buildkit_words

RULE = Rule(
    code="D019",
    name="env-self-reference",
    severity="error",
    summary="An ENV refers to a variable the same ENV sets: the reference gets the value from before it",
    hadolint=("DL3044",),
    fix=NO_FIX,
)

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _references(raw: str, escape: str):
    """Names a raw ENV value (quotes kept) expands: ``$NAME`` and ``${NAME...}`` outside single quotes,
    not escaped."""
    out = set()
    quote = None
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == escape and quote != "'":
            i += 2
            continue
        if c in "\"'" and (quote is None or quote == c):
            quote = None if quote else c
        elif c == "$" and quote != "'":
            m = _NAME.match(raw, i + 2 if raw.startswith("{", i + 1) else i + 1)
            if m:
                out.add(m.group(0))
                i = m.end()
                continue
        i += 1
    return out


def _pairs(ins, escape):
    words = buildkit_words(ins.args, escape)
    if not words or "=" not in words[0]:
        return []  # the legacy `ENV NAME value` form sets one variable
    return [w.partition("=")[::2] for w in words]


def _declared(ins, escape):
    if ins.name == "ARG":
        return [w.partition("=")[0] for w in buildkit_words(ins.args, escape)]
    words = buildkit_words(ins.args, escape)
    if words and "=" not in words[0]:
        return words[:1]
    return [w.partition("=")[0] for w in words]


def check(ctx):
    escape = ctx.doc.escape
    graph = ctx.graph
    known_global = set(graph.args)
    stage_known = {}
    for stage in ctx.stages:
        parent = graph.bases[stage.index].parent_stage
        known = set(known_global) | (stage_known.get(parent, set()) if parent is not None else set())
        for ins in stage.instructions:
            if ins.name == "ENV":
                pairs = _pairs(ins, escape)
                if len(pairs) > 1:
                    names = [name for name, _ in pairs]
                    bad = []
                    for k, (name, _) in enumerate(pairs):
                        if name in known or name in bad:
                            continue
                        if any(name in _references(value, escape) for j, (_, value) in enumerate(pairs) if j != k):
                            bad.append(name)
                    if bad:
                        shown = ", ".join(f"`{b}`" for b in bad)
                        yield ctx.at_instruction(
                            ins, f"this ENV sets {shown} and refers to {'it' if len(bad) == 1 else 'them'} too: a "
                                 "reference takes the value from before the instruction (the base image's, or empty); set "
                                 f"{'it' if len(bad) == 1 else 'them'} in an ENV of {'its' if len(bad) == 1 else 'their'} own first")
                    known.update(names)
                    continue
            if ins.name in ("ENV", "ARG"):
                known.update(_declared(ins, escape))
        stage_known[stage.index] = known
