"""B005 unpinned-base-image-anywhere: the unpinned images B004 leaves out."""
from dlint.testing import findings

APP = "COPY app /app\nCMD [\"/app\"]\n"


def test_an_image_named_for_its_version():
    text = "FROM redhat/ubi9-minimal\n" + APP
    assert findings(text, "B004") == []
    [d] = findings(text, "B005")
    assert d.hadolint == "DL3006" and "named for its version" in d.message


def test_a_test_input_and_a_development_image():
    [d] = findings("FROM busybox:latest\nRUN true\n", "B005", path="integration/testdata/Dockerfile")
    assert d.hadolint == "DL3007" and "test input" in d.message
    dev = "FROM ruby\nENV RAILS_ENV=development\nCOPY . /app\nCMD [\"rails\", \"server\"]\n"
    assert findings(dev, "B004") == [] and len(findings(dev, "B005")) == 1


def test_what_B004_reports_is_not_reported_twice():
    text = "FROM ubuntu\n" + APP
    assert len(findings(text, "B004")) == 1 and findings(text, "B005") == []


def test_placeholders_and_arg_stages_are_not_images():
    text = ("ARG V=a\nFROM alpine:3.20 AS build-a\nFROM build-${V} AS chosen\nFROM REPLACE-ME\n" + APP)
    assert findings(text, "B004") == [] and findings(text, "B005") == []
