"""D014: more than one ENTRYPOINT in a stage."""
from dlint.testing import findings


def lines(text):
    return [d.line for d in findings(text, "D014")]


def test_every_entrypoint_after_the_first_in_a_stage():
    text = "FROM alpine:3.22 AS a\nENTRYPOINT [\"a\"]\nENTRYPOINT b\nFROM a\nENTRYPOINT [\"c\"]\n"
    assert lines(text) == [3]


def test_escape_and_onbuild():
    assert lines("# escape=`\nFROM alpine:3.22\nENTRYPOINT [\"a\", `\n  \"b\"]\nentrypoint c\n") == [5]
    assert lines("FROM alpine:3.22\nENTRYPOINT [\"a\"]\nONBUILD ENTRYPOINT [\"b\"]\n") == []
