"""Output formats. Each reporter turns file results into text for a stream."""
from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github", "checkstyle", "gitlab", "junit")


def render(fmt: str, results, *, color: bool = False, show_fixes: bool = False, quiet: bool = False) -> str:
    if fmt == "text":
        from .text import render as r

        return r(results, color=color, show_fixes=show_fixes, quiet=quiet)
    if fmt == "json":
        from .json_format import render as r

        return r(results)
    import importlib

    module = importlib.import_module(f"dlint.reporters.{fmt}")
    return module.render(results)
