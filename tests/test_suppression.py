"""Inline suppression comments: `# dlint: ignore=`, `ignore-stage=`, `ignore-file=`, and hadolint's."""
import os

import pytest
from run_dlint import assert_no_crash, dlint, out

from dlint.settings import Settings
from dlint.checking import check_source

UPDATE_THEN_INSTALL = "RUN apt-get update\nRUN apt-get install -y curl\n"


def findings(text, enabled=("L001",)):
    result = check_source("Dockerfile", text.encode(), Settings(enabled=set(enabled)))
    assert not result.problems, [p.render() for p in result.problems]
    return [(d.code, d.line) for d in result.diagnostics]


def test_unsuppressed_baseline():
    assert findings("FROM debian:12\n" + UPDATE_THEN_INSTALL) == [("L001", 2)]


@pytest.mark.parametrize("comment", [
    "# dlint: ignore=L001",
    "# dlint: ignore=update-without-install",
    "#dlint:ignore=l001",
    "# dlint: ignore = L002, L001",
    "# dlint: ignore=L002 L001",
    "# dlint: ignore=L005, update-without-install",
    "# dlint: ignore=L001  # the index is refreshed by the base image",
    "  # dlint: ignore=ALL",
])
def test_ignore_on_the_line_before(comment):
    assert findings(f"FROM debian:12\n{comment}\n" + UPDATE_THEN_INSTALL) == []


def test_ignore_over_several_comment_lines():
    text = "FROM debian:12\n# dlint: ignore=L001\n# why: the base image is refreshed nightly\n" + UPDATE_THEN_INSTALL
    assert findings(text) == []


@pytest.mark.parametrize("comment", [
    "# dlint: ignore=L002",  # another rule
    "# dlint: ignore=no-such-rule",  # unknown names suppress nothing (and are no error)
    "# dlint ignore=L001",  # not the syntax
])
def test_ignore_that_does_not_apply(comment):
    assert findings(f"FROM debian:12\n{comment}\n" + UPDATE_THEN_INSTALL) == [("L001", 3)]


def test_ignore_applies_to_the_next_instruction_only():
    text = "FROM debian:12\n# dlint: ignore=L001\nRUN true\n" + UPDATE_THEN_INSTALL
    assert findings(text) == [("L001", 4)]


def test_blank_line_ends_the_comment_run():
    text = "FROM debian:12\n# dlint: ignore=L001\n\n" + UPDATE_THEN_INSTALL
    assert findings(text) == [("L001", 4)]


def test_ignore_stage_before_from():
    text = ("# dlint: ignore-stage=L001 # a throwaway build stage\nFROM debian:12 AS build\n" + UPDATE_THEN_INSTALL
            + "FROM debian:12\n" + UPDATE_THEN_INSTALL)
    assert findings(text) == [("L001", 6)]


def test_ignore_file_anywhere():
    for where in ("top", "middle", "continuation"):
        text = "FROM debian:12\n" + UPDATE_THEN_INSTALL + "FROM debian:12 AS two\n" + UPDATE_THEN_INSTALL
        if where == "top":
            text = "# dlint: ignore-file=update-without-install\n" + text
        elif where == "middle":
            text += "# dlint: ignore-file=L001\n"
        else:
            text += "RUN true \\\n  # dlint: ignore-file=L001\n  && false\n"
        assert findings(text) == [], where


def test_hadolint_comments_map_to_our_rules():
    # L001's update-only apt RUN keeps the lists: hadolint's DL3009 there
    base = "FROM debian:12\n" + UPDATE_THEN_INSTALL
    assert findings("FROM debian:12\n# hadolint ignore=DL3009\n" + UPDATE_THEN_INSTALL) == []
    assert findings("FROM debian:12\n# hadolint ignore=DL3008,DL3009\n" + UPDATE_THEN_INSTALL) == []
    assert findings("# hadolint global ignore=DL3009\n" + base) == []
    # a hadolint code we have no equivalent for suppresses nothing
    assert findings("FROM debian:12\n# hadolint ignore=DL3008\n" + UPDATE_THEN_INSTALL) == [("L001", 3)]
    # our own codes are not accepted in a hadolint comment
    assert findings("FROM debian:12\n# hadolint ignore=L001\n" + UPDATE_THEN_INSTALL) == [("L001", 3)]


def test_hadolint_codes_of_registered_rules():
    from dlint.rules import ALL_RULES, resolve_for_suppression

    for rule in ALL_RULES:
        for code in rule.hadolint:
            # the findings with this code (a finding carries its rule's code unless it names another or none)
            assert code in resolve_for_suppression([code], hadolint=True)
            assert code in resolve_for_suppression([code.lower()], hadolint=True)


def test_hadolint_comment_on_one_case_of_a_rule_that_reports_several():
    from dlint.testing import findings as rule_findings

    text = ("FROM alpine:3.20\n# hadolint ignore=DL3042\nRUN apk add py3-pip && pip install requests\n")
    assert [(d.line, d.hadolint) for d in rule_findings(text, "L004")] == [(3, "DL3019")]
    assert rule_findings(text.replace("DL3042", "DL3042,DL3019"), "L004") == []
    both = "# hadolint global ignore=DL3007\nFROM alpine\nFROM alpine:latest\n"
    assert [(d.line, d.hadolint) for d in rule_findings(both, "B004")] == [(2, "DL3006")]
