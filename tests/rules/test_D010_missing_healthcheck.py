"""D010: the image that is built has no HEALTHCHECK."""
from dlint.testing import findings


def test_reported_on_the_final_stage_only():
    text = "FROM golang:1.23 AS build\nRUN go build\nFROM alpine:3.22\nCOPY --from=build /app /app\n"
    [d] = findings(text, "D010")
    assert d.line == 3


def test_a_healthcheck_in_the_stage_or_the_stages_it_builds_on_counts():
    assert not findings("FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/\n", "D010")
    assert not findings("FROM nginx:1.27\nHEALTHCHECK NONE\n", "D010")
    assert not findings("FROM nginx:1.27 AS base\nHEALTHCHECK CMD true\nFROM base\nRUN true\n", "D010")
    # a health check in a build stage the image is not built on does not count
    assert findings("FROM nginx:1.27 AS other\nHEALTHCHECK CMD true\nFROM nginx:1.27\n", "D010")


def test_the_target_stage_is_the_image():
    text = "FROM nginx:1.27 AS app\nRUN true\nFROM nginx:1.27 AS debug\nHEALTHCHECK NONE\n"
    assert not findings(text, "D010")
    [d] = findings(text, "D010", target="app")
    assert d.line == 1


def test_onbuild_healthcheck_is_for_other_images():
    assert findings("FROM nginx:1.27\nONBUILD HEALTHCHECK CMD true\n", "D010")
