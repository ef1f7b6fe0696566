"""R001: a RUN calls a command that has no use while an image is built (ssh, vim, shutdown, service, ps, ...)."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from . import _run_commands as rc

RULE = Rule(
    code="R001",
    name="pointless-command-in-run",
    severity="info",
    summary="A RUN calls an interactive or system command (ssh, vim, shutdown, service, ps, ...) that does "
            "nothing useful in a build",
    hadolint=("DL3001",),
    fix=NO_FIX,
    default_enabled=False,
)

# What each does not do during a build.
_WHY = {
    "ssh": "a build has no keys or terminal for an interactive login",
    "vim": "a build has no terminal to edit in",
    "shutdown": "a build runs no init system to shut down",
    "service": "services started in a RUN stop when the RUN ends and are not running in the image",
    "ps": "it only lists the processes of the RUN itself",
    "free": "it only prints the memory of the build machine",
    "top": "it is interactive and never ends without a terminal",
    "kill": "the processes of a RUN end with it anyway",
    "mount": "a build may not mount file systems, and mounts end with the RUN",
    "ifconfig": "the network of a build is not the network of the container",
}
_NEEDLES = tuple(_WHY)


def check(ctx):
    for stage, ins, script, cmd, words in rc.commands(ctx, _NEEDLES):
        name = rc.program(words)
        why = _WHY[name]
        start, end = rc.span(ctx, ins, script, cmd)
        yield ctx.at_command(ins, start, end, f"`{name}` in a RUN: {why}")
