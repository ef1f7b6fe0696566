"""Shared walk for the RUN command rules (R family): the simple commands each RUN (and ``ONBUILD RUN``) runs,
with the words of the command a wrapper runs (``sudo apt-get ...`` is an ``apt-get`` call), and the option
and insertion helpers those rules share. RUN bodies come from the shell model parsed once per file
(``ctx.script``); nothing here parses shell text again."""
from __future__ import annotations

from ..diagnostics import Edit
from ..shell import command_words, shell_script_index  # noqa: F401 (shared with the rules)

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Iterable, Iterator, List, Optional, Sequence, Tuple


def runs(ctx, needles: Sequence[str] = ()) -> Iterator[Tuple[object, object, object]]:
    """(stage, instruction, script) for every RUN and ``ONBUILD RUN`` whose script is shell (or an exec form
    that runs a program directly) and parses; with ``needles``, only RUNs whose text holds one of them (a
    cheap test before the shell model is asked)."""
    text = ctx.doc.text
    for stage in ctx.stages:
        for ins in stage.instructions:
            inner = ins.inner if ins.name == "ONBUILD" else ins
            if inner is None or inner.name != "RUN":
                continue
            if needles:
                body = text[ins.start:ins.end]
                if not any(n in body for n in needles):
                    continue
            if not _runs_posix(ctx, stage, ins, inner):
                continue
            script = ctx.script(ins)
            if script is None or script.has_error:
                continue
            yield stage, ins, script


def _runs_posix(ctx, stage, ins, inner) -> bool:
    """Whether the RUN's text is run by a POSIX shell, or is an argv run without one. A shell-form RUN under
    a PowerShell or cmd SHELL is not shell text these rules can read."""
    if inner.json is not None:
        argv = list(inner.json)
        if shell_script_index(argv) is not None:
            return True  # ``["sh", "-c", "..."]``: the named shell runs it
        return bool(argv)
    return ctx.posix_shell(stage, ins)


def _index(ctx):
    """Program name -> (stage, instruction, script, command, words) for every simple command of every RUN the
    rules read, in file order; worked out once per file and shared by the rules of this family."""
    memo = ctx.memo("run-commands")
    index = memo.get("by-program")
    if index is None:
        index = memo["by-program"] = {}
        for stage, ins, script in runs(ctx):
            for cmd in script.commands:
                words = command_words(cmd)
                if words and words[0].value is not None:
                    index.setdefault(program(words), []).append((stage, ins, script, cmd, words))
    return index


def commands(ctx, names: Sequence[str]):
    """(stage, instruction, script, command, words) for every simple command of those RUNs that runs one of
    the programs ``names`` (after its wrappers: ``sudo apt-get ...`` runs ``apt-get``), in file order;
    ``words``: the words of the command that runs, wrappers left out."""
    index = _index(ctx)
    found = [entry for name in names for entry in index.get(name, ())]
    if len(names) > 1:
        found.sort(key=lambda e: (e[1].start, e[3].start))
    return found


def program(words) -> str:
    """The program a command runs, without its directory: ``/usr/bin/apt-get`` -> ``apt-get``."""
    return (words[0].value or "").rsplit("/", 1)[-1]


def flags(values: Iterable[Optional[str]], with_value: Iterable[str] = ()) -> List[str]:
    """The options among ``values`` as names without dashes, short clusters split (``-qy`` -> ``q``, ``y``;
    ``--assume-yes`` -> ``assume-yes``; ``--progress=bar`` -> ``progress``). A short option in
    ``with_value`` ends its cluster (the rest is its value) and takes the next word when nothing follows
    it; a long one in ``with_value`` takes the next word unless written with ``=``. Stops at ``--``."""
    takes = set(with_value)
    out: List[str] = []
    values = list(values)
    i = 0
    while i < len(values):
        v = values[i]
        i += 1
        if v is None or not v.startswith("-") or v == "-":
            continue
        if v == "--":
            break
        if v.startswith("--"):
            name = v[2:].split("=", 1)[0]
            out.append(name)
            if "--" + name in takes and "=" not in v:
                i += 1
            continue
        for k, letter in enumerate(v[1:]):
            out.append(letter)
            if "-" + letter in takes:
                if k == len(v) - 2:
                    i += 1
                break
    return out


def subcommand_word(words, with_value: Iterable[str] = ()):
    """The first word after the program that is not an option (nor an option's value): the subcommand."""
    takes = set(with_value)
    i = 1
    while i < len(words):
        v = words[i].value
        if v is None:
            return None
        if v.startswith("-") and len(v) > 1:
            i += 2 if v in takes else 1
            continue
        return words[i]
    return None


def subcommand_among(words, names, with_value: Iterable[str] = ()):
    """The subcommand word when it is one of ``names``, else None. A long option the caller does not list as
    taking a value (``yum --disableplugin fastestmirror install``) may still take the next word: a word right
    after such an option is passed over as its possible value."""
    takes = set(with_value)
    i, prev = 1, None
    while i < len(words):
        v = words[i].value
        if v is None:
            return None
        if v.startswith("-") and len(v) > 1:
            prev = v
            i += 2 if v in takes else 1
            continue
        if v in names:
            return words[i]
        if prev is None or not prev.startswith("--") or "=" in prev:
            return None  # a subcommand of another name (short options that take a value are listed)
        prev = None
        i += 1
    return None


def reads_stdin_elsewhere(cmd) -> bool:
    """Whether the command's standard input comes from somewhere the build chose (a pipe into it, a
    redirect, a heredoc): answers to prompts may come from there."""
    if any(r.lstrip("0123456789").startswith("<") for r in cmd.redirects):
        return True
    return "pipeline" in cmd.context and not _first_in_pipeline(cmd)


def _first_in_pipeline(cmd) -> bool:
    # Only the command after a ``|`` reads the pipe; the shell model keeps no position in the pipeline, so
    # any command inside one counts as reading it unless proven first. Being strict costs only a fix.
    return False


def insert_after(ctx, script, word, option: str) -> Optional[Edit]:
    """An edit inserting ``option`` as a new word right after ``word``: `` -y`` in shell text, a new element
    ``", "-y`` in an exec-form array run without a shell. None when the word's end cannot be placed in the
    file exactly (a word cut by a line continuation or written with escapes)."""
    at = script.file_end_offset(word.end)
    start = script.file_offset(word.start)
    text = ctx.doc.text
    if text[start:at] != word.text and not script.exec_form:
        return None
    ins = script.instruction
    if script.exec_form and shell_script_index(list(ins.json or [])) is None:
        if text[at:at + 1] != '"':
            return None
        return Edit(at, at, '", "' + option)
    if script.exec_form and ('"' in option or "\\" in option):
        return None
    return Edit(at, at, " " + option)


def span(ctx, ins, script, cmd):
    """File offsets of a command, or of its RUN when the command cannot be placed in the file."""
    start = script.file_offset(cmd.start)
    end = script.file_end_offset(cmd.end)
    if end <= start or not (ins.start <= start < ins.end):
        s = ins.start
        text = ctx.doc.text
        while s < ins.end and text[s] in " \t\ufeff":
            s += 1
        return s, ins.lines_end
    return start, end
