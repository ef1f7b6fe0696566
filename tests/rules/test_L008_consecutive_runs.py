from dlint.testing import findings, fixed
from snippets import strict_findings


TEXT = "FROM debian:12\nRUN echo a\nRUN echo b\n"


def test_two_runs_in_a_row():
    [d] = findings(TEXT, "L008")
    assert d.line == 2 and "(lines 2, 3)" in d.message and d.fix is not None


def test_fix_makes_one_run():
    assert fixed(TEXT, "L008").count("RUN ") == 1


def test_an_instruction_between_keeps_them_apart():
    assert findings("FROM debian:12\nRUN echo a\nENV X=1\nRUN echo b\n", "L008") == []


def test_l008_skips_stages_that_do_not_ship():
    text = ("FROM golang:1.23 AS build\nRUN go version\nRUN go build ./...\n"
            "FROM debian:12\nRUN echo a\nRUN echo b\n")
    ds = strict_findings(text, "L008")
    assert [d.line for d in ds] == [5]
