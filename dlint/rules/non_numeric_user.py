"""S005: USER names a user instead of a numeric id."""
from __future__ import annotations

import re

from ..rule import NO_FIX, Rule
from ._stage_refs import unquote

RULE = Rule(
    code="S005",
    name="non-numeric-user",
    severity="info",
    summary="USER names a user rather than a numeric id, which the host and Kubernetes cannot check",
    hadolint=("DL3066",),
    fix=NO_FIX,
    default_enabled=False,  # a style many images do not need: only runAsNonRoot policies read the id
)

_REFERENCE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def check(ctx):
    args = set()
    for ins in ctx.doc.instructions:
        if ins.name == "ARG":
            args.update(w.partition("=")[0] for w in ins.args.split())
            continue
        if ins.name != "USER":
            continue
        user = unquote(ins.args.strip()).split(":", 1)[0]
        if not user or user.isdigit():
            continue
        if any(name in args for name in _REFERENCE.findall(user)):
            continue  # the id comes from a build argument
        yield ctx.at_instruction(
            ins, f"USER `{user}` is a name: the host and policies such as Kubernetes' runAsNonRoot cannot tell "
                 "whether it is root; use the numeric id (e.g. `USER 1000`)")
