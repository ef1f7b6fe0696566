"""D003: EXPOSE of a port outside 0-65535."""
from __future__ import annotations

from .._regex import lazy_compile
from ..rule import NO_FIX, Rule
from ..syntax import buildkit_words

RULE = Rule(
    code="D003",
    name="invalid-port",
    severity="error",
    summary="EXPOSE names a port outside 0-65535",
    hadolint=("DL3011",),
    fix=NO_FIX,
)

# ``80``, ``80/tcp``, ``8000-8010``, ``8000-8010/udp`` (an optional host part ``ip:`` or ``host:`` before it).
_PORT = lazy_compile(r"(?:.*:)?([0-9]+)(?:-([0-9]+))?(?:/[A-Za-z]+)?\Z")


def _bad(word: str):
    word = word.strip("\"'")
    if "$" in word:
        return None
    m = _PORT.match(word)
    if m is None:
        return None
    for number in m.groups():
        if number is not None and int(number) > 65535:
            return number
    return None


def check(ctx):
    for ins in ctx.doc.instructions:
        target = ins.inner if ins.name == "ONBUILD" and ins.inner is not None else ins
        if target.name != "EXPOSE":
            continue
        for word in buildkit_words(target.args, ctx.doc.escape):
            number = _bad(word)
            if number is not None:
                yield ctx.at_instruction(ins, f"EXPOSE {word}: port {number} is not a valid port (ports range from "
                                              "0 to 65535); the build refuses it")
                break
