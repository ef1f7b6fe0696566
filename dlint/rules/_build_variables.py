"""ENV and ARG variables as the build expands them in COPY, ADD and WORKDIR: ``$NAME`` and ``${NAME}``
replaced by their values; names that neither ENV nor ARG define kept as ``${NAME}`` (both COPY and the shell
read them from the base image's environment)."""
from __future__ import annotations

import re

from ..stages import MAX_VALUE
from ..syntax import GO_SPACE, Instruction, buildkit_words

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, List, Optional, Tuple

# Variables the shell sets itself (or the build gives RUN but not COPY): their value is not what COPY sees.
_SHELL_ONLY = frozenset({"HOME", "PWD", "OLDPWD", "USER", "LOGNAME", "HOSTNAME", "SHELL", "UID", "EUID", "PPID",
                         "RANDOM", "IFS", "OPTIND", "LINENO", "SECONDS"})
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def expand(text: str, env: Dict[str, str]) -> Optional[str]:
    """``$NAME``/``${NAME}`` replaced by ENV/ARG values; unknown names kept as ``${NAME}``; None for
    forms whose value cannot be told (``${X:-y}``, ``$(...)``, shell-set variables) and for values longer
    than ``MAX_VALUE`` (variables that refer to each other can double at each step)."""
    out: List[str] = []
    size = 0  # characters of values in ``out``
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            out.append(text[i:i + 2] if text[i + 1] != "$" else "$")
            i += 2
            continue
        if c != "$":
            out.append(c)
            i += 1
            continue
        if i + 1 < n and text[i + 1] == "{":
            close = text.find("}", i + 2)
            name = text[i + 2:close] if close > 0 else ""
            if not VARIABLE_NAME.fullmatch(name):
                return None
            i = close + 1
        else:
            m = VARIABLE_NAME.match(text, i + 1)
            if not m:
                return None
            name = m.group()
            i = m.end()
        if name in env:
            value = env[name]
            size += len(value)
            if size > MAX_VALUE:
                return None
            out.append(value)
        elif name in _SHELL_ONLY:
            return None
        else:
            out.append("${" + name + "}")
    return "".join(out)


def env_assignments(ins: Instruction, escape: str) -> List[Tuple[str, Optional[str]]]:
    """(name, raw value) pairs of an ENV or ARG instruction (ARG without a default: value None)."""
    if ins.name == "ARG":
        out = []
        for w in buildkit_words(ins.args, escape):
            name, eq, value = w.partition("=")
            out.append((name, _unquote(value) if eq else None))
        return out
    words = buildkit_words(ins.args, escape)
    if words and "=" not in words[0]:
        m = re.match(f"[^{GO_SPACE}]+[{GO_SPACE}]+", ins.args)
        return [(words[0], ins.args[m.end():] if m else "")]
    return [(name, _unquote(value)) for name, _, value in (w.partition("=") for w in words)]


def _unquote(value: str) -> str:
    if "\\" not in value and "'" not in value and '"' not in value:
        return value
    out = []
    quote = None
    i = 0
    while i < len(value):
        c = value[i]
        if quote is None and c in "\"'":
            quote = c
        elif c == quote:
            quote = None
        elif c == "\\" and quote != "'" and i + 1 < len(value) and value[i + 1] != "$":
            i += 1
            out.append(value[i])
        else:
            out.append(c)
        i += 1
    return "".join(out)
