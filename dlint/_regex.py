"""Regular expressions compiled when first used.

Compiling a pattern costs a fraction of a millisecond, and dlint has dozens at module level of which
checking a typical file uses a handful: compiled up front, they were a noticeable part of a one-file
``dlint check``. ``lazy_compile`` returns a stand-in with the methods of a compiled pattern; the first
call compiles it and rebinds the methods, so later calls cost what calling the compiled pattern does.

Pass the stand-in's methods around or call them; functions of the ``re`` module (``re.match(p, s)``) need
a real pattern (``p.compiled``).
"""
from __future__ import annotations

import re

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class LazyPattern:
    def __init__(self, pattern: str, flags: int = 0):
        self.pattern = pattern
        self._flags = flags

    def _compile(self) -> "re.Pattern[str]":
        compiled = re.compile(self.pattern, self._flags)
        # Instance attributes take precedence over the methods below from now on.
        for name in _METHODS:
            setattr(self, name, getattr(compiled, name))
        self.compiled = compiled
        return compiled

    def __getattr__(self, name):  # what is not found otherwise: ``compiled`` before first use, flags, groups...
        if name.startswith("__"):
            raise AttributeError(name)
        compiled = self._compile()
        return compiled if name == "compiled" else getattr(compiled, name)

    def match(self, *args, **kwargs):
        return self._compile().match(*args, **kwargs)

    def fullmatch(self, *args, **kwargs):
        return self._compile().fullmatch(*args, **kwargs)

    def search(self, *args, **kwargs):
        return self._compile().search(*args, **kwargs)

    def sub(self, *args, **kwargs):
        return self._compile().sub(*args, **kwargs)

    def subn(self, *args, **kwargs):
        return self._compile().subn(*args, **kwargs)

    def split(self, *args, **kwargs):
        return self._compile().split(*args, **kwargs)

    def findall(self, *args, **kwargs):
        return self._compile().findall(*args, **kwargs)

    def finditer(self, *args, **kwargs):
        return self._compile().finditer(*args, **kwargs)

    def __repr__(self) -> str:
        return f"lazy_compile({self.pattern!r})"


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    """Like ``re.compile``, compiled on first use."""
    return LazyPattern(pattern, flags)
