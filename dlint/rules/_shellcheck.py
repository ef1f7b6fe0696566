"""What ShellCheck is given for each RUN of a file (see the rule ``SC``, ``dlint/rules/shellcheck.py``), and
``prefetch``: the scripts of many files checked together before the files are, so that each file finds its
answers ready (``dlint.run_shellcheck`` keeps them) instead of starting a process of its own."""
from __future__ import annotations

import re

from ._build_variables import env_assignments

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import List

# Variables BuildKit passes to RUN without an ARG (its predefined proxy arguments).
PREDEFINED = ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY",
              "no_proxy", "ALL_PROXY", "all_proxy")
# Shells ShellCheck checks, by the base name of the program.
DIALECTS = {"sh": "sh", "bash": "bash", "dash": "dash", "ash": "ash", "ksh": "ksh"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SHEBANG = re.compile(r"#![ \t]*(\S+)(?:[ \t]+(\S+))?[^\n]*")
_PRAGMA = re.compile(r"#[ \t]*hadolint[ \t]+shell[ \t]*=[ \t]*(\S+)")


def _dialect(argv) -> str:
    """The shell ShellCheck checks for a program and its arguments, or '' when it is none it knows."""
    if not argv:
        return ""
    program = argv[0]
    if program.rsplit("/", 1)[-1] == "env" and len(argv) > 1:
        program = argv[1]
    return DIALECTS.get(program.rsplit("/", 1)[-1], "")


def _declared(ctx, stage, upto) -> list:
    """ARG and ENV names in force for ``upto``: the stages it builds on, then its own stage before it."""

    names = set(PREDEFINED)
    escape = ctx.doc.escape
    chain = ctx.graph.chain(stage.index)
    for index in reversed(chain):
        for ins in ctx.graph.stages[index].instructions:
            if ins is upto:
                break
            if ins.name in ("ARG", "ENV"):
                names.update(name for name, _ in env_assignments(ins, escape))
    return sorted(n for n in names if _NAME.match(n))


def _pragma_shells(ctx) -> dict:
    """id(instruction) -> the shell a ``# hadolint shell=NAME`` comment names for it, as hadolint reads
    them: from the comment on in its stage, until a SHELL instruction; one before the first FROM, in every
    stage (a stage's own comment or SHELL comes after it)."""
    from ..syntax import Comment, Instruction

    out = {}
    default = current = None
    seen_from = False
    for node in ctx.doc.nodes:
        if isinstance(node, Comment):
            m = _PRAGMA.match(node.text.strip())
            if m:
                current = m.group(1)
                if not seen_from:
                    default = current
        elif isinstance(node, Instruction):
            if node.name == "FROM":
                seen_from = True
                current = default
            elif node.name == "SHELL":
                current = None
            elif current is not None:
                out[id(node)] = current
    return out


def _prepared(ctx, stage, run, pragma=None):
    """(checked text, lines before the script, script) for one RUN, or None when it is not checked;
    ``pragma``: the shell a ``# hadolint shell=`` comment names for it."""
    script = ctx.script(run)
    if script is None or script.exec_form or not script.text.strip():
        return None
    text = script.text.replace("\r", " ")  # CRLF heredoc bodies: a blank keeps every position in place
    m = _SHEBANG.match(text)
    if m:  # the script names its interpreter: that is the shell
        dialect = _dialect([w for w in m.groups() if w])
        text = " " * len(m.group(0)) + text[m.end():]
    elif pragma is not None:
        dialect = _dialect([pragma])
    else:
        shell = ctx.shell(stage, run)
        dialect = "sh" if shell is None else (_dialect(shell) if shell and shell[-1] == "-c" else "")
    if not dialect:
        return None
    names = _declared(ctx, stage, run)
    header = f"#!/bin/{dialect}\n" + (f"export {' '.join(n + '=1' for n in names)}\n" if names else "")
    return header + text, header.count("\n"), script


def jobs(ctx) -> list:
    """(checked text, lines before the script, script) for each RUN of the file ShellCheck checks."""
    out = []
    pragmas = _pragma_shells(ctx) if "hadolint" in ctx.doc.text else {}
    for stage in ctx.stages:
        for ins in stage.instructions:
            run = ins.inner if ins.name == "ONBUILD" and ins.inner is not None else ins
            if run.name != "RUN":
                continue
            job = _prepared(ctx, stage, ins, pragmas.get(id(ins)))
            if job is not None:
                out.append(job)
    return out


def prefetch(entries, workers: int = 1) -> int:
    """Check the scripts of the files ``entries`` ((path, data, settings)) that have the ShellCheck rule
    enabled, all together in ``workers`` processes at most; the answers are kept for the files' own
    checks. Returns how many scripts were checked. A file that does not parse is left to its own check."""
    from .. import run_shellcheck
    from ..context import Context
    from ..engine import rule_runs
    from ..syntax import decode, parse
    from . import BY_CODE

    rule = BY_CODE.get("SC")
    if rule is None:
        return 0
    entries = [e for e in entries if rule_runs(rule, e[2])]
    if not entries or run_shellcheck.binary() is None:
        return 0
    texts: List[str] = []
    for path, data, settings in entries:
        try:
            doc = parse(decode(data))
            texts.extend(text for text, _, _ in jobs(Context(path, doc, settings)))
        except Exception:  # anything wrong with the file is reported by its own check
            continue
    if texts:
        run_shellcheck.check_scripts(texts, workers)
    return len(texts)
