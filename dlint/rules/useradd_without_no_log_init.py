"""R009: ``useradd`` with a high UID and without ``-l``: lastlog and faillog grow to hundreds of megabytes."""
from __future__ import annotations

import re

from ..diagnostics import Fix
from ..rule import SAFE, Rule
from . import _run_commands as rc

RULE = Rule(
    code="R009",
    name="useradd-without-no-log-init",
    severity="warning",
    summary="useradd with a high UID and without -l (--no-log-init) writes huge lastlog/faillog files",
    hadolint=("DL3046",),
    fix=SAFE,
)

_WITH_VALUE = ("-u", "--uid", "-g", "--gid", "-G", "--groups", "-d", "--home-dir", "-s", "--shell", "-c",
               "--comment", "-e", "--expiredate", "-f", "--inactive", "-k", "--skel", "-K", "--key", "-p",
               "--password", "-R", "--root", "-P", "--prefix", "-b", "--base-dir", "-Z", "--selinux-user",
               "--btrfs-subvolume-home", "-F", "--add-subids-for-system")
_HIGH = 100000  # from six digits on: the files are UID x 292 bytes (lastlog) plus UID x 32 (faillog), 32 MB and up


def _uid(values):
    """The value given to -u/--uid (None when there is none); '' when it is not a literal."""
    found = None
    i = 0
    while i < len(values):
        v = values[i]
        i += 1
        if v is None:
            continue
        if v in ("-u", "--uid"):
            found = values[i] if i < len(values) else None
            found = "" if found is None else found
            i += 1
        elif v.startswith("--uid="):
            found = v[len("--uid="):]
        elif v.startswith("-") and not v.startswith("--") and "u" in v[1:]:
            # a short cluster such as ``-lu``, ``-ou 100000`` or ``-u100000``
            k = v.index("u", 1)
            if any("-" + c in _WITH_VALUE for c in v[1:k]):
                continue  # the ``u`` belongs to an earlier option's value
            rest = v[k + 1:]
            if rest:
                found = rest
            else:
                found = values[i] if i < len(values) and values[i] is not None else ""
                i += 1
    return found


_VARIABLE = re.compile(r"\$(?:\{(\w+)(?::?[-=][^}]*)?\}|(\w+))\Z")


def _env_value(ctx, stage, run, name):
    """The value an ``ENV`` earlier in the stage (or a stage it builds on) gives ``name``; None when none does.
    (An ``ARG`` default is not a value: ``--build-arg`` replaces it, often with the builder's own UID.)"""
    graph = ctx.graph
    value = None
    for idx in reversed(graph.chain(stage.index)):
        for ins in graph.stages[idx].instructions:
            if ins is run:
                return value
            if ins.name != "ENV":
                continue
            words = ins.words()
            if len(words) == 2 and "=" not in words[0] and words[0] == name:
                value = words[1].strip("\"'")  # legacy ``ENV NAME value``
                continue
            for w in words:
                key, eq, v = w.partition("=")
                if eq and key == name:
                    value = v.strip("\"'")
    return value


def check(ctx):
    for stage, ins, script, cmd, words in rc.commands(ctx, ("useradd",)):
        values = [w.value for w in words[1:]]
        if {"l", "no-log-init"} & set(rc.flags(values, _WITH_VALUE)):
            continue
        uid_words = [w.value if w.value is not None else w.text for w in words[1:]]
        uid = _uid(uid_words)
        if uid is None:
            continue
        variable = _VARIABLE.match(uid)
        if variable:
            name = variable.group(1) or variable.group(2)
            value = _env_value(ctx, stage, ins, name)
            if value is not None and value.isdigit():
                if int(value) < _HIGH:
                    continue
                variable, uid = None, value
        elif not uid.isdigit() or int(uid) < _HIGH:
            continue
        edit = rc.insert_after(ctx, script, words[0], "-l")
        fix = Fix("Add -l (--no-log-init) to useradd", SAFE, [edit]) if edit is not None else None
        start, end = rc.span(ctx, ins, script, cmd)
        if variable:
            msg = (f"`useradd` with the UID `{uid}` and without `-l`: a build argument may set it to a high UID (a "
                   "builder's own UID often is), and /var/log/lastlog and /var/log/faillog then get an entry at "
                   "that offset, UID x 324 bytes of zeros stored in the layer; add `-l` (`--no-log-init`)")
        else:
            size = int(uid) * 324 // 1_000_000
            msg = (f"`useradd` with UID {uid} and without `-l`: /var/log/lastlog and /var/log/faillog get an entry "
                   f"at that offset, about {size} MB of zeros stored in the layer; add `-l` (`--no-log-init`)")
        yield ctx.at_command(ins, start, end, msg, fix,
                             no_fix_reason=None if fix else "the useradd word cannot be placed in the file exactly")
