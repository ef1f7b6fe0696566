"""M002 missing-label: stages whose image lacks a label label-schema asks for."""
from dlint.testing import findings

SCHEMA = {"label-schema": {"org.opencontainers.image.source": "url", "maintainer": "email"}}


def test_silent_without_a_schema():
    assert findings("FROM alpine\n", "M002") == []


def test_each_missing_label_at_the_from():
    text = "FROM alpine\nLABEL maintainer=a@b.c\n"
    [d] = findings(text, "M002", options=SCHEMA)
    assert d.line == 1 and d.severity == "info" and "org.opencontainers.image.source" in d.message
    assert len(findings("FROM alpine\n", "M002", options=SCHEMA)) == 2


def test_labels_inherited_and_build_stages_left_out():
    text = ("FROM alpine AS base\nLABEL maintainer=a@b.c org.opencontainers.image.source=https://x\n"
            "FROM golang AS build\nRUN go build\n"
            "FROM golang AS tools\n"
            "FROM base\nCOPY --from=build /app /app\nRUN --mount=from=tools,target=/t true\n")
    assert findings(text, "M002", options=SCHEMA) == []


def test_schema_types_are_checked_when_the_config_is_read():
    import pytest

    from dlint.config import ConfigError, from_table

    assert from_table({"label-schema": {"a": "url"}, "strict-labels": True}, "x.toml").options == {
        "label-schema": {"a": "url"}, "strict-labels": True}
    for bad in ({"a": "uri"}, {"a": 1}, ["a"]):
        with pytest.raises(ConfigError, match="label-schema"):
            from_table({"label-schema": bad}, "x.toml")
    with pytest.raises(ConfigError, match="strict-labels"):
        from_table({"strict-labels": "yes"}, "x.toml")


def test_rules_sharing_an_option_share_its_default():
    from dlint import rules

    users = [r for r in rules.ALL_RULES if "label-schema" in r.options]
    assert len(users) == 9 and rules.option_defaults()["label-schema"] == {}
