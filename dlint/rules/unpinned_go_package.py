"""P009: go install / go get / go run of a remote package without a version."""
from __future__ import annotations

import re

from ..rule import NO_FIX, Rule
from ..shell import command_words
from . import _pinning as pin

RULE = Rule(
    code="P009",
    name="unpinned-go-package",
    severity="warning",
    summary="go install, go get or go run names a remote package without a version (package@version)",
    hadolint=("DL3062",),
    fix=NO_FIX,
    default_enabled=False,  # opt-in: in a module, go.mod already decides the version of what it requires
)

# Options of the go command whose value is the next word (build flags; ``go get``/``go install`` take the
# same ones).
_WITH_VALUE = frozenset(("-ldflags", "-tags", "-o", "-mod", "-modfile", "-gcflags", "-asmflags", "-p", "-C",
                         "-exec", "-overlay", "-pkgdir", "-toolexec", "-buildmode", "-compiler", "-pgo",
                         "-installsuffix", "-gccgoflags", "-covermode", "-coverpkg"))
# Versions that move: a query for the newest release, or a branch.
_MOVING = ("latest", "none", "master", "main", "HEAD", "upgrade", "patch")


_MENTIONS = re.compile(r"\bgo\b")


def pinned(text: str) -> bool:
    """``pkg@v1.2.3``, ``pkg@<commit>``; a local package (``.``, ``./cmd/x``, ``/src/x``), a ``.go`` file,
    or an import path without a domain (a package of the module being built, or the standard library),
    which go.mod or the toolchain decides. ``@latest``, ``@master`` and the like move."""
    if "@" in text:
        return text.rsplit("@", 1)[1] not in _MOVING
    if text.startswith((".", "/")) or text.endswith(".go"):
        return True
    return "." not in text.split("/", 1)[0]


def _brings_module(ins) -> bool:
    """Whether an instruction puts a Go module's go.mod in the image for the instructions after it: a COPY
    or ADD of go.mod or of the whole build context (``COPY . .``), or a RUN that makes or reads one (``go
    mod init``, ``go mod download``). A RUN's mounts last for that RUN only (``_mounts_module``)."""
    if ins.name in ("COPY", "ADD"):
        if ins.flag("from") is not None:
            return False
        sources = ins.words()[:-1]
        return any(w.strip("\"'").rstrip("/").rsplit("/", 1)[-1] in ("go.mod", "", ".") for w in sources)
    if ins.name == "RUN":
        return "go mod " in ins.args
    return False


def _mounts_module(ins) -> bool:
    for flag in ins.flags:
        if flag.name == "mount" and flag.value and "type=bind" in flag.value and (
                "go.mod" in flag.value or "source=" not in flag.value and "src=" not in flag.value):
            return True
    return False


def _in_module(ctx, stage, ins) -> bool:
    """Whether ``ins`` runs where a go.mod is in sight: brought by an earlier instruction of its stage or of
    a stage it builds on, or mounted by the RUN itself. There ``go install pkg`` builds the version go.mod
    requires (or fails when it requires none), and so does ``go run pkg``: only an explicit moving version
    is unpinned there. ``go get pkg`` moves go.mod to the newest release and stays reported."""
    if _mounts_module(ins):
        return True
    memo = ctx.memo("go-module")
    graph = ctx.graph
    for index in graph.chain(stage.index)[1:]:
        if index not in memo:
            memo[index] = any(_brings_module(i) for i in graph.stages[index].instructions)
        if memo[index]:
            return True
    for other in stage.instructions:
        if other is ins:
            return False
        if _brings_module(other):
            return True
    return False


def _packages(words, in_module: bool = False):
    """The package words of one ``go`` command (its words, the tool first)."""
    ops = []
    i, n = 1, len(words)
    while i < n:
        t = pin.text_of(words[i])
        if t.startswith("-") and len(t) > 1:
            i += 2 if t in _WITH_VALUE else 1
            continue
        ops.append(words[i])
        i += 1
    if not ops:
        return []
    sub = pin.text_of(ops[0])
    if sub == "run":
        packages = ops[1:2]  # what follows the package are the program's arguments
        if in_module:
            packages = [w for w in packages if "@" in pin.text_of(w)]  # go.mod decides the others
    elif sub == "install" and in_module:
        packages = [w for w in ops[1:] if "@" in pin.text_of(w)]
    elif sub in ("install", "get"):
        packages = [w for w in ops[1:] if pin.text_of(w) != "tool"]
    else:
        return []
    return packages


def check(ctx):
    if not _MENTIONS.search(ctx.doc.text):
        return
    for stage, ins, script in pin.runs(ctx):
        text = script.text
        if not _MENTIONS.search(text) or not ("install" in text or "get" in text or "run" in text):
            continue
        names = []
        module = None
        for cmd in script.commands:
            words = command_words(cmd)
            if not words or (words[0].value or "").rsplit("/", 1)[-1] != "go":
                continue
            if module is None:
                module = _in_module(ctx, stage, ins)
            texts = pin.package_texts(ctx, stage, ins, script, _packages(words, module))
            names.extend(n for n in texts if not pinned(n) and n not in names)
        if names:
            yield ctx.at_instruction(ins, (
                f"go package {pin.listed(names)} without a version (or at a moving one): each build gets the "
                "newest release or branch head of that day; name a release with `package@version`"))
