"""D024: an ignore comment on one instruction (``# hadolint ignore=``, ``# dlint: ignore=``), for projects that
keep every exception in their config."""
from __future__ import annotations

from ..rule import Rule
from ..suppressions import inline_ignore
from ..syntax import Comment

RULE = Rule(
    code="D024",
    name="inline-ignore-comment",
    severity="style",
    summary="An ignore comment in the Dockerfile hides findings where the project's config does not show them",
    hadolint=("DL1001",),
    default_enabled=False,
)


def check(ctx):
    for node in ctx.doc.nodes:
        if not isinstance(node, Comment):
            continue
        form = inline_ignore(node.text)
        if form is None:
            continue
        start = node.start
        text = ctx.doc.text
        while start < node.end and text[start] in " \t\ufeff":
            start += 1
        yield ctx.diagnostic(start, node.end, f"`{form}` hides findings in this file: the project's rules "
                                              "keep exceptions in the config (ignore, per-file-ignores)")
