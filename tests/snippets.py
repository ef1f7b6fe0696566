"""Helpers shared by rule tests that need more than ``dlint.testing``: several rules at once, strict input
checks, and fixes that BuildKit must read back (and that a second run leaves alone)."""
import dockerfile

from dlint.checking import check_source
from dlint.fixer import fix_text
from dlint.settings import Settings

LIST_RULES = {"L001", "L002", "L003", "L004"}  # the rules about package lists and caches, fixed together


def strict_findings(text, code, enabled=None, **settings):
    """The findings of ``code`` with the rules ``enabled`` (default: ``code`` alone); the text must raise no
    input problem at all."""
    result = check_source("Dockerfile", text.encode(), Settings(enabled=set(enabled or {code}), **settings))
    assert not result.problems, [p.render() for p in result.problems]
    return [d for d in result.diagnostics if d.code == code]


def fixed_by(text, enabled=LIST_RULES):
    """The text after the safe fixes of the rules ``enabled`` (BuildKit must accept it)."""
    new, _, problem = fix_text("Dockerfile", text, Settings(enabled=set(enabled)), False)
    assert problem is None
    if new != text:
        dockerfile.parse_string(new)
    return new


def checked_fix(text, code, unsafe=True):
    """The text after `dlint fix --select code` (BuildKit must accept it; a second fix changes nothing)."""
    settings = Settings(enabled={code})
    new, _, problem = fix_text("Dockerfile", text, settings, unsafe)
    assert problem is None, problem.render()
    if new != text:
        dockerfile.parse_string(new)
        again, _, _ = fix_text("Dockerfile", new, settings, unsafe)
        assert again == new, "a second fix changed the file"
    return new
