"""Rule documentation pages (``rules/CODE-name.md`` in the source tree, shipped inside the package)."""
from __future__ import annotations

import os
from typing import Optional


def _page_path(rule) -> Optional[str]:
    name = f"{rule.CODE}-{rule.NAME}.md"
    try:
        from importlib import resources

        res = resources.files("dlint.rule_docs").joinpath(name)
        if res.is_file():
            return str(res)
    except (ModuleNotFoundError, TypeError):
        pass
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "rules", name)
    return here if os.path.isfile(here) else None


def page(rule) -> str:
    path = _page_path(rule)
    if path is None:
        return f"# {rule.CODE} {rule.NAME}\n\n{rule.SUMMARY}\n"
    with open(path, encoding="utf-8") as fh:
        return fh.read()
