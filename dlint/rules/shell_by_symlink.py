"""D015: ``ln ... /bin/sh`` to change the shell RUN uses, instead of SHELL."""
from __future__ import annotations

from ..rule import NO_FIX, Rule
from ..shell import command_words

RULE = Rule(
    code="D015",
    name="shell-by-symlink",
    severity="warning",
    summary="Linking /bin/sh to another shell changes it for every program; use SHELL for RUN",
    hadolint=("DL4005",),
    fix=NO_FIX,
    default_enabled=False,
)


def _links_bin_sh(cmd) -> bool:
    words = command_words(cmd)
    if not words or words[0].value is None or words[0].value.rsplit("/", 1)[-1] != "ln":
        return False
    operands = [w.value for w in words[1:] if w.value is None or not w.value.startswith("-")]
    # ``ln [options] TARGET LINK``: the link made is the last operand (``ln -s /bin/sh /x`` points elsewhere *to* it)
    return bool(operands) and operands[-1] in ("/bin/sh", "/bin/sh/") and len(operands) >= 2


def check(ctx):
    text = ctx.doc.text
    for ins in ctx.doc.instructions:
        if (ins.inner or ins).name != "RUN" or text.find("/bin/sh", ins.start, ins.end) < 0:
            continue  # (heredoc bodies lie between ``start`` and ``end`` too)
        script = ctx.script(ins)
        if script is None:
            continue
        if any(_links_bin_sh(cmd) for cmd in script.commands):
            yield ctx.at_instruction(ins, "`ln ... /bin/sh` replaces the shell of the whole image, for every script "
                                          "and program that runs /bin/sh, also in the running container; to change "
                                          "the shell of the RUN instructions, use SHELL (e.g. "
                                          "`SHELL [\"/bin/bash\", \"-c\"]`)")
