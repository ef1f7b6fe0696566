"""D007: CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form."""
from __future__ import annotations

from ..rule import UNSAFE, Rule
from ..stages import is_posix_shell
from ._instructions import exec_form_fix

RULE = Rule(
    code="D007",
    name="shell-form-cmd",
    severity="warning",
    summary="CMD, ENTRYPOINT or HEALTHCHECK CMD in shell form runs under /bin/sh -c",
    hadolint=("DL3025",),
    fix=UNSAFE,
    default_enabled=False,
)

_WHAT = {
    "CMD": ("CMD", "the shell is the container's main process (PID 1) and does not pass on signals such as SIGTERM, "
                   "so `docker stop` waits and then kills the program"),
    "ENTRYPOINT": ("ENTRYPOINT", "the shell is the container's main process (PID 1) and does not pass on signals "
                                 "such as SIGTERM, and CMD and `docker run` arguments never reach the program"),
    "HEALTHCHECK": ("HEALTHCHECK CMD", "each check starts a shell first, and needs one in the image"),
}


def check(ctx):
    text = ctx.doc.text
    for stage in ctx.stages:
        for ins in stage.instructions:
            if ins.name not in _WHAT or ins.json is not None:
                continue
            if not ins.command.strip():  # HEALTHCHECK NONE, an empty CMD
                continue
            what, why = _WHAT[ins.name]
            shell = ctx.shell(stage, ins)
            runs = " ".join(shell) if shell else "/bin/sh -c"
            fix = reason = None
            if shell is not None and not is_posix_shell(shell):
                reason = "the SHELL in force is not a POSIX shell"
            elif ins.name == "ENTRYPOINT" and any(other.name == "CMD" for other in stage.instructions):
                reason = "the CMD of this stage would become the program's arguments"
            else:
                fix = exec_form_fix(ins, text, UNSAFE)
                if fix is None:
                    reason = "the command uses the shell (quotes, variables, operators or builtins)"
            yield ctx.at_instruction(ins, f"{what} in shell form runs as `{runs} '...'`: {why}; write it in exec "
                                          "form (a JSON array), with `exec` in a script when shell work is needed",
                                     fix, no_fix_reason=reason)
