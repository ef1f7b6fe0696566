"""L010 apt-no-install-recommends-anywhere: the installs L005 leaves out."""
from dlint.testing import findings, fixed

APP_TAIL = "COPY app /app\nCMD [\"/app\"]\n"


def test_packages_without_recommends_are_left_to_this_rule():
    text = "FROM debian:12-slim\nRUN apt-get update && apt-get install -y tzdata\n" + APP_TAIL
    assert findings(text, "L005") == []
    [d] = findings(text, "L010")
    assert d.hadolint == "DL3015" and "no recommended packages today" in d.message
    assert "apt-get install --no-install-recommends -y tzdata" in fixed(text, "L010", unsafe=True)


def test_a_build_stage_is_reported_with_a_note():
    text = ("FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\n"
            "FROM debian:12-slim\nCOPY --from=build /usr/bin/gcc /usr/bin/gcc\n" + APP_TAIL)
    assert findings(text, "L005") == []
    [d] = findings(text, "L010")
    assert d.line == 2 and "also installs the recommended packages" in d.message and "build stage `build`" in d.message


def test_an_image_that_is_not_shipped_is_reported_in_every_stage():
    text = "FROM debian:12\nRUN apt-get update && apt-get install -y gcc\nENV APP_ENV=development\nCMD [\"bash\"]\n"
    assert findings(text, "L005") == []
    [d] = findings(text, "L010")
    assert "development, CI or tests" in d.message


def test_what_L005_reports_is_not_reported_twice():
    text = "FROM debian:12-slim\nRUN apt-get update && apt-get install -y curl\n" + APP_TAIL
    assert len(findings(text, "L005")) == 1 and findings(text, "L010") == []


def test_an_explicit_choice_is_left_alone():
    text = "FROM debian:12 AS b\nRUN apt-get install -y --install-recommends gcc\nFROM scratch\nCOPY --from=b / /\n"
    assert findings(text, "L010") == []
