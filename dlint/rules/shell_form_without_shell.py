"""B002: shell form (RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD) in a stage whose base has no shell."""
from __future__ import annotations

from ..rule import SAFE, Rule

import json

from .. import base_images
from .._regex import lazy_compile
from ._instructions import exec_form_fix, plain_words, program_words

RULE = Rule(
    code="B002",
    name="shell-form-without-shell",
    severity="error",
    summary="Shell form needs /bin/sh, which this stage's base image does not have",
    fix=SAFE,
)

_SHELL_PATH = lazy_compile(r"(^|/)(sh|bash|ash|dash|zsh|busybox)/?$")
_BIN_DEST = lazy_compile(r"^/(usr/)?(local/)?bin/?$")
_WHOLE_TREE = lazy_compile(r"^/$|rootfs/?$")
# A local archive ADD unpacks (a remote one it does not): at `/` it is a root filesystem (busybox, Alpine's
# minirootfs, a distribution's base tarball).
_ARCHIVE = lazy_compile(r"(?i)\.(tar|tgz|tbz2?|txz|tzst|tar\.(gz|bz2|xz|zst|zstd|lz4|lzma))$")
_REMOTE = lazy_compile(r"(?i)^(https?|git)://|^git@")


def _whole_tree_at_root(ins, words) -> bool:
    """COPY/ADD of a whole tree into `/`: an unpacked archive, or a directory (``/``, ``rootfs/``, ``out/``,
    ``.``) from the context, a stage or an image. It may well hold /bin/sh: no error can be certain there."""
    if len(words) < 2 or words[-1].rstrip("/") not in ("", "/."):
        return False
    for src in words[:-1]:
        if src.startswith("--"):
            continue
        if ins.name == "ADD" and _ARCHIVE.search(src) and not _REMOTE.match(src):
            return True
        if src in (".", "./", "/", "/.") or src.endswith(("/", "/.")) or _WHOLE_TREE.search(src):
            return True
    return False
_SHELL_IMAGES = lazy_compile(r"busybox")


def _shell_provided(ctx, stage, upto) -> bool:
    """Whether something before ``upto`` (in the stage or those it builds on) may have put a shell in place:
    a SHELL instruction, a shell or a whole /bin copied in, or files copied from busybox."""
    graph = ctx.graph
    for idx in reversed(graph.chain(stage.index)):
        st = graph.stages[idx]
        for ins in st.instructions:
            if ins is upto:
                return False
            if ins.name == "SHELL":
                return True
            if ins.name in ("COPY", "ADD"):
                words = ins.words()
                words = [w.strip("\"'") for w in words if not w.startswith("<<")]
                if not words:
                    continue
                if _BIN_DEST.match(words[-1]) or any(_SHELL_PATH.search(w) for w in words) or (
                        len(words) > 1 and any(_WHOLE_TREE.search(w) for w in words[:-1])) or (
                        _whole_tree_at_root(ins, words)):
                    return True
                f = ins.flag("from")
                if f is not None and f.value and graph.stage_named(f.value) is None and _SHELL_IMAGES.search(f.value.lower()):
                    return True
    return False


def shell_less_base(ctx, stage):
    """The root base image when it is known to have no shell; None otherwise."""
    base = ctx.graph.root_base(stage.index)
    if base.is_scratch:
        return base
    if base.ref is not None and base_images.is_shellless(base.ref):
        return base
    return None


def _same_program(word: str, interpreter: str) -> bool:
    def stem(s: str) -> str:  # the name without a version suffix (rstrip: a regex here was quadratic)
        name = s.rsplit("/", 1)[-1]
        newline = "\n" if name.endswith("\n") else ""
        return name[:len(name) - len(newline)].rstrip("0123456789.") + newline
    return stem(word) == stem(interpreter)


def _describe(base) -> str:
    return "`scratch`" if base.is_scratch else f"`{base.image}`"


def check(ctx):
    text = ctx.doc.text
    for stage in ctx.stages:
        base = shell_less_base(ctx, stage)
        if base is None:
            continue
        root = ctx.graph.root_stage(stage.index)
        via = ""
        if root != stage.index:
            via = f" (stage `{ctx.graph.stages[root].alias or root}`)"
        interpreter = base_images.default_entrypoint(base.ref) if base.ref is not None else None
        for ins in stage.instructions:
            if ins.name not in ("RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK") or ins.json is not None:
                continue
            if ins.name == "HEALTHCHECK" and not ins.command:  # HEALTHCHECK NONE
                continue
            if not ins.command.strip() and not ins.heredocs:
                continue
            if ins.name == "RUN" and any(f.name == "mount" and "from=" in (f.value or "") for f in ins.flags):
                continue  # a mounted stage or image may bring the shell
            if _shell_provided(ctx, stage, ins):
                continue
            what = {"RUN": "RUN", "CMD": "CMD", "ENTRYPOINT": "ENTRYPOINT", "HEALTHCHECK": "HEALTHCHECK CMD"}[ins.name]
            when = "the build fails here" if ins.name == "RUN" else (
                "the health check always fails" if ins.name == "HEALTHCHECK" else "the container cannot start")
            message = (f"{what} in shell form runs `/bin/sh -c`, but the base image {_describe(base)}{via} has no "
                       f"shell: {when}")
            fix = None
            if ins.name in ("CMD", "ENTRYPOINT"):
                written = plain_words(ins)
                words = program_words(written) if written else None
                if (ins.name == "CMD" and interpreter and words and _same_program(words[0][0], interpreter)
                        and not any(e.name == "ENTRYPOINT" for i in ctx.graph.chain(stage.index)
                                    for e in ctx.graph.stages[i].instructions)):
                    message += (f"; this image's ENTRYPOINT already runs {interpreter}, so CMD holds only its "
                                f"arguments: CMD {json.dumps([w for w, _, _ in words[1:]])}")
                else:
                    fix = exec_form_fix(ins, text)
                    if fix is not None:
                        message += "; write it in exec form (JSON array)"
                    else:
                        message += "; write it in exec form (JSON array) and do any shell work in a build stage"
            else:
                message += "; use exec form (JSON array) or do this work in a build stage and COPY --from its result"
            yield ctx.at_instruction(ins, message, fix)
