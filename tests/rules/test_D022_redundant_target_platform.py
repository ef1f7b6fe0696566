"""D022 redundant-target-platform (opt-in) and its fix."""
import pytest

from snippets import checked_fix
from dlint.testing import findings


@pytest.mark.parametrize("flag", ["$TARGETPLATFORM", "${TARGETPLATFORM}", '"$TARGETPLATFORM"'])
def test_reported_and_removed(flag):
    text = f"FROM --platform={flag} alpine:3.20 AS base\nRUN true\n"
    [d] = findings(text, "D022")
    assert d.line == 1 and d.fix.applicability == "safe"
    assert checked_fix(text, "D022") == "FROM alpine:3.20 AS base\nRUN true\n"


def test_other_flags_stay_and_a_continuation_keeps_its_lines():
    text = "FROM --platform=$TARGETPLATFORM \\\n  golang:1.23 AS build\n"
    assert checked_fix(text, "D022") == "FROM \\\n  golang:1.23 AS build\n"


@pytest.mark.parametrize("text", ["FROM --platform=$BUILDPLATFORM alpine\n", "FROM --platform=linux/amd64 alpine\n",
                                  "FROM alpine\n"])
def test_other_platforms_are_not_reported(text):
    assert findings(text, "D022") == []


def test_no_fix_when_the_file_declares_the_arg():
    text = "ARG TARGETPLATFORM=linux/arm64\nFROM --platform=$TARGETPLATFORM alpine\n"
    [d] = findings(text, "D022")
    assert d.fix is None and "ARG TARGETPLATFORM" in d.no_fix_reason
    assert checked_fix(text, "D022") == text
