"""D005: ADD of local files and folders, which COPY does without ADD's extra behaviour."""
from __future__ import annotations

from .._regex import lazy_compile
from ..diagnostics import Edit, Fix
from ..rule import SAFE, UNSAFE, Rule
from ..syntax import buildkit_words

RULE = Rule(
    code="D005",
    name="add-instead-of-copy",
    severity="error",
    summary="ADD of local files or folders: use COPY",
    hadolint=("DL3020",),
    fix=UNSAFE,
    extra_fixes=(SAFE,),
)

# Names of archives and compressed files (hadolint's list): ADD may unpack them, which COPY does not.
_ARCHIVE = lazy_compile(r"\.(tar|Z|bz2|gz|lz|lzma|tZ|tb2|tbz|tbz2|tgz|tlz|tpz|txz|xz)\Z")
# What ADD fetches: http(s) URLs and Git repositories.
_REMOTE = lazy_compile(r"(?i)(https?|git|ssh)://|git@")
# Flags that mean the same on COPY.
_SHARED_FLAGS = {"chown", "chmod", "link", "exclude"}
_PLAIN_PATH = lazy_compile(r"[A-Za-z0-9_./@%+,:=-]+\Z")


_VARIABLE = lazy_compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?\Z")


def _local_non_archive(src: str, values) -> bool:
    src = src.strip("\"'")
    if _REMOTE.match(src) or _ARCHIVE.search(src):
        return False
    m = _VARIABLE.match(src)
    if m is not None:  # ``ADD $URL /x``: a variable named for a URL, or whose value is one or an archive
        name = m.group(1)
        if "URL" in name.upper() or any(not _local_non_archive(v, {}) for v in values.get(name, ())):
            return False
    return True


def _values(ctx):
    """Variable name -> the values ARG and ENV instructions of the file give it, found once per file."""
    memo = ctx.memo("add-values")
    if "values" not in memo:
        values = {}
        for ins in ctx.doc.instructions:
            if ins.name in ("ARG", "ENV") and "=" in ins.args:
                for word in buildkit_words(ins.args, ctx.doc.escape):
                    name, eq, value = word.partition("=")
                    if eq:
                        values.setdefault(name, []).append(value)
        memo["values"] = values
    return memo["values"]


def _is_directory(ctx, src: str) -> bool:
    """A source that is a directory: ADD copies a directory as COPY does, never unpacking what is inside."""
    if src in (".", "./") or src.endswith("/"):
        return True
    context = ctx.build_context
    if context is None or not _PLAIN_PATH.match(src):
        return False
    return context.is_dir(src.lstrip("./") if src.startswith("./") else src.lstrip("/"))


def _fix(ctx, ins, sources):
    if ins.heredocs or any(f.name not in _SHARED_FLAGS for f in ins.flags):
        return None, "a flag only ADD has"
    if any("$" in s or not _PLAIN_PATH.match(s.strip("\"'")) for s in sources):
        return None, "a source with a variable or a pattern may name an archive or a URL"
    start = ins.start
    text = ctx.doc.text
    while text[start] in " \t\ufeff":
        start += 1
    if text[start:start + 3].upper() != "ADD":
        return None, None
    keyword = "COPY" if text[start:start + 3].isupper() else ("copy" if text[start:start + 3].islower() else "Copy")
    dirs = all(_is_directory(ctx, s.strip("\"'")) for s in sources)
    return Fix("Replace ADD with COPY", SAFE if dirs else UNSAFE, [Edit(start, start + 3, keyword)]), None


def check(ctx):
    for stage in ctx.stages:
        for ins in stage.instructions:
            if ins.name != "ADD":
                continue
            words = ins.words()
            if len(words) < 2:
                continue
            sources = words[:-1]  # a heredoc (``<<EOF``) is a local file
            if any("$" in s for s in sources):
                values = _values(ctx)
            else:
                values = {}
            local = [s for s in sources if _local_non_archive(s, values)]
            if not local:
                continue
            if len(local) < len(sources):
                yield ctx.at_instruction(ins, f"ADD of {', '.join(f'`{s}`' for s in local)} beside a URL or an archive: "
                                              "copy the local files and folders with a COPY of their own, and keep "
                                              "ADD for what it fetches or unpacks", None,
                                         no_fix_reason="the instruction also fetches or unpacks")
                continue
            fix, reason = _fix(ctx, ins, sources)
            yield ctx.at_instruction(ins, "ADD of local files or folders: use COPY, which copies them as they are "
                                          "(ADD also fetches URLs and unpacks local tar archives, so a reader cannot "
                                          "tell what it does here)", fix, no_fix_reason=reason)
