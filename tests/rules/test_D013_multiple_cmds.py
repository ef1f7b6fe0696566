"""D013: more than one CMD in a stage."""
from dlint.testing import findings


def lines(text):
    return [d.line for d in findings(text, "D013")]


def test_every_cmd_after_the_first_in_a_stage():
    text = "FROM alpine:3.22 AS a\nCMD [\"a\"]\nCMD b\nFROM a\nCMD [\"c\"]\nCMD d\nCMD [\"e\"]\n"
    assert lines(text) == [3, 6, 7]


def test_onbuild_cmd_and_a_cmd_word_in_a_run_are_not_counted():
    assert lines("FROM alpine:3.22\nCMD [\"a\"]\nONBUILD CMD [\"b\"]\nRUN <<EOF\nCMD x\nEOF\n") == []
