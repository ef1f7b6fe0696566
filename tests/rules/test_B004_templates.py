"""B004: placeholders are not images, an ARG without a default is one informative note, test inputs are
not built to ship, and a major version in the repository name is a pin by major version."""
import pytest

from dlint.testing import findings


def b004(text, path="Dockerfile"):
    return findings(text, "B004", path=path)


@pytest.mark.parametrize("image", [
    "REPLACE-ME", "BASE_IMAGE", "%%BASE%%", "debian:%%TAG%%-slim", "{{ .BaseImage }}", "{{BASE}}:latest",
    "<your-image>", "@BASE_IMAGE@", "registry.example.com/REPLACE/ME",
])
def test_template_placeholders_are_not_images(image):
    assert b004(f"FROM {image}\nRUN true\n") == []


def test_images_that_look_like_placeholders_but_are_images_are_checked():
    assert b004("FROM ubuntu\n")
    assert b004("FROM REGISTRY.EXAMPLE.COM/team/app\n")  # a registry host may be in capitals
    assert b004("FROM ubuntu:LATEST\n")
    assert b004("FROM ubuntu@sha256:" + "a" * 64 + "\n") == []


def test_an_image_chosen_by_each_build_is_not_reported():
    text = "ARG BASE\nARG TOOLS\nFROM ${TOOLS} AS tools\nFROM ${BASE}\nFROM ${BASE} AS again\n"
    assert b004(text) == []
    # An unpinned image in the same file is still reported.
    found = b004("ARG BASE\nFROM ${BASE} AS a\nFROM python\n")
    assert [(x.severity, x.line) for x in found] == [("warning", 3)]


@pytest.mark.parametrize("image", ["archlinux", "archlinux:latest", "kalilinux/kali-rolling",
                                   "opensuse/tumbleweed", "gentoo/stage3", "docker.io/archlinux/archlinux"])
def test_rolling_releases_have_no_version_to_pin(image):
    assert b004(f"FROM {image}\nRUN true\n") == []


@pytest.mark.parametrize("image,example", [("python", "python:3.13"), ("node:latest", "node:24"),
                                           ("ruby", "ruby:3.4"), ("centos", None)])
def test_the_example_tag_keeps_the_variant(image, example):
    [d] = b004(f"FROM {image}\nRUN true\n")
    if example:
        assert f"`{example}`" in d.rendered_message and "-slim" not in d.rendered_message
    else:
        assert "such as" not in d.rendered_message


@pytest.mark.parametrize("path", ["integration/testdata/Dockerfile", "parser/testfiles/escape/Dockerfile",
                                  "tests/fixtures/Dockerfile"])
def test_test_inputs_are_not_built_to_ship(path):
    assert b004("FROM busybox\n", path=path) == []
    assert b004("FROM busybox\n", path="images/tool/Dockerfile")


@pytest.mark.parametrize("line,reported", [
    ("FROM redhat/ubi9-minimal", False), ("FROM registry.access.redhat.com/ubi8", False),
    ("FROM registry.access.redhat.com/ubi9/ubi-minimal", False), ("FROM ubi10-minimal:latest", False),
    ("FROM registry.access.redhat.com/rhel7", False), ("FROM redhat/ubi", True), ("FROM ubuntu", True),
])
def test_a_major_version_in_the_repository_name_is_a_major_pin(line, reported):
    assert bool(b004(line + "\n")) is reported


@pytest.mark.parametrize("image,pinned", [
    ("centos/ruby-25-centos7", True), ("registry.example.com/team/python38", True), ("node12", True),
    ("ubuntu", False), ("arm64v8/ubuntu", False), ("myorg/app-arm64", False), ("nvidia/cuda", False),
    ("bitnami/k8s-sidecar", False),
])
def test_a_version_in_the_repository_name_is_a_pin(image, pinned):
    assert (b004(f"FROM {image}\nCOPY app /app\nCMD [\"/app\"]\n") == []) is pinned


def test_development_and_ci_environments_are_not_asked_to_pin():
    dev = "FROM ruby\nENV RAILS_ENV=development\nCOPY . /app\nCMD [\"rails\", \"server\"]\n"
    assert b004(dev) == []
    app = "FROM ruby\nENV RAILS_ENV=production\nCOPY . /app\nCMD [\"rails\", \"server\"]\n"
    assert len(b004(app)) == 1


@pytest.mark.parametrize("source,hadolint", [("gloursdocker/docker", "DL3022"), ("nginx:latest", None),
                                             ("gcr.io/distroless/static", "DL3022")])
def test_copy_from_an_unpinned_image(source, hadolint):
    [d] = b004(f"FROM alpine:3.20\nCOPY --from={source} / /\nCMD [\"/x\"]\n")
    assert d.line == 2 and d.hadolint == hadolint and "`COPY --from`" in d.message


@pytest.mark.parametrize("source", ["nginx:1.27", "localhost:5000/tools:1", "build", "alpine@sha256:" + "a" * 64])
def test_copy_from_a_pinned_image_or_a_stage(source):
    assert b004(f"FROM alpine:3.20 AS build\nFROM alpine:3.20\nCOPY --from={source} / /\nCMD [\"/x\"]\n") == []
