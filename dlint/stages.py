"""Build stages as BuildKit resolves them: ARG defaults in FROM, stage chains, the stage that ships."""
from __future__ import annotations

import re

from ._dataclass import dataclass, field
from ._regex import lazy_compile
from .syntax import Document, Instruction, Stage

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Set, Tuple

_NAME_RE = lazy_compile(r"[A-Za-z_][A-Za-z0-9_]*")
_POSIX_SHELLS = {"sh", "bash", "dash", "ash", "ksh", "zsh", "busybox"}
# BuildKit defines these in the global scope itself; their value depends on the platform being built.
PLATFORM_ARGS = frozenset({
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
})
_DOCKER_HUB = ("docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com")
# The longest value dlint expands a variable to. A value can refer to another one several times
# (``ARG B=${A}${A}``), so a few dozen short lines could expand to terabytes; a longer value is treated as
# unknown (and reported), which keeps time and memory bounded whatever the input. No value written in a
# Dockerfile comes near it: it is as long as the longest line BuildKit accepts.
MAX_VALUE = 65535


class ValueTooLong(Exception):
    """A variable expanded to more than ``MAX_VALUE`` characters."""


_VARIABLE = lazy_compile(r"\$\{[^}]*\}|\$\w+")


def _fits(name: str, pieces: List[str]) -> bool:
    """Whether ``name`` is ``pieces`` with some text (a variable's value) between each two of them."""
    if len(name) < sum(len(p) for p in pieces) or not (name.startswith(pieces[0]) and name.endswith(pieces[-1])):
        return False
    at = len(pieces[0])
    for piece in pieces[1:-1]:
        at = name.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return at <= len(name) - len(pieces[-1])


