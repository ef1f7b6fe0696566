from dlint.testing import findings, fixed
from snippets import strict_findings


TEXT = "FROM debian:12\nRUN echo a\nRUN echo b\n"


def test_two_runs_in_a_row():
    [d] = findings(TEXT, "L008")
    assert d.line == 3 and "RUN on line 2" in d.message and "2 consecutive RUNs, lines 2-3" in d.message and d.fix is not None
    assert d.hadolint == "DL3059"


def test_each_run_after_the_first_is_reported():
    text = "FROM debian:12\nRUN echo a\n# b next\nRUN echo b\nRUN echo c\nRUN echo d\n"
    ds = findings(text, "L008")
    assert [d.line for d in ds] == [4, 5, 6]
    assert ["on line 2" in ds[0].message, "on line 4" in ds[1].message, "on line 5" in ds[2].message] == [True] * 3
    assert all(d.fix is not None for d in ds)


def test_a_group_of_four_is_fixed_into_one_run():
    text = "FROM debian:12\nRUN echo a\nRUN echo b\nRUN echo c\nRUN echo d\n"
    out = fixed(text, "L008")
    assert out.count("RUN ") == 1 and out.index("echo a") < out.index("echo b") < out.index("echo c") < out.index("echo d")


def test_a_run_that_cannot_join_the_one_before_says_why():
    text = "FROM debian:12\nRUN echo a\nRUN --network=none echo b\nRUN --network=none echo c\n"
    ds = findings(text, "L008")
    assert [d.line for d in ds] == [3, 4]
    assert ds[0].fix is None and ds[0].no_fix_reason and ds[1].fix is not None


def test_fix_makes_one_run():
    assert fixed(TEXT, "L008").count("RUN ") == 1


def test_an_instruction_between_keeps_them_apart():
    assert findings("FROM debian:12\nRUN echo a\nENV X=1\nRUN echo b\n", "L008") == []


def test_l008_skips_stages_that_do_not_ship():
    text = ("FROM golang:1.23 AS build\nRUN go version\nRUN go build ./...\n"
            "FROM debian:12\nRUN echo a\nRUN echo b\n")
    ds = strict_findings(text, "L008")
    assert [d.line for d in ds] == [6]
