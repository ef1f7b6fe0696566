"""Build stages as BuildKit resolves them: ARG defaults in FROM, stage chains, the stage that ships."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Set

from .syntax import Document, Instruction, Stage

_VAR_RE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")
_POSIX_SHELLS = {"sh", "bash", "dash", "ash", "ksh", "zsh", "busybox"}


@dataclass
class ResolvedBase:
    image: str  # after ARG substitution
    unresolved: List[str]  # ARG names without a value
    parent_stage: Optional[int]  # index of the stage this one builds on, if FROM names a stage


def global_args(doc: Document, build_args: Dict[str, str]) -> Dict[str, Optional[str]]:
    """ARGs declared before the first FROM, with their defaults (overridden by build args)."""
    values: Dict[str, Optional[str]] = {}
    for ins in doc.instructions:
        if ins.name == "FROM":
            break
        if ins.name == "ARG":
            for decl in ins.args.split():
                name, eq, default = decl.partition("=")
                if name in build_args:
                    values[name] = build_args[name]
                else:
                    values[name] = _strip_quotes(default) if eq else None
    return values


def _strip_quotes(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def substitute(text: str, values: Dict[str, Optional[str]], missing: List[str]) -> str:
    def repl(m: "re.Match[str]") -> str:
        braced, op, alt, plain = m.group(1), m.group(2), m.group(3), m.group(4)
        name = braced or plain
        value = values.get(name)
        if op == "-":
            return value if value else alt
        if op == "+":
            return alt if value else ""
        if value is None:
            missing.append(name)
            return ""
        return value

    return _VAR_RE.sub(repl, text)


class StageGraph:
    def __init__(self, doc: Document, build_args: Optional[Dict[str, str]] = None, target: Optional[str] = None):
        self.doc = doc
        self.stages: List[Stage] = doc.stages
        self.args = global_args(doc, build_args or {})
        self.bases: List[ResolvedBase] = []
        names: Dict[str, int] = {}
        for st in self.stages:
            missing: List[str] = []
            image = substitute(st.image, self.args, missing)
            parent = names.get(image.lower())
            self.bases.append(ResolvedBase(image, missing, parent))
            if st.alias:
                names[st.alias.lower()] = st.index
        self.target_missing = False
        self.production = len(self.stages) - 1 if self.stages else None
        if target is not None:
            match = names.get(target.lower())
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

    def _shipping(self) -> Set[int]:
        """The production stage and the stages it builds on via FROM (their layers ship too)."""
        out: Set[int] = set()
        i = self.production
        while i is not None and i not in out:
            out.add(i)
            i = self.bases[i].parent_stage
        return out

    def root_base(self, index: int) -> ResolvedBase:
        """Follow FROM <stage> back to the real base image."""
        seen = set()
        base = self.bases[index]
        while base.parent_stage is not None and base.parent_stage not in seen:
            seen.add(base.parent_stage)
            base = self.bases[base.parent_stage]
        return base

    def is_stage_name(self, index: int) -> bool:
        return self.bases[index].parent_stage is not None

    def stage_index(self, ins: Instruction) -> Optional[int]:
        return self.stage_of.get(id(ins))


def shell_before(stage: Stage, ins: Instruction) -> Optional[List[str]]:
    """The SHELL in force for ``ins`` within its stage (None: the default /bin/sh -c)."""
    shell = None
    for other in stage.instructions:
        if other is ins:
            break
        if other.name == "SHELL" and other.json is not None:
            shell = other.json
    return shell


def is_posix_shell(shell: Optional[List[str]]) -> bool:
    if shell is None:
        return True
    if not shell:
        return False
    exe = shell[0].rsplit("/", 1)[-1].lower()
    return exe in _POSIX_SHELLS and shell[-1] == "-c"