@dataclass
class ImageRef:
    """A parsed image reference: ``[registry/]path[:tag][@digest]``."""

    text: str
    registry: Optional[str]  # None for Docker Hub
    path: str  # repository path, Docker Hub's ``library/`` dropped
    tag: Optional[str]
    digest: Optional[str]

    @property
    def name(self) -> str:
        """Last path component: ``python`` for ``docker.io/library/python:3.12``."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def repository(self) -> str:
        """Registry and path without tag or digest."""
        return f"{self.registry}/{self.path}" if self.registry else self.path


_REFERENCE_RE = lazy_compile(
    r"(?:[A-Za-z0-9.-]+(?::[0-9]+)?/)?[A-Za-z0-9]+(?:(?:[._]|__|-+)[A-Za-z0-9]+)*"
    r"(?:/[A-Za-z0-9]+(?:(?:[._]|__|-+)[A-Za-z0-9]+)*)*"
    r"(?::[\w$][\w.${}-]{0,127})?(?:@[A-Za-z0-9]+:[0-9a-fA-F.]+)?")


def parse_image(text: str) -> Optional[ImageRef]:
    """Split an image reference; None when it is empty or not a valid reference (a template placeholder)."""
    s = text.strip()
    if not s or not _REFERENCE_RE.fullmatch(s):
        return None
    digest = None
    if "@" in s:
        s, digest = s.split("@", 1)
    tag = None
    slash = s.rfind("/")
    colon = s.rfind(":")
    if colon > slash:
        s, tag = s[:colon], s[colon + 1:]
    registry = None
    first, sep, rest = s.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        registry, s = first.lower(), rest
    if registry in _DOCKER_HUB:
        registry = None
    if registry is None and s.startswith("library/"):
        s = s[len("library/"):]
    if not s:
        return None
    return ImageRef(text.strip(), registry, s.lower(), tag, digest)


@dataclass
class ResolvedBase:
    image: str  # after ARG substitution
    unresolved: List[str]  # ARG names without a value
    parent_stage: Optional[int]  # index of the stage this one builds on, if FROM names a stage
    args: List[str] = field(default_factory=list)  # ARG names the FROM refers to
    ref: Optional[ImageRef] = None  # the image, when FROM names one (not a stage, not scratch)

    @property
    def is_scratch(self) -> bool:
        return self.parent_stage is None and self.image.lower() == "scratch"


def _arg_words(text: str) -> List[str]:
    """Words of an ARG instruction, quotes kept inside words (``X="a b"`` is one word)."""
    words: List[str] = []
    cur: List[str] = []
    quote = None
    for c in text:
        if quote:
            cur.append(c)
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
            cur.append(c)
        elif c in " \t":
            if cur:
                words.append("".join(cur))
                cur = []
        else:
            cur.append(c)
    if cur:
        words.append("".join(cur))
    return words


def _strip_quotes(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def global_args(doc: Document, build_args: Dict[str, str],
                declared: Optional[Dict[str, Instruction]] = None) -> Dict[str, Optional[str]]:
    """ARGs declared before the first FROM, with their defaults (overridden by build args).

    A default may refer to an ARG declared before it. ``declared`` (if given) receives the
    declaring instruction of each name.
    """
    values: Dict[str, Optional[str]] = {}
    for ins in doc.instructions:
        if ins.name == "FROM":
            break
        if ins.name != "ARG":
            continue
        for decl in _arg_words(ins.args):
            name, eq, default = decl.partition("=")
            if not _NAME_RE.fullmatch(name):
                continue
            if declared is not None:
                declared[name] = ins
            if name in build_args:
                values[name] = build_args[name]
            elif eq:
                try:
                    values[name] = substitute(_strip_quotes(default), values, [], strict=True)
                except ValueTooLong:
                    values[name] = None  # unknown, as without a default (``oversized_values`` reports it)
            else:
                values[name] = None
    return values


def _find_close(text: str, i: int) -> int:
    """Index of the ``}`` closing the ``${`` whose body starts at ``i`` (-1 if none)."""
    depth = 1
    while i < len(text):
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def substitute(text: str, values: Dict[str, Optional[str]], missing: List[str],
               used: Optional[List[str]] = None, strict: bool = False) -> str:
    """Expand ``$NAME``/``${NAME}``/``${NAME:-word}``/``${NAME:+word}``/``${NAME-word}``... as BuildKit does
    in FROM. Names without a value expand to nothing and are added to ``missing``; platform ARGs without
    a value are kept as written (their value is only known per platform).

    A result longer than ``MAX_VALUE`` raises ``ValueTooLong`` when ``strict``; otherwise the text is kept
    as written, unexpanded."""
    try:
        return _substitute(text, values, missing, used)
    except ValueTooLong:
        if strict:
            raise
        return text


def _substitute(text: str, values: Dict[str, Optional[str]], missing: List[str],
                used: Optional[List[str]] = None) -> str:
    out: List[str] = []
    size = 0  # characters of values in ``out``: checked as each is added, so nothing far longer is built
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] == "$":
            out.append("$")
            i += 2
            continue
        if c != "$" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        if text[i + 1] == "{":
            close = _find_close(text, i + 2)
            if close < 0:
                out.append(text[i:])
                break
            body = text[i + 2:close]
            m = _NAME_RE.match(body)
            if not m:
                out.append(text[i:close + 1])
                i = close + 1
                continue
            name, rest = m.group(0), body[m.end():]
            whole = text[i:close + 1]
            i = close + 1
        else:
            m = _NAME_RE.match(text, i + 1)
            if not m:
                out.append(c)
                i += 1
                continue
            name, rest = m.group(0), ""
            whole = "$" + name
            i = m.end()
        if used is not None:
            used.append(name)
        value = values.get(name)
        if value is None and name in PLATFORM_ARGS:
            out.append(whole)
            continue
        op = ""
        for candidate in (":-", ":+", ":?", "-", "+", "?"):
            if rest.startswith(candidate):
                op, rest = candidate, rest[len(candidate):]
                break
        if not op and rest:  # a form BuildKit does not expand in FROM (patterns): keep it literal
            out.append(whole)
            continue
        if op == ":-":
            piece = value if value else _substitute(rest, values, missing, used)
        elif op == "-":
            piece = value if value is not None else _substitute(rest, values, missing, used)
        elif op == ":+":
            piece = _substitute(rest, values, missing, used) if value else ""
        elif op == "+":
            piece = _substitute(rest, values, missing, used) if value is not None else ""
        else:
            if value is None or (op == ":?" and not value):
                missing.append(name)
            piece = value or ""
        size += len(piece)
        if size > MAX_VALUE:
            raise ValueTooLong
        out.append(piece)
    return "".join(out)


class StageGraph:
    def __init__(self, doc: Document, build_args: Optional[Dict[str, str]] = None, target: Optional[str] = None):
        self.doc = doc
        self.stages: List[Stage] = doc.stages
        self._chains: Dict[int, tuple] = {}  # stage index -> its chain (``chain``)
        self.build_args: Dict[str, str] = dict(build_args or {})
        self.arg_declarations: Dict[str, Instruction] = {}
        self.args = global_args(doc, self.build_args, self.arg_declarations)
        self.bases: List[ResolvedBase] = []
        self.names: Dict[str, int] = {}
        for st in self.stages:
            missing: List[str] = []
            used: List[str] = []
            image = substitute(st.image, self.args, missing, used)
            parent = self.names.get(image.lower())
            ref = None
            if parent is None and image.lower() != "scratch" and not missing:
                ref = parse_image(image)
            self.bases.append(ResolvedBase(image, missing, parent, used, ref))
            if st.alias:
                self.names[st.alias.lower()] = st.index
        self.target = target
        self.target_missing = False
        self.production = len(self.stages) - 1 if self.stages else None
        if target:
            match = self.names.get(target.lower())
            if match is None:
                self.target_missing = True
            else:
                self.production = match
        self.stage_of: Dict[int, int] = {}
        for st in self.stages:
            self.stage_of[id(st.instruction)] = st.index
            for ins in st.instructions:
                self.stage_of[id(ins)] = st.index
        self.shipping = self._shipping()
        # What the SHELL in force depends on beyond the stage itself: the stage it builds on (its SHELL, ENV
        # and ARGs carry over) and whether the base image is a Windows one (default shell ``cmd /S /C``).
        self.windows_base: List[bool] = [base.ref is not None and is_windows_image(base.ref) for base in self.bases]
        # Rules ask these for many instructions of a stage: found once per stage, kept here by stage index.
        self._shells: Dict[int, Dict[Optional[int], Optional[List[str]]]] = {}
        self._errexit_env: Dict[int, int] = {}

    def _shipping(self) -> Set[int]:
        """The production stage and the stages it builds on via FROM (their layers ship too), including every
        stage a FROM may name through a variable with no value here (``FROM base-$TARGETARCH``: each build
        picks one of ``base-amd64``, ``base-arm64``)."""
        if self.production is None:
            return set()
        out: Set[int] = set()
        todo = [self.production]
        while todo:
            for k in self.chain(todo.pop()):
                if k not in out:
                    out.add(k)
                    todo.extend(self._stages_a_variable_may_name(k))
        return out

    def _stages_a_variable_may_name(self, index: int) -> List[int]:
        """The earlier stages whose name the FROM of stage ``index`` may resolve to, when that FROM has a
        variable without a value (none otherwise)."""
        base = self.bases[index]
        if base.parent_stage is not None or not (base.unresolved or "$" in base.image):
            return []
        pieces = _VARIABLE.split(self.stages[index].image.lower())  # the text between the variables
        if not any(pieces):
            return []  # `FROM $BASE` alone: an image the build passes in, far more often than a stage name
        return [st.index for st in self.stages[:index] if st.alias and _fits(st.alias.lower(), pieces)]

    def chain(self, index: int) -> List[int]:
        """``index`` and the stages it builds on through ``FROM <stage>``, nearest first."""
        cache = self._chains
        if index not in cache:
            # A FROM names only stages before it (names are registered after the base is read), so the
            # walk ends; up to the first stage whose chain is known, then back down, once per stage.
            path: List[int] = []
            i: Optional[int] = index
            while i is not None and i not in cache:
                path.append(i)
                i = self.bases[i].parent_stage
            tail = cache[i] if i is not None else ()
            for k in reversed(path):
                tail = cache[k] = (k,) + tail
        return list(cache[index])

    def shell_before(self, stage: Stage, ins: Optional[Instruction]) -> Optional[List[str]]:
        """The SHELL in force for ``ins`` (None: the default /bin/sh -c). A stage built ``FROM`` another stage
        starts with that stage's last SHELL; a Windows stage (a Windows base image, or Windows paths anywhere
        in the chain of stages) without a SHELL starts with ``cmd /S /C``."""
        shells = self._shells.get(stage.index)
        if shells is None:
            parent = self.bases[stage.index].parent_stage
            if parent is not None and parent != stage.index:
                shell = self.shell_before(self.stages[parent], None)
            else:
                shell = None
            if shell is None:
                chain = self.chain(stage.index)
                if self.windows_base[chain[-1]] or any(_looks_windows(self.stages[i]) for i in chain):
                    shell = WINDOWS_DEFAULT_SHELL
            shells = {}
            for other in stage.instructions:
                shells[id(other)] = shell
                if other.name == "SHELL" and other.json is not None:
                    shell = other.json
            shells[None] = shell
            self._shells[stage.index] = shells
        return shells.get(id(ins), shells[None])

    def env_may_set_errexit(self, stage: Stage, ins: Optional[Instruction]) -> bool:
        """Whether ENV or ARG values in force for ``ins`` may turn on errexit: bash (also when it is /bin/sh)
        takes options from ``SHELLOPTS`` and runs the file ``BASH_ENV`` names. Stages built on this one
        inherit both."""
        for k, index in enumerate(self.chain(stage.index)):
            st = self.stages[index]
            first = self._errexit_env.get(index)
            if first is None:  # position of the first ENV/ARG naming them, found once per stage
                first = next((n for n, other in enumerate(st.instructions) if other.name in ("ENV", "ARG")
                              and _ERREXIT_ENV.search(other.args)), -1)
                self._errexit_env[index] = first
            if first < 0:
                continue
            if k > 0 or ins is None:
                return True
            return any(other is ins for other in st.instructions[first + 1:])
        return False

    def root_base(self, index: int) -> ResolvedBase:
        """Follow FROM <stage> back to the real base image."""
        return self.bases[self.chain(index)[-1]]

    def root_stage(self, index: int) -> int:
        """The stage of the chain that names the real base image."""
        return self.chain(index)[-1]

    def is_stage_name(self, index: int) -> bool:
        return self.bases[index].parent_stage is not None

    def stage_index(self, ins: Instruction) -> Optional[int]:
        return self.stage_of.get(id(ins))

    @property
    def production_stage(self) -> Optional[Stage]:
        return self.stages[self.production] if self.production is not None else None

    def stage_named(self, name: str) -> Optional[int]:
        """A stage by name, or by index as ``COPY --from=0`` allows."""
        key = name.lower()
        if key in self.names:
            return self.names[key]
        if key.isdigit() and int(key) < len(self.stages):
            return int(key)
        return None

    def copy_sources(self, stage: Stage) -> List[Tuple[Instruction, Optional[int], str]]:
        """``(instruction, stage index or None, source as written)`` for COPY --from and RUN --mount from=."""
        out: List[Tuple[Instruction, Optional[int], str]] = []
        for ins in stage.instructions:
            if ins.name in ("COPY", "ADD"):
                f = ins.flag("from")
                if f is not None and f.value:
                    src = substitute(f.value, self.args, [])
                    out.append((ins, self._other_stage(src, stage.index), src))
            elif ins.name == "RUN":
                for f in ins.flags:
                    if f.name != "mount" or not f.value:
                        continue
                    for part in f.value.split(","):
                        key, _, value = part.partition("=")
                        if key.strip() == "from" and value:
                            src = substitute(value.strip(), self.args, [])
                            out.append((ins, self._other_stage(src, stage.index), src))
        return out

    def _other_stage(self, name: str, this: int) -> Optional[int]:
        idx = self.stage_named(name)
        return idx if idx is not None and idx != this else None

    def arg_default_line(self, name: str) -> Optional[int]:
        ins = self.arg_declarations.get(name)
        return ins.line if ins is not None else None


WINDOWS_DEFAULT_SHELL = ["cmd", "/S", "/C"]
_WINDOWS_IMAGE = lazy_compile(r"(?:^|/)(?:windows|windowsservercore|nanoserver|servercore|windows/[\w.-]+)(?:$|[-_/])")
_WINDOWS_TAG = lazy_compile(r"(?:^|[-_.])(?:windowsservercore|nanoserver|servercore|windows|ltsc20\d\d)(?:$|[-_.\d])")
# A Windows path in an instruction: a drive letter (not the scheme of a URL) followed by a backslash, or a
# WORKDIR that starts with a drive.
# A drive letter that starts a word (``C:\app``, ``"C:\Program Files"``, ``PATH=C:\x``), not the end of one
# (``init.d:\$PATH`` in a sed expression).
_WINDOWS_PATH = lazy_compile(r"(?:^|(?<=[\s\"'=;,(\[]))[A-Za-z]:\\")
_WINDOWS_WORKDIR = lazy_compile(r"[\"']?[A-Za-z]:[\\/]")


def is_windows_image(ref: ImageRef) -> bool:
    """Whether an image reference names a Windows image (mcr.microsoft.com/windows/*, servercore,
    nanoserver, or a Windows tag such as ``ltsc2022`` or ``windowsservercore-1809``)."""
    if ref.registry == "mcr.microsoft.com" and (ref.path.startswith("windows") or "/windows" in ref.path):
        return True
    if _WINDOWS_IMAGE.search(ref.path):
        return True
    return bool(ref.tag) and bool(_WINDOWS_TAG.search(ref.tag.lower()))


def _looks_windows(stage: Stage) -> bool:
    """A stage that names Windows paths (``WORKDIR C:\\app``, ``COPY x C:\\tools``) runs on Windows."""
    for ins in stage.instructions:
        if ins.name == "WORKDIR" and _WINDOWS_WORKDIR.match(ins.args):
            return True
        if ins.name in ("WORKDIR", "COPY", "ADD", "RUN", "ENV", "USER", "SHELL") and _WINDOWS_PATH.search(ins.args):
            return True
    return False


_ERREXIT_ENV = lazy_compile(r"\b(SHELLOPTS|BASH_ENV)\b")


def is_posix_shell(shell: Optional[List[str]]) -> bool:
    if shell is None:
        return True
    if not shell:
        return False
    exe = shell[0].rsplit("/", 1)[-1].lower()
    return exe in _POSIX_SHELLS and shell[-1] == "-c"


def shell_has_errexit(shell: Optional[List[str]]) -> bool:
    """Whether a SHELL's options may turn on -e (errexit): ``-e``, ``-eo pipefail``, ``-o errexit``, ``-eux``;
    also options that read start-up files (``-l``, ``--login``, ``--rcfile``), which may set anything."""
    if not shell:
        return False
    opts = shell[1:-1]
    for i, o in enumerate(opts):
        if re.fullmatch(r"-[A-Za-z]*e[A-Za-z]*", o) or re.fullmatch(r"-[A-Za-z]*l[A-Za-z]*", o):
            return True
        if o in ("-o", "-O") and i + 1 < len(opts) and opts[i + 1] == "errexit":
            return True
        if o.startswith("--") and o not in ("--noprofile", "--norc", "--posix", "--restricted"):
            return True
        if o.startswith("-o") and "errexit" in o:
            return True
    return False


def unknown_target(doc: Document, target: Optional[str]) -> Optional[str]:
    """The message for a ``--target`` no stage of the file is named, as BuildKit refuses to build it."""
    if not target or any(st.alias and st.alias.lower() == target.lower() for st in doc.stages):
        return None
    names = ", ".join(st.alias for st in doc.stages if st.alias) or "none"
    return f"target stage {target!r} not found (stage names: {names}); checked with the last stage as production"


# ``${NAME}`` and ``$NAME`` (group 1 or 3), or the start of ``${NAME...}`` with an operator (group 2).
_REFERENCE = lazy_compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))")
_DECLARED = lazy_compile(r"(?:^|[ \t])([A-Za-z_][A-Za-z0-9_]*)=")


def oversized_values(doc: Document) -> List[Tuple[Instruction, str]]:
    """The ARG and ENV instructions (with a name each declares) whose value may expand to more than
    ``MAX_VALUE`` characters, which dlint then treats as unknown.

    Measured without building any value: a value is at most as long as its instruction's text without
    the names it declares and the plain references it makes, plus the longest value of each variable it
    refers to; so every variable dlint gives up on is reported, and a plain chain is measured exactly."""
    longest: Dict[str, int] = {}
    out: List[Tuple[Instruction, str]] = []
    for ins in doc.instructions:
        if ins.name not in ("ARG", "ENV"):
            continue
        args = ins.args
        names = _DECLARED.findall(args)
        if not names and ins.name == "ENV":
            first = args.split(None, 1)
            names = first[:1] if first and _NAME_RE.fullmatch(first[0]) else []
        elif ins.name == "ARG":
            names = names + [w for w in args.split() if _NAME_RE.fullmatch(w)]
        if not names:
            continue
        size = len(args) - sum(len(n) + 1 for n in names if n + "=" in args)
        if "$" in args:
            for m in _REFERENCE.finditer(args):
                if m.group(2) is None:  # a plain reference: replaced by the value
                    size -= len(m.group(0))
                size += longest.get(m.group(1) or m.group(2) or m.group(3), 0)
        size = min(size, MAX_VALUE + 1)  # enough to tell; the numbers stay small
        for name in names:
            longest[name] = max(longest.get(name, 0), size)
        if size > MAX_VALUE:
            out.append((ins, names[0]))
    return out
