"""L009 cache-left-in-build-stage: L004's findings in the stages that do not ship."""
from dlint.testing import findings, fixed

BUILD = ("FROM python:3.13 AS build\nRUN pip install --prefix=/install flask==3.1.0\n"
         "FROM python:3.13-slim\nCOPY --from=build /install /usr/local\nRUN pip install gunicorn==23.0.0\n"
         "CMD [\"flask\", \"run\"]\n")


def test_reports_the_build_stage_and_leaves_the_shipped_one_to_L004():
    [d] = findings(BUILD, "L009")
    assert d.line == 2 and d.hadolint == "DL3042"
    assert "build stage `build`" in d.message and "not image size" in d.message
    assert [x.line for x in findings(BUILD, "L004")] == [5]


def test_the_fix_is_L004s():
    assert "RUN pip install --no-cache-dir --prefix=/install flask==3.1.0" in fixed(BUILD, "L009")


def test_apt_lists_in_a_stage_copied_out_carry_DL3009():
    text = ("FROM debian:12 AS tools\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7\n"
            "FROM debian:12-slim\nCOPY --from=tools /usr/bin/curl /usr/bin/curl\n")
    [d] = findings(text, "L009")
    assert d.line == 2 and d.hadolint == "DL3009" and d.fix is not None


def test_an_unnamed_build_stage_is_named_by_its_line():
    text = "FROM python:3.13\nRUN pip install flask==3.1.0\nFROM python:3.13-slim\nCOPY --from=0 /x /x\n"
    [d] = findings(text, "L009")
    assert "the build stage on line 1" in d.message


def test_nothing_in_a_single_stage_image():
    assert findings("FROM python:3.13\nRUN pip install flask==3.1.0\n", "L009") == []


def test_an_update_only_run_is_left_to_L001_when_it_runs():
    from dlint.checking import check_source
    from dlint.settings import Settings

    text = ("FROM debian:12 AS b\nRUN apt-get update\nRUN apt-get install -y curl=7\n"
            "FROM debian:12-slim\nCOPY --from=b /usr/bin/curl /usr/bin/curl\n")
    assert [d.line for d in findings(text, "L009")] == [2]
    both = check_source("Dockerfile", text.encode(), Settings(enabled={"L001", "L009"})).diagnostics
    assert sorted((d.code, d.line) for d in both) == [("L001", 2)]


def test_each_companion_carries_the_hadolint_codes_of_the_rule_it_completes():
    from dlint.rules import BY_CODE

    for shipped, rest in (("L004", "L009"), ("L005", "L010"), ("L008", "L011"), ("B004", "B005")):
        assert BY_CODE[rest].hadolint == BY_CODE[shipped].hadolint
        assert BY_CODE[shipped].default_enabled or not BY_CODE[rest].default_enabled
        assert not BY_CODE[rest].default_enabled
