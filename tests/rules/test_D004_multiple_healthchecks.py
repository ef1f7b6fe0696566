"""D004: more than one HEALTHCHECK in a stage."""
from dlint.testing import findings


def lines(text):
    return [d.line for d in findings(text, "D004")]


def test_every_healthcheck_after_the_first_is_reported():
    text = ("FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\nHEALTHCHECK NONE\n"
            "HEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://localhost/\"]\n")
    assert lines(text) == [3, 4]


def test_each_stage_is_checked_on_its_own():
    text = "FROM nginx:1.27 AS a\nHEALTHCHECK CMD true\nFROM a\nHEALTHCHECK CMD false\n"
    assert lines(text) == []


def test_onbuild_healthcheck_is_not_the_stage_s():
    assert lines("FROM nginx:1.27\nHEALTHCHECK CMD true\nONBUILD HEALTHCHECK CMD false\n") == []
