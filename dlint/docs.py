"""Rule documentation pages (``rules/CODE-name.md`` in the source tree, shipped inside the package)."""
from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:  # for annotations only: importing typing costs a tenth of a one-file check
    from typing import Dict, Optional

# Where the project lives; rule pages are linked as PROJECT_URL + "/blob/main/rules/CODE-name.md".
PROJECT_URL = "https://github.com/dlint/dlint"


def rule_url(rule) -> str:
    return f"{PROJECT_URL}/blob/main/rules/{rule.code}-{rule.name}.md"


def _page_path(rule) -> Optional[str]:
    name = f"{rule.code}-{rule.name}.md"
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
        return f"# {rule.code} {rule.name}\n\n{rule.summary}\n"
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def sections(text: str) -> Dict[str, str]:
    """Section title -> body for the ``## `` headings of a page (not those inside code blocks)."""
    out: Dict[str, str] = {}
    title = None
    body = []
    fence = False
    for line in text.splitlines(True):
        if line.startswith("```"):
            fence = not fence
        if not fence and line.startswith("## "):
            if title is not None:
                out[title] = "".join(body)
            title, body = line[3:].strip(), []
        elif title is not None:
            body.append(line)
    if title is not None:
        out[title] = "".join(body)
    return out


def description(rule) -> str:
    """The first paragraph of the page's "What it does", on one line (the summary if there is no page)."""
    body = sections(page(rule)).get("What it does", "").strip()
    first = body.split("\n\n", 1)[0].strip()
    return " ".join(first.split()) if first else rule.summary
