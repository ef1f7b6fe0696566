"""The rule contract (dlint.rule): every module under dlint/rules/ is a registered rule, and a rule emits
only the fix applicability its metadata declares."""
from __future__ import annotations

import glob
import os
import re

import pytest

from dlint import rules as registry
from dlint.checking import check_source
from dlint.docs import sections
from dlint.inputs import read_context
from dlint.rule import NO_FIX, Applicability, Rule
from dlint.settings import Settings
from page_context import context_block, make_context

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES_DIR = os.path.join(ROOT, "dlint", "rules")


def test_every_rule_module_is_registered():
    on_disk = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(RULES_DIR, "*.py"))
                     if not os.path.basename(p).startswith("_"))
    registered = sorted(r.module.rsplit(".", 1)[1] for r in registry.ALL_RULES)
    assert on_disk == registered
    for rule in registry.ALL_RULES:
        assert isinstance(rule, Rule) and callable(rule.check)
        assert registry.BY_CODE[rule.code] is rule and registry.BY_NAME[rule.name] is rule


def test_a_module_without_the_contract_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "not_a_rule.py"
    bad.write_text("CODE = 'X001'\n\ndef check(ctx):\n    return []\n")
    monkeypatch.setattr(registry, "__path__", [str(tmp_path)])
    monkeypatch.syspath_prepend(str(tmp_path))
    assert registry.rule_module_names() == ["not_a_rule"]
    import importlib
    import sys
    import types

    pkg = types.ModuleType("dlint_scratch_rules")
    pkg.__path__ = [str(tmp_path)]
    monkeypatch.setitem(sys.modules, "dlint_scratch_rules", pkg)
    monkeypatch.setattr(registry, "__name__", "dlint_scratch_rules")
    with pytest.raises(registry.RegistryError, match="declares RULE = Rule"):
        registry._load("not_a_rule")
    importlib.invalidate_caches()


def test_metadata_is_well_formed():
    for rule in registry.ALL_RULES:
        assert rule.severity in ("error", "warning", "info", "style")
        assert isinstance(rule.fix, Applicability)
        assert all(code in registry.BY_CODE and code != rule.code for code in rule.defers_to)
        assert rule.summary and not rule.summary.endswith(".")


def _doc_texts():
    """Every Dockerfile the rule pages show (Example and Fixed blocks, with the build context the Example
    shows: {path: text}) and the examples/ directory (no build context)."""
    out = []
    for page in sorted(glob.glob(os.path.join(ROOT, "rules", "*.md"))):
        with open(page, encoding="utf-8") as fh:
            body = fh.read()
        files = context_block(sections(body).get("Example", ""))
        for title in ("Example", "Fixed"):
            blocks = re.findall(r"^```dockerfile\n(.*?)^```\s*$", sections(body).get(title, ""), flags=re.S | re.M)
            out.extend((b, files) for b in blocks[:1])
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "**", "*Dockerfile*"), recursive=True)):
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as fh:
                out.append((fh.read(), None))
    return out


def test_rules_emit_only_the_applicability_they_declare(tmp_path):
    seen = set()
    for n, (text, files) in enumerate(_doc_texts()):
        context = None
        if files is not None:  # the page's build context (an empty directory when it shows none)
            root = tmp_path / str(n)
            root.mkdir()
            make_context(root, files)
            context = read_context(str(root), str(root / "Dockerfile"))
        options = {}
        if files and ".dlint.toml" in files:  # the rule options the page sets (label-schema, trusted-registries)
            import tomllib

            from dlint.config import from_table

            options = from_table(tomllib.loads(files[".dlint.toml"]), ".dlint.toml").options
        every = Settings(enabled=set(registry.BY_CODE), context=context, options=options)
        for d in check_source("Dockerfile", text.encode(), every).diagnostics:
            rule = registry.owner(d.code)  # SC2164 is reported by the rule SC
            assert d.code == rule.code or rule.owns(d.code), d.code
            seen.add(rule.code)
            if d.fix is None:
                continue
            assert rule.fix is not NO_FIX, f"{d.code} declares fix=NO_FIX but offers a fix"
            assert rule.allows(d.fix.applicability), (d.code, d.fix.applicability, rule.fix)
    missing = set(registry.BY_CODE) - seen
    assert not missing, f"no example exercises {sorted(missing)}"


def test_asking_about_an_undeclared_rule_fails():
    from dlint.context import Context
    from dlint.syntax import parse

    ctx = Context("Dockerfile", parse("FROM debian:12\n"), Settings(enabled={"L001"}))
    ctx.rule = registry.BY_CODE["L001"]
    with pytest.raises(ValueError, match="defers_to"):
        ctx.enabled("L002")
    ctx.rule = registry.BY_CODE["L004"]
    assert ctx.enabled("L001") is True and ctx.enabled("L002") is False


def test_estimators_are_declared_by_the_rules_and_live_in_estimates():
    from dlint import estimates

    for rule in registry.ALL_RULES:
        if rule.estimate is None:
            continue
        assert getattr(estimates, rule.estimate.__name__, None) is rule.estimate, rule.code
    assert registry.ESTIMATORS == {r.code: r.estimate for r in registry.ALL_RULES if r.estimate is not None}
    # a layer rule's estimate is zero in a stage that does not ship; a base-image rule's is not
    layer = [r for r in registry.ALL_RULES if r.estimate is not None and r.code.startswith("L")]
    assert layer and all(getattr(r.estimate, "shipped_stages_only", False) for r in layer)
    base = [r for r in registry.ALL_RULES if r.estimate is not None and r.code.startswith("B")]
    assert base and not any(getattr(r.estimate, "shipped_stages_only", False) for r in base)
