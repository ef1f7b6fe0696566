"""Every rule has a page in rules/, every page belongs to a rule, and each page's examples do what it says."""
import json
import os
import re

import pytest
from click.testing import CliRunner

from dlint.cli import main
from dlint.docs import sections
from dlint.rules import ALL_RULES, owner
from page_context import context_block, make_context

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RULES_DIR = os.path.join(ROOT, "rules")
SECTIONS = ["What it does", "Why", "Example", "Fixed", "Fix safety", "hadolint equivalent", "Suppressing"]
RULE_IDS = [r.code for r in ALL_RULES]
# Rules whose findings are in files the build refuses: dlint reports those files as input problems too
# (exit code 2), and never rewrites them.
REFUSED_FILES = {"D011"}


def exit_codes(rule):
    return (0, 1, 2) if rule.code in REFUSED_FILES else (0, 1)


def page_name(rule) -> str:
    return f"{rule.code}-{rule.name}.md"


def read_page(rule) -> str:
    path = os.path.join(RULES_DIR, page_name(rule))
    if not os.path.isfile(path):
        pytest.fail(f"{rule.code} has no page rules/{page_name(rule)}")
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def dockerfile_block(body: str, section: str) -> str:
    blocks = re.findall(r"^```dockerfile\n(.*?)^```\s*$", body, flags=re.S | re.M)
    assert len(blocks) == 1, f"section {section!r} must hold exactly one ```dockerfile block"
    return blocks[0]


def rule_page(rule):
    text = read_page(rule)
    return text, sections(text)


def selection(rule):
    args = ["--select", rule.code]
    if not rule.default_enabled:
        args += ["--extend-select", rule.code]
    return args


def findings(tmp_path, monkeypatch, rule, text):
    # Run in the temporary directory with a relative name: rules that look at the path (a file under
    # test/ is not shipped) see a plain Dockerfile in a project root.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(text, encoding="utf-8")
    r = CliRunner().invoke(main, ["check", "--format", "json", *selection(rule), "Dockerfile"])
    assert r.exit_code in exit_codes(rule), r.output
    # a rule that reports findings under codes of their own (SC: SC2164) counts them all as its findings
    return [d for d in json.loads(r.stdout) if owner(d["code"]) is rule]


def fixed(tmp_path, monkeypatch, rule, text):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "Dockerfile"
    path.write_text(text, encoding="utf-8")
    args = ["fix", "--quiet", *selection(rule)]
    if rule.fix == "unsafe":
        args.append("--unsafe-fixes")
    r = CliRunner().invoke(main, [*args, "Dockerfile"])
    assert r.exit_code in exit_codes(rule), r.output
    return path.read_text(encoding="utf-8")


def test_every_rule_has_a_page():
    missing = [page_name(r) for r in ALL_RULES if not os.path.isfile(os.path.join(RULES_DIR, page_name(r)))]
    assert not missing, f"rules without a page: {missing}"


