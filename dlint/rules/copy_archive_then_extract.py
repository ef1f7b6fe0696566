"""D002: an archive COPY'd into the image and then extracted by a RUN of the same stage."""
from __future__ import annotations

from .._regex import lazy_compile
from ..rule import NO_FIX, Rule
from ..shell import command_words

RULE = Rule(
    code="D002",
    name="copy-archive-then-extract",
    severity="info",
    summary="An archive is copied in and then extracted; ADD extracts a local tar archive by itself",
    hadolint=("DL3010",),
    fix=NO_FIX,
    default_enabled=False,
)

# The names of compressed files and archives (hadolint's list).
_ARCHIVE = lazy_compile(r"\.(tar|Z|bz2|gz|lz|lzma|tZ|tb2|tbz|tbz2|tgz|tlz|tpz|txz|xz)\Z")
_UNPACKERS = {"unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat"}


def _basename(word: str) -> str:
    word = word.strip("\"'")
    return word.replace("\\", "/").rsplit("/", 1)[-1]


def _extracts(cmd) -> list:
    """The basenames of the arguments of a command that unpacks (``tar -x``, ``unzip``, ``gunzip``...)."""
    words = command_words(cmd)
    if not words or words[0].value is None:
        return []
    name = words[0].value.rsplit("/", 1)[-1]
    values = [w.value for w in words[1:] if w.value is not None]
    if name == "tar":
        old_style = bool(values) and not values[0].startswith("-") and "x" in values[0]  # ``tar xzf a.tgz``
        if not old_style and not any(v in ("--extract", "--get") or (v.startswith("-") and not v.startswith("--")
                                                                     and "x" in v) for v in values):
            return []
    elif name not in _UNPACKERS:
        return []
    return [_basename(v) for v in values if not v.startswith("-")]


def check(ctx):
    for stage in ctx.stages:
        copied = {}  # basename -> the COPY
        reported = set()
        for ins in stage.instructions:
            if ins.name == "COPY" and ins.flag("from") is None and not ins.heredocs:
                words = [w for w in ins.words()]
                if len(words) < 2:
                    continue
                dest = _basename(words[-1])
                if _ARCHIVE.search(dest):
                    copied.setdefault(dest, ins)
                else:
                    for src in words[:-1]:
                        base = _basename(src)
                        if _ARCHIVE.search(base):
                            copied.setdefault(base, ins)
            elif ins.name == "RUN" and copied:
                script = ctx.script(ins)
                if script is None:
                    continue
                for cmd in script.commands:
                    for base in _extracts(cmd):
                        found = copied.pop(base, None)
                        if found is not None and id(found) not in reported:
                            reported.add(id(found))
                            yield ctx.at_instruction(
                                found, f"`{base}` is copied in and then extracted by the RUN at line {ins.line}: the "
                                       "archive stays in this COPY's layer; `ADD` extracts a local tar archive "
                                       "itself, or extract it in a build stage and copy the result")
