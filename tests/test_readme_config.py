"""The README's Configuration and Ignoring findings sections: the table of keys is the code's, and every
example in them loads as it says."""
import os
import re
import sys

import pytest

from dlint import config, docs
from dlint.config import from_table, load_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def readme() -> str:
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        return fh.read()


def section(text: str, title: str) -> str:
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def test_every_key_and_option_is_in_the_table_with_its_default():
    text = readme()
    assert docs.readme_with_config_table(text) == text, (
        "the README's table of config keys is out of date: run `python -m dlint.docs --readme`")
    assert set(config.CORE_KEY_DOCS) == config.CORE_KEYS
    table = text[text.index(docs.README_START):text.index(docs.README_END)]
    for key in config.known_keys():
        assert f"| `{key}` |" in table


def test_toml_examples_load():
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    blocks = re.findall(r"```toml\n(.*?)```", section(readme(), "Configuration"), flags=re.S)
    loaded = 0
    for block in blocks:
        if "..." in block:  # an excerpt of printed output
            continue
        data = tomllib.loads(block)
        table = data.get("tool", {}).get("dlint", data)
        from_table(table, "README.md")
        loaded += 1
    assert loaded >= 2


def test_hadolint_example_loads(tmp_path):
    [block] = re.findall(r"```yaml\n(.*?)```", section(readme(), "Configuration"), flags=re.S)
    path = tmp_path / ".hadolint.yaml"
    path.write_text(block)
    cfg = load_file(str(path))
    assert cfg.failure_threshold == "warning" and cfg.options["trusted-registries"] == ["docker.io",
                                                                                        "registry.example.com:5000"]


def test_rule_pages_link_to_the_ignoring_section():
    text = readme()
    assert '<a id="suppressing-findings"></a>' in section(text, "Ignoring findings")
    assert "disable-ignore-pragma" in section(text, "Ignoring findings")


@pytest.mark.parametrize("snippet", ["# dlint: ignore=", "ignore-stage", "ignore-file", "# hadolint ignore=",
                                     "# hadolint global ignore="])
def test_ignoring_section_covers(snippet):
    assert snippet in section(readme(), "Ignoring findings")
