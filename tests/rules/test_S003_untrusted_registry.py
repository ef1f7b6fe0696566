"""S003 untrusted-registry: silent until trusted-registries is set."""
import pytest

from dlint.testing import findings

TEXT = ("FROM ghcr.io/acme/base:1 AS build\n"
        "FROM build\n"
        "COPY --from=quay.io/tools/jq:1.7 /jq /jq\n"
        "RUN --mount=type=bind,from=docker.io/library/alpine:3.20,target=/a true\n"
        "FROM python:3.13\n"
        "FROM scratch\n")


def test_silent_without_the_option():
    assert findings(TEXT, "S003") == []


def test_every_image_from_another_registry():
    found = findings(TEXT, "S003", options={"trusted-registries": ["registry.example.com"]})
    assert [d.line for d in found] == [1, 3, 4, 5] and found[0].severity == "error"
    assert "`ghcr.io`" in found[0].message and "`docker.io`" in found[3].message


@pytest.mark.parametrize("trusted,lines", [
    (["docker.io"], [1, 3]),
    (["hub.docker.com", "ghcr.io"], [3]),
    (["*.io"], []),
    (["*"], []),
    (["quay*", "ghcr.io"], [4, 5]),
])
def test_patterns(trusted, lines):
    assert [d.line for d in findings(TEXT, "S003", options={"trusted-registries": trusted})] == lines


def test_arg_images_filled_in_and_unknown_ones_left_alone():
    text = "ARG REG=ghcr.io\nARG TAG\nFROM $REG/acme/app:1\nFROM quay.io/x:$TAG\nFROM ${NOPE}/img\n"
    found = findings(text, "S003", options={"trusted-registries": ["docker.io"]})
    assert [d.line for d in found] == [3, 4]  # quay.io is written out: the tag does not matter


def test_a_registry_written_out_counts_when_the_tag_is_unknown():
    text = "ARG VARIANT=${templateOption:imageVariant}\nFROM mcr.microsoft.com/devcontainers/base:${VARIANT}\nFROM $REPO:1\nFROM docker.io/x/y:$TAG\n"
    found = findings(text, "S003", options={"trusted-registries": ["docker.io"]})
    assert [d.line for d in found] == [2] and "`mcr.microsoft.com`" in found[0].message
