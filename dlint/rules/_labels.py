"""LABEL pairs and the label schema, shared by the label rules (M001-M010).

``label-schema`` (a table: label name -> type) and ``strict-labels`` (a bool) mean what hadolint's settings
of the same names mean: the labels every image should carry, the form of each value, and whether labels
outside the schema are unwanted."""
from __future__ import annotations

import re

from ..syntax import GO_SPACE, buildkit_words

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only
    from typing import Dict, List, Tuple

    from ..syntax import Instruction

TYPES = ("text", "url", "hash", "rfc3339", "semver", "spdx", "email")
SCHEMA_OPTIONS = {"label-schema": {}, "strict-labels": False}


def _unquote(word: str, escape: str) -> str:
    if escape not in word and "'" not in word and '"' not in word:
        return word
    out = []
    quote = None
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if quote is None and c in "\"'":
            quote = c
        elif c == quote:
            quote = None
        elif c == escape and quote != "'" and i + 1 < n:
            i += 1
            out.append(word[i])
        else:
            out.append(c)
        i += 1
    return "".join(out)


_VARIABLE = re.compile(r"\$(?:\{?[A-Za-z_])")


def expands(ctx, ins: Instruction, name: str) -> bool:
    """Whether the value of label ``name`` in ``ins`` refers to a variable (``$VERSION``, ``${BUILD_DATE}``):
    BuildKit fills it in from an ARG or ENV, so the value written is not the value the image gets."""
    words = buildkit_words(ins.args, ctx.doc.escape)
    for w in words:
        key, eq, raw = w.partition("=")
        if eq and _unquote(key, ctx.doc.escape) == name:
            return _has_variable(raw, ctx.doc.escape)
    return bool(words) and "=" not in words[0] and _has_variable(ins.args, ctx.doc.escape)


def _has_variable(raw: str, escape: str) -> bool:
    quote = None
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == escape and quote != "'":
            i += 2
            continue
        if c in "\"'" and quote in (None, c):
            quote = None if quote else c
        elif c == "$" and quote != "'" and _VARIABLE.match(raw, i):
            return True
        i += 1
    return False


def label_pairs(ctx, ins: Instruction) -> List[Tuple[str, str]]:
    """(name, value) of a LABEL, quotes removed as BuildKit removes them; memoised per instruction."""
    memo = ctx.memo("label-pairs")
    key = id(ins)
    found = memo.get(key)
    if found is None:
        escape = ctx.doc.escape
        words = buildkit_words(ins.args, escape)
        if words and "=" not in words[0]:  # legacy `LABEL name value`
            m = re.match(f"[^{GO_SPACE}]+[{GO_SPACE}]+", ins.args)
            found = [(_unquote(words[0], escape), _unquote(ins.args[m.end():], escape) if m else "")]
        else:
            found = [(_unquote(k, escape), _unquote(v, escape)) for k, _, v in (w.partition("=") for w in words)]
        memo[key] = found
    return found


def labels(ctx):
    """(stage, LABEL instruction, pairs) for every LABEL of the file (ONBUILD ones belong to another build)."""
    for stage in ctx.stages:
        for ins in stage.instructions:
            if ins.name == "LABEL":
                yield stage, ins, label_pairs(ctx, ins)


def schema(ctx) -> Dict[str, str]:
    value = ctx.option("label-schema")
    return value if isinstance(value, dict) else {}


def typed(ctx, kind: str) -> List[str]:
    return [name for name, t in schema(ctx).items() if t == kind]


def typed_check(ctx, kind: str, valid, what: str):
    """Findings for the labels of schema type ``kind`` whose value ``valid`` rejects."""
    names = typed(ctx, kind)
    if not names:
        return
    for _, ins, pairs in labels(ctx):
        for name, value in pairs:
            if name in names and not valid(value) and not expands(ctx, ins, name):
                yield ctx.at_instruction(ins, f"label `{name}` is `{value}`, not {what} (label-schema says {kind})")


# ----------------------------------------------------------------------------------------- value forms

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*\Z")


def is_url(value: str) -> bool:
    """An absolute URI (RFC 3986): a scheme, then only URI characters (percent escapes well formed)."""
    m = _SCHEME.match(value)
    return bool(m) and bool(_URI_CHARS.match(value, m.end()))


_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))\Z")


def is_rfc3339(value: str) -> bool:
    import calendar

    m = _RFC3339.match(value)
    if not m:
        return False
    year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    if hour > 23 or minute > 59 or second > 60:
        return False
    return m.group(9) is None or (int(m.group(9)) <= 23 and int(m.group(10)) <= 59)


def is_git_hash(value: str) -> bool:
    """A full (40) or short (7) lower-case hexadecimal commit id."""
    return len(value) in (7, 40) and all(c in "0123456789abcdef" for c in value)


_NUMBER = r"(?:0|[1-9][0-9]*)"
_IDENT = r"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_SEMVER = re.compile(rf"{_NUMBER}\.{_NUMBER}\.{_NUMBER}(?:-{_IDENT}(?:\.{_IDENT})*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\Z")


def is_semver(value: str) -> bool:
    """Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH, optional pre-release and build parts, no ``v``."""
    return bool(_SEMVER.match(value))


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_EMAIL = re.compile(rf"(?:{_ATOM}(?:\.{_ATOM})*|\"(?:[^\"\\\r\n]|\\.)*\")@(?:{_ATOM}(?:\.{_ATOM})*|\[[^\[\]\\\s]*\])\Z")


def is_email(value: str) -> bool:
    """An RFC 5322 address (addr-spec): a dot-atom or quoted local part, ``@``, a domain or a literal."""
    return bool(_EMAIL.match(value))


def spdx_ids():
    """(current ids, deprecated ids) of the SPDX license list, read once."""
    global _SPDX
    if _SPDX is None:
        from ..data import load_json

        data = load_json("spdx_licenses.json")
        _SPDX = frozenset(data["ids"]), frozenset(data["deprecated"])
    return _SPDX


def is_spdx(value: str) -> bool:
    """One current SPDX license identifier (not an expression, not a deprecated id such as ``GPL-2.0``)."""
    return value in spdx_ids()[0]


_SPDX = None
