"""One-line helpers for rule tests: a snippet in, the rule's findings (or the fixed text) out.

    from dlint.testing import findings, fixed

    def test_reports_the_update():
        [d] = findings("FROM debian:12\\nRUN apt-get update\\nRUN apt-get install -y curl\\n", "L001")
        assert d.line == 2
"""
from __future__ import annotations

from .checking import check_source
from .fixer import fix_text
from .settings import Settings


def findings(text: str, code: str, path: str = "Dockerfile", **settings) -> list:
    """The findings of rule ``code`` alone on ``text``, checked as the file ``path`` (its name and folders
    tell some rules what the image is for); ``settings``: fields of ``Settings``. The text must raise no
    input problem."""
    result = check_source(path, text.encode(), Settings(enabled={code}, **settings))
    assert not result.problems, [p.render() for p in result.problems]
    from .rules import owner

    return [d for d in result.diagnostics if d.code == code or owner(d.code).code == code]


def fixed(text: str, code: str, unsafe: bool = False, **settings) -> str:
    """``text`` after ``dlint fix`` with rule ``code`` alone."""
    new, _, problem = fix_text("Dockerfile", text, Settings(enabled={code}, **settings), unsafe)
    assert problem is None, problem
    return new
