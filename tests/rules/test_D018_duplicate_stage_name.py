"""D018 duplicate-stage-name."""
from dlint.testing import findings


def test_second_stage_with_a_name_is_reported_names_compared_without_case():
    text = "FROM alpine AS build\nRUN true\nFROM debian AS Build\nFROM alpine AS other\nFROM alpine AS BUILD\n"
    found = findings(text, "D018")
    assert [d.line for d in found] == [3, 5] and found[0].severity == "error"
    assert "line 1" in found[0].message


def test_distinct_and_unnamed_stages_are_fine():
    assert findings("FROM alpine\nFROM alpine\nFROM alpine AS a\nFROM a AS b\n", "D018") == []


def test_escape_directive_and_platform_flag():
    text = "# escape=`\nFROM --platform=$BUILDPLATFORM alpine AS x\nFROM alpine as x\n"
    assert [d.line for d in findings(text, "D018")] == [3]
