"""Facts about instructions that several rules share: plain shell-form words and their exec form."""
from __future__ import annotations

import json
import re

from .._regex import lazy_compile
from ..diagnostics import Edit, Fix

# A word that means the same to /bin/sh and in a JSON argv: no expansion, quoting, globbing or operators.
_PLAIN_WORD = lazy_compile(r"[A-Za-z0-9_./:@%+,=-]+\Z")
_NOT_PROGRAMS = {
    "cd", "export", "set", "unset", "source", ".", "eval", "exec", "trap", "ulimit", "umask", "read", "wait", "alias",
    "shift", "return", "exit", "break", "continue", "local", "readonly", "declare", "typeset", "times", "type", "hash",
    "command", "getopts", "let", "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case",
    "esac", "function", "select", "time", "[", "[[", "!", "{", "}",
}


def plain_words(ins):
    """``[(word, file start, file end)]`` of a shell-form command made only of plain words, else None."""
    words = []
    text = ins.command
    for m in re.finditer(r"[^ \t]+", text):
        word = m.group(0)
        if not _PLAIN_WORD.match(word):
            return None
        lstart = ins.command_offset + m.start()
        lend = ins.command_offset + m.end()
        fstart, fend = ins.file_offset(lstart), ins.file_end_offset(lend)
        if fend - fstart != len(word):  # split by a line continuation
            return None
        words.append((word, fstart, fend))
    if not words or ins.heredocs:
        return None
    return words


def program_words(words):
    """The words that make the argv: ``exec prog args`` is ``prog args``."""
    if words and words[0][0] == "exec" and len(words) > 1 and not words[1][0].startswith("-"):
        words = words[1:]
    if not words or words[0][0] in _NOT_PROGRAMS or "=" in words[0][0]:
        return None
    return words


def exec_form_fix(ins, source_text, applicability="safe"):
    """The plain word list as a JSON array, edited in place so continuations and comments stay."""
    written = plain_words(ins)
    words = program_words(written) if written else None
    if words is None:
        return None
    start, end = written[0][1], words[-1][2]
    parts = ["["]
    for i, (word, ws, we) in enumerate(words):
        parts.append(json.dumps(word, ensure_ascii=False))
        if i + 1 < len(words):
            parts.append(",")
            parts.append(source_text[we:words[i + 1][1]])
    parts.append("]")
    return Fix(f"Rewrite {ins.name} in exec form", applicability, [Edit(start, end, "".join(parts))])
