"""S002: the image that ships runs as root because its last USER is root."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ._stage_refs import unquote

RULE = Rule(
    code="S002",
    name="root-user",
    severity="warning",
    summary="The last USER of the image that ships is root: its processes run as root",
    hadolint=("DL3002",),
    fix=NO_FIX,
    default_enabled=False,  # base, CI and dev images often stay root on purpose; entrypoints may drop privileges
)


def is_root(user: str) -> bool:
    name = unquote(user.strip()).split(":", 1)[0]
    return name in ("root", "0")


def check(ctx):
    graph = ctx.graph
    if graph.production is None:
        return
    # The stage whose USER is in force: the production stage, or the nearest stage it builds on with a USER.
    for index in graph.chain(graph.production):
        users = [ins for ins in graph.stages[index].instructions if ins.name == "USER"]
        if not users:
            continue
        last = users[-1]
        if is_root(last.args):
            yield ctx.at_instruction(
                last, f"the last USER of the image is `{last.args.strip()}`: containers run as root; switch to "
                      "an unprivileged user after the steps that need root (or drop privileges in the entrypoint)")
        return