def test_every_page_has_a_rule():
    names = {page_name(r) for r in ALL_RULES}
    orphans = sorted(f for f in os.listdir(RULES_DIR) if f.endswith(".md") and f not in names)
    assert not orphans, f"pages without a rule (renamed or removed rule?): {orphans}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_page_structure(rule):
    text, secs = rule_page(rule)
    assert text.splitlines()[0] == f"# {rule.code} {rule.name}"
    assert list(secs) == SECTIONS, f"sections must be exactly {SECTIONS}"
    for title, body in secs.items():
        assert body.strip(), f"section {title!r} is empty"
    dockerfile_block(secs["Example"], "Example")
    dockerfile_block(secs["Fixed"], "Fixed")


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_example_produces_the_finding(rule, tmp_path, monkeypatch):
    _, secs = rule_page(rule)
    example = dockerfile_block(secs["Example"], "Example")
    make_context(tmp_path, context_block(secs["Example"]))
    assert findings(tmp_path, monkeypatch, rule, example), f"the Example of {rule.code} produces no {rule.code} finding"


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_fixed_is_what_dlint_fix_produces(rule, tmp_path, monkeypatch):
    _, secs = rule_page(rule)
    example = dockerfile_block(secs["Example"], "Example")
    expected = dockerfile_block(secs["Fixed"], "Fixed")
    make_context(tmp_path, context_block(secs["Example"]))
    if rule.fix == "no":
        assert fixed(tmp_path, monkeypatch, rule, example) == example, f"{rule.code} declares fix=NO_FIX but changes files"
    else:
        assert fixed(tmp_path, monkeypatch, rule, example) == expected, (
            f"the Fixed block of {rule.code} is not what `dlint fix` makes of its Example")
        ignore = context_block(secs["Fixed"]).get(".dockerignore")
        if ignore is not None:  # a fix that writes the build context's ignore file: the page shows what it holds
            assert (tmp_path / ".dockerignore").read_text(encoding="utf-8") == ignore, (
                f"the Fixed .dockerignore of {rule.code} is not what `dlint fix` writes")
    assert not findings(tmp_path, monkeypatch, rule, expected), f"the Fixed block of {rule.code} still has a finding"


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_fix_safety_states_the_rules_fix(rule):
    _, secs = rule_page(rule)
    first = secs["Fix safety"].strip().split()[0].rstrip(".,:;").lower()
    expected = {"safe": "safe", "unsafe": "unsafe", "no": "no"}[rule.fix]
    assert first == expected, f"`Fix safety` of {rule.code} must start with {expected.title()!r} (its RULE declares fix={rule.fix.name})"


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_hadolint_section_names_the_equivalents(rule):
    _, secs = rule_page(rule)
    body = secs["hadolint equivalent"].strip()
    codes = tuple(rule.hadolint)
    if codes:
        for code in codes:
            assert code in body, f"{rule.code} maps to {code} but its page does not say so"
    else:
        assert body.startswith("None"), f"{rule.code} has no hadolint equivalent; its page must start with 'None'"


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_dlint_rule_prints_the_page(rule):
    text, _ = rule_page(rule)
    for key in (rule.code, rule.name, rule.code.lower()):
        r = CliRunner().invoke(main, ["rule", key])
        assert r.exit_code == 0, r.output
        assert r.output == text


def test_suppressing_section_is_shared_and_names_the_rule():
    """One text on every page, with the page's own code and name: the ignore comments it shows work."""
    texts = set()
    for rule in ALL_RULES:
        body = rule_page(rule)[1]["Suppressing"]
        assert f"`# dlint: ignore={rule.code}`" in body and f"(`{rule.name}`)" in body
        texts.add(body.replace(rule.code, "CODE").replace(rule.name, "NAME"))
    assert len(texts) == 1


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_suppressing_section_comment_suppresses_the_example(rule, tmp_path, monkeypatch):
    _, secs = rule_page(rule)
    example = dockerfile_block(secs["Example"], "Example")
    make_context(tmp_path, context_block(secs["Example"]))
    assert findings(tmp_path, monkeypatch, rule, f"# dlint: ignore-file={rule.code}\n" + example) == []


def test_dlint_rule_unknown_is_a_usage_error():
    r = CliRunner().invoke(main, ["rule", "X999"])
    assert r.exit_code == 2
    assert "unknown rule" in r.output


def test_dlint_rules_lists_every_rule_with_its_properties():
    r = CliRunner().invoke(main, ["rules"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].split() == ["CODE", "NAME", "SEVERITY", "FIXABLE", "DEFAULT", "HADOLINT"]
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert list(rows) == RULE_IDS
    for rule in ALL_RULES:
        code, name, severity, fixable, default, hadolint = rows[rule.code]
        assert (name, severity, fixable) == (rule.name, rule.severity, rule.fix)
        assert default == ("on" if rule.default_enabled else "off")
        assert hadolint == (",".join(rule.hadolint) or "-")
