"""D011: an instruction other than ARG before the first FROM."""
from dlint.checking import check_source
from dlint.settings import Settings


def check(text):
    return check_source("Dockerfile", text.encode(), Settings(enabled={"D011"}))


def test_every_instruction_before_from_is_reported_and_the_file_is_refused():
    result = check("# syntax=docker/dockerfile:1\nARG V=1\nLABEL a=b\n# c\nENV X=1\nFROM alpine:$V\nRUN true\n")
    assert [d.line for d in result.diagnostics if d.code == "D011"] == [3, 5]
    assert [p.line for p in result.problems] == [3]


def test_arg_comments_and_directives_may_come_first():
    result = check("# escape=`\n# a comment\nARG BASE=alpine:3.22\nARG X\nFROM $BASE\nCMD [\"true\"]\n")
    assert not result.diagnostics and not result.problems
