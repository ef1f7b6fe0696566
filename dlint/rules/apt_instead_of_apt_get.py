"""R004: ``apt`` in a RUN, where scripts should call ``apt-get`` / ``apt-cache``."""
from __future__ import annotations

from ..diagnostics import Edit, Fix
from ..rule import UNSAFE, Rule
from . import _run_commands as rc

RULE = Rule(
    code="R004",
    name="apt-instead-of-apt-get",
    severity="warning",
    summary="apt is the interactive front end, without a stable interface for scripts; use apt-get or apt-cache",
    hadolint=("DL3027",),
    fix=UNSAFE,
    default_enabled=False,
)

_WITH_VALUE = ("-o", "--option", "-t", "--target-release", "--default-release", "-c", "--config-file", "-a",
               "--host-architecture")
# apt subcommands apt-get has under the same name and with the same meaning (``upgrade`` is not among them:
# ``apt upgrade`` also installs new dependencies, ``apt-get upgrade`` does not).
_SAME_IN_APT_GET = {"install", "reinstall", "remove", "purge", "update", "autoremove", "autopurge", "clean",
                    "autoclean", "build-dep", "source", "download", "satisfy"}
_APT_CACHE = {"search", "show", "policy", "depends", "rdepends", "showsrc"}

_INSTEAD = {"list": "`dpkg-query -W` or `apt-cache policy`", "upgrade": "`apt-get upgrade --with-new-pkgs`",
            "full-upgrade": "`apt-get dist-upgrade`"}


def check(ctx):
    text = ctx.doc.text
    for stage, ins, script, cmd, words in rc.commands(ctx, ("apt",)):
        sub = rc.subcommand_word(words, _WITH_VALUE)
        subname = sub.value if sub is not None else None
        instead = _INSTEAD.get(subname, "`apt-cache`" if subname in _APT_CACHE else "`apt-get`")
        fix, reason = None, None
        word = words[0]
        start_w = script.file_offset(word.start)
        end_w = script.file_end_offset(word.end)
        if subname not in _SAME_IN_APT_GET:
            reason = f"`apt {subname}` has no twin of the same meaning in apt-get" if subname else None
        elif text[start_w:end_w] != word.text:
            reason = "the apt word cannot be placed in the file exactly"
        else:
            fix = Fix("Call apt-get instead of apt", UNSAFE, [Edit(end_w, end_w, "-get")])
        start, end = rc.span(ctx, ins, script, cmd)
        yield ctx.at_command(ins, start, end, f"`apt` is meant for people at a terminal and its command line may "
                             f"change between releases; call {instead} in scripts", fix, no_fix_reason=reason)
